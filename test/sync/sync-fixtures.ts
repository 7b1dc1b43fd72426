import { randomUUID } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { HabitDefinition, HabitLog, JournalEntry, MoodEntry } from '@therapy-field/sync';
import type { ApiRequest } from '../support/http.js';

export function moodEntry(overrides: Partial<MoodEntry> = {}): MoodEntry & { _deleted: boolean } {
  return {
    id: randomUUID(),
    recordedAt: new Date(Date.now() - 60_000).toISOString(),
    moodScore: 7,
    emotions: ['calm'],
    notes: 'slept well',
    sharedWithTherapist: false,
    _deleted: false,
    ...overrides,
  };
}

export function journalEntry(overrides: Partial<JournalEntry> = {}): JournalEntry & { _deleted: boolean } {
  return {
    id: randomUUID(),
    title: 'Τετάρτη',
    content: 'Σήμερα ένιωσα άγχος στο μετρό.',
    tags: ['work'],
    sharedWithTherapist: false,
    createdAt: new Date(Date.now() - 60_000).toISOString(),
    _deleted: false,
    ...overrides,
  };
}

export function habitDefinition(overrides: Partial<HabitDefinition> = {}): HabitDefinition & { _deleted: boolean } {
  return { id: randomUUID(), name: 'Περπάτημα', frequency: 'daily', isActive: true, _deleted: false, ...overrides };
}

export function habitLog(habitId: string, overrides: Partial<HabitLog> = {}): HabitLog & { _deleted: boolean } {
  return { id: randomUUID(), habitId, loggedAt: new Date(Date.now() - 60_000).toISOString(), completed: true, notes: 'walked to work', _deleted: false, ...overrides };
}

/** Makes `therapistId` a current therapist of `clientId` (a confirmed appointment). */
export async function confirmAppointment(sequelize: Sequelize, clientId: string, therapistId: string): Promise<string> {
  const id = randomUUID();
  const start = new Date(Date.now() + Math.floor(Math.random() * 1e6) * 3_600_000);
  await sequelize.query(
    `INSERT INTO appointments (id, client_id, therapist_id, scheduled_start, scheduled_end, status)
     VALUES (:id, :clientId, :therapistId, :start, :end, 'confirmed')`,
    { replacements: { id, clientId, therapistId, start, end: new Date(start.getTime() + 3_000_000) } },
  );
  return id;
}

/** How many rows of a synced table the user has on the server, and how many distinct ids among them. */
export async function countSyncedRows(sequelize: Sequelize, table: string, userId: string): Promise<{ rows: number; ids: number }> {
  const [row] = await sequelize.query<{ rows: string; ids: string }>(`SELECT count(*) AS rows, count(DISTINCT id) AS ids FROM ${table} WHERE user_id = :userId`, {
    type: QueryTypes.SELECT,
    replacements: { userId },
  });
  return { rows: Number(row!.rows), ids: Number(row!.ids) };
}

/** `POST /sync/push` and `POST /sync/pull` as a device makes them, through a test API client. */
export function syncOverHttp(api: () => ApiRequest) {
  return {
    push: (token: string, collection: string, rows: unknown[]) => api()('POST', '/sync/push', { token, body: { collection, rows } }),
    pull: (token: string, collection: string, checkpoint?: unknown, limit = 200) => api()('POST', '/sync/pull', { token, body: { collection, checkpoint, limit } }),
  };
}
