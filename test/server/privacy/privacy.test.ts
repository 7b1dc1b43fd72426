import { randomBytes } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncCollections } from '@therapy-field/sync';
import { signUp, TEST_PASSWORD } from '../../support/accounts.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { connectSocket } from '../../support/socket.js';
import { waitFor } from '../../support/wait.js';
import { confirmAppointment, habitDefinition, habitLog, journalEntry, moodEntry, syncOverHttp } from '../../sync/sync-fixtures.js';

let server: TestPlatform;
let api: ApiRequest;

beforeAll(async () => {
  server = await startTestPlatform();
  api = apiClient(server.url);
});
afterAll(async () => {
  await server?.close();
});

const sequelize = () => server.platform.database.owner;
const query = <T extends object>(sql: string, replacements: Record<string, unknown>) => sequelize().query<T>(sql, { type: QueryTypes.SELECT, replacements });
const sync = syncOverHttp(() => api);
const push = async (token: string, collection: string, rows: unknown[]) => {
  const response = await sync.push(token, collection, rows.map((doc) => ({ newDocumentState: doc })));
  expect(response.body).toEqual({ conflicts: [], rejected: [] });
};
const { pull } = sync;
const exportData = (token: string) => api('GET', '/me/export', { token });
const erase = (token: string, body: unknown) => api('POST', '/me/erase', { token, body });
const unique = (what: string) => `${what} ${randomBytes(4).toString('hex')}`;

/** A client with a therapist, one shared journal entry, private mood and habit notes: what erasure must remove. */
async function clientWithWellnessData() {
  const client = await signUp(api, sequelize());
  const therapist = await signUp(api, sequelize(), 'therapist');
  const appointmentId = await confirmAppointment(sequelize(), client.id, therapist.id);
  const texts = { journal: unique('σκέψεις για τη δουλειά'), mood: unique('κουρασμένη'), habit: unique('περπάτησα'), note: unique('άγχος στις εξετάσεις'), privateNote: unique('ιδιωτικό') };
  const journal = journalEntry({ content: texts.journal, sharedWithTherapist: true });
  const mood = moodEntry({ notes: texts.mood });
  const habit = habitDefinition();
  await push(client.accessToken, 'journal_entries', [journal]);
  await push(client.accessToken, 'mood_entries', [mood]);
  await push(client.accessToken, 'habit_definitions', [habit]);
  await push(client.accessToken, 'habit_logs', [habitLog(habit.id, { notes: texts.habit })]);
  const note = await api('POST', `/appointments/${appointmentId}/session-notes`, { token: therapist.accessToken, body: { noteType: 'soap', content: { subjective: texts.note } } });
  expect(note.status).toBe(201);
  const privateNotes = await api('PUT', `/appointments/${appointmentId}/private-notes`, { token: therapist.accessToken, body: { notes: texts.privateNote } });
  expect(privateNotes.status).toBe(204);
  return { client, therapist, appointmentId, journal, mood, texts };
}

async function wellnessRowCount(userId: string): Promise<number> {
  const [row] = await query<{ n: string }>(
    `SELECT (SELECT count(*) FROM journal_entries WHERE user_id = :userId) + (SELECT count(*) FROM mood_entries WHERE user_id = :userId)
          + (SELECT count(*) FROM habit_logs WHERE user_id = :userId) + (SELECT count(*) FROM habit_definitions WHERE user_id = :userId) AS n`,
    { userId },
  );
  return Number(row!.n);
}

describe('GET /me/export', () => {
  it('answers a readable attachment of the caller’s own data: profile, appointments, decrypted journal, mood, habit and session notes', async () => {
    const { client, appointmentId, journal, mood, texts } = await clientWithWellnessData();
    const other = await signUp(api, sequelize());
    const othersText = unique('άλλου πελάτη');
    await push(other.accessToken, 'journal_entries', [journalEntry({ content: othersText })]);

    const response = await exportData(client.accessToken);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="therapy-field-export-${new Date().toISOString().slice(0, 10)}.json"`);
    const { exportedAt, notice, data } = response.body;
    expect(Date.parse(exportedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(notice).toMatch(/private working notes/);
    expect(data.user).toMatchObject({ id: client.id, email: client.email, role: 'client', status: 'active' });
    expect(data.profile).toMatchObject({ user_id: client.id, first_name: 'Μαρία', last_name: 'Παπαδοπούλου' });
    expect(data.client_profile).toMatchObject({ user_id: client.id });
    expect(data.appointments.map((row: any) => row.id)).toEqual([appointmentId]);
    expect(data.journal_entries.map((row: any) => [row.id, row.content])).toEqual([[journal.id, texts.journal]]);
    expect(data.mood_entries.map((row: any) => [row.id, row.notes])).toEqual([[mood.id, texts.mood]]);
    expect(data.habit_logs.map((row: any) => row.notes)).toEqual([texts.habit]);
    expect(data.habit_logs[0]).not.toHaveProperty('notes_plaintext');
    // The clinical record about the client is included, readable; the therapist's private notes are not.
    expect(JSON.parse(data.session_notes[0].content)).toMatchObject({ subjective: texts.note });
    expect(data.appointments[0]).not.toHaveProperty('therapist_private_notes');

    const text = JSON.stringify(response.body);
    expect(text).not.toContain(texts.privateNote);
    expect(text).not.toContain(othersText);
    expect(text).not.toContain(other.id);
    expect(text).not.toMatch(/\\\\x01/); // no sealed value left as hex
  });

  it('never contains the password hash or a 2FA secret', async () => {
    const client = await signUp(api, sequelize());
    const setup = await api('POST', '/auth/2fa/setup', { token: client.accessToken });
    expect(setup.status).toBe(200);
    const response = await exportData(client.accessToken);
    expect(response.status).toBe(200);
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(setup.body.secret);
    expect(text).not.toMatch(/argon2|password_hash|two_factor_secret|two_factor_pending_secret/);
    expect(response.body.data.user.two_factor_enabled).toBe(false);
  });

  it('is audited: one gdpr.export row for the user, and a read row for each decrypted entry', async () => {
    const { client, journal } = await clientWithWellnessData();
    expect((await exportData(client.accessToken)).status).toBe(200);
    const rows = await query<{ action: string; entity_id: string }>(`SELECT action, entity_id FROM audit_logs WHERE user_id = :id AND (action = 'gdpr.export' OR metadata ->> 'via' = 'gdpr.export')`, { id: client.id });
    expect(rows.filter((row) => row.action === 'gdpr.export')).toEqual([{ action: 'gdpr.export', entity_id: client.id }]);
    expect(rows).toContainEqual({ action: 'journal_entry.read', entity_id: journal.id });
    expect(rows.map((row) => row.action)).toEqual(expect.arrayContaining(['mood_entry.read', 'habit_log.read', 'session_note.read']));
  });

  it('is rate-limited per user and needs a signed-in caller', async () => {
    const client = await signUp(api, sequelize());
    const statuses = [];
    for (let attempt = 0; attempt < 6; attempt++) statuses.push((await exportData(client.accessToken)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await exportData(client.accessToken);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another user's allowance is their own.
    expect((await exportData((await signUp(api, sequelize())).accessToken)).status).toBe(200);
    expect((await api('GET', '/me/export')).status).toBe(401);
  });
});

describe('POST /me/erase', () => {
  it('refuses a wrong password or a missing confirmation and keeps everything', async () => {
    const { client } = await clientWithWellnessData();
    const before = await wellnessRowCount(client.id);
    expect(before).toBe(4);

    const wrong = await erase(client.accessToken, { password: 'not my password', confirm: 'ERASE' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const unconfirmed = await erase(client.accessToken, { password: TEST_PASSWORD });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: expect.anything() });
    expect(JSON.stringify(unconfirmed.body.error.details)).toContain('confirm');
    const misspelt = await erase(client.accessToken, { password: TEST_PASSWORD, confirm: 'erase' });
    expect(misspelt.status).toBe(400);

    expect(await wellnessRowCount(client.id)).toBe(before);
    expect((await api('GET', '/me', { token: client.accessToken })).status).toBe(200);
    const [user] = await query<{ status: string }>('SELECT status FROM users WHERE id = :id', { id: client.id });
    expect(user!.status).toBe('active');
  });

  it('erases the client: wellness rows gone, account anonymised, every token and socket ended, entries gone from the therapist’s devices', async () => {
    const { client, therapist, appointmentId, journal, texts } = await clientWithWellnessData();
    // The verification email of the sign-up is in the queue, addressed to the client.
    expect(await query('SELECT 1 FROM email_queue WHERE user_id = :id AND to_email = :email', { id: client.id, email: client.email })).toHaveLength(1);
    const seen = await pull(therapist.accessToken, 'journal_entries');
    expect(seen.body.documents.map((doc: any) => [doc.id, doc.content])).toEqual([[journal.id, texts.journal]]);
    const seenAppointments = await pull(therapist.accessToken, 'appointments');
    expect(seenAppointments.body.documents.map((doc: any) => doc.id)).toEqual([appointmentId]);
    const socket = await connectSocket(server.url, { token: client.accessToken });
    let disconnectReason: string | undefined;
    socket.on('disconnect', (reason) => (disconnectReason = reason));

    try {
      const erased = await erase(client.accessToken, { password: TEST_PASSWORD, confirm: 'ERASE' });
      expect(erased.status).toBe(204);
      await waitFor(() => disconnectReason !== undefined, 5_000, 'the client’s socket to be disconnected');
      expect(disconnectReason).toBe('io server disconnect');
    } finally {
      socket.close();
    }

    expect(await wellnessRowCount(client.id)).toBe(0);
    const [user] = await query<{ status: string; email: string; password_hash: string; deleted_at: Date | null }>('SELECT status, email, password_hash, deleted_at FROM users WHERE id = :id', { id: client.id });
    expect(user).toMatchObject({ status: 'deleted', email: expect.stringMatching(/^erased-[0-9a-f-]{36}@erased\.invalid$/), password_hash: 'ERASED' });
    expect(user!.deleted_at).not.toBeNull();
    expect(await query('SELECT first_name, last_name, phone, birth_date FROM user_profiles WHERE user_id = :id', { id: client.id })).toEqual([
      { first_name: 'Former', last_name: 'client', phone: null, birth_date: null },
    ]);
    expect(await query('SELECT 1 FROM email_queue WHERE to_email = :email', { email: client.email })).toEqual([]);
    expect(await query(`SELECT 1 FROM audit_logs WHERE entity_id = :id AND action = 'GDPR_DELETE'`, { id: client.id })).toHaveLength(1);

    const login = await api('POST', '/auth/login', { body: { email: client.email, password: TEST_PASSWORD } });
    expect(login.status).toBe(401);
    expect(login.body.error.code).toBe('INVALID_CREDENTIALS');
    const me = await api('GET', '/me', { token: client.accessToken });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('TOKEN_INVALID');
    expect((await exportData(client.accessToken)).status).toBe(401);
    const refresh = await api('POST', '/auth/refresh', { body: { refreshToken: client.refreshToken } });
    expect(refresh.status).toBe(401);
    await expect(connectSocket(server.url, { token: client.accessToken })).rejects.toThrow(/not active/);

    // The therapist's devices drop the entry (a tombstone without content that the device's
    // collection schema accepts: RxDB validates tombstones too); the appointment is part of the
    // clinical record and stays, cancelled since it was not held yet.
    const after = await pull(therapist.accessToken, 'journal_entries', seen.body.checkpoint);
    expect(after.status).toBe(200);
    expect(after.body.documents).toEqual([expect.objectContaining({ id: journal.id, _deleted: true })]);
    expect(syncCollections.journal_entries.wireSchema.safeParse(after.body.documents[0]).error).toBeUndefined();
    expect(JSON.stringify(after.body)).not.toContain(texts.journal);
    const appointmentsAfter = await pull(therapist.accessToken, 'appointments', seenAppointments.body.checkpoint);
    expect(appointmentsAfter.body.documents).toEqual([expect.objectContaining({ id: appointmentId, status: 'cancelled', _deleted: false })]);
    const fresh = await pull(therapist.accessToken, 'journal_entries');
    expect(fresh.body.documents.filter((doc: any) => !doc._deleted)).toEqual([]);
    // The therapist's own account carries on.
    expect((await api('GET', '/me', { token: therapist.accessToken })).status).toBe(200);
  });

  it('refuses therapists (clinical records are kept by law) with 403 and changes nothing', async () => {
    const therapist = await signUp(api, sequelize(), 'therapist');
    const refused = await erase(therapist.accessToken, { password: TEST_PASSWORD, confirm: 'ERASE' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect(refused.body.error.message).toMatch(/clinical records/);
    const [user] = await query<{ status: string }>('SELECT status FROM users WHERE id = :id', { id: therapist.id });
    expect(user!.status).toBe('active');
    expect((await api('GET', '/me', { token: therapist.accessToken })).status).toBe(200);
  });
});
