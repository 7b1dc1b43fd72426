import { randomBytes, randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldCipher } from '@therapy-field/server';
import { syncCollections, type CollectionName } from '@therapy-field/sync';
import { signUp } from '../support/accounts.js';
import { apiClient, type ApiRequest } from '../support/http.js';
import { startTestPlatform, TEST_ENCRYPTION_KEY, type TestPlatform } from '../support/platform.js';
import { connectSocket } from '../support/socket.js';
import { confirmAppointment, habitDefinition, habitLog, journalEntry, moodEntry, syncOverHttp } from './sync-fixtures.js';

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
const { push, pull } = syncOverHttp(() => api);

async function pullAll(token: string, collection: string) {
  const documents: Array<Record<string, any>> = [];
  let checkpoint: unknown;
  for (;;) {
    const page = await pull(token, collection, checkpoint, 50);
    expect(page.status).toBe(200);
    documents.push(...page.body.documents);
    checkpoint = page.body.checkpoint;
    if (page.body.documents.length === 0) return { documents, checkpoint };
  }
}

describe('sync push', () => {
  it('stores the valid rows of a batch and reports each invalid one with reasons', async () => {
    const user = await signUp(api, sequelize());
    const good = [moodEntry(), moodEntry({ moodScore: 1 }), moodEntry({ moodScore: 10 })];
    const bad = [
      moodEntry({ moodScore: 11 }),
      moodEntry({ moodScore: 0 }),
      moodEntry({ notes: 'x'.repeat(2001) }),
      moodEntry({ recordedAt: new Date(Date.now() + 3 * 86_400_000).toISOString() }),
      { ...moodEntry(), id: 'not-a-uuid' },
    ];
    const response = await push(user.accessToken, 'mood_entries', [...good, ...bad].map((doc) => ({ newDocumentState: doc })));
    expect(response.status).toBe(200);
    expect(response.body.conflicts).toEqual([]);
    expect(response.body.rejected.map((row: any) => row.id).sort()).toEqual(bad.map((doc) => doc.id).sort());
    for (const row of response.body.rejected) expect(row.reasons.length).toBeGreaterThan(0);
    expect(JSON.stringify(response.body.rejected)).toMatch(/moodScore/);
    expect(JSON.stringify(response.body.rejected)).toMatch(/future/);

    const stored = await sequelize().query<{ id: string }>('SELECT id FROM mood_entries WHERE user_id = :id', { type: QueryTypes.SELECT, replacements: { id: user.id } });
    expect(stored.map((row) => row.id).sort()).toEqual(good.map((doc) => doc.id).sort());
  });

  it('is idempotent: the same batch twice creates nothing twice and reports no conflict', async () => {
    const user = await signUp(api, sequelize());
    const rows = [moodEntry(), moodEntry(), journalEntry()].map((doc) => ({ newDocumentState: doc }));
    for (let attempt = 0; attempt < 2; attempt++) {
      expect((await push(user.accessToken, 'mood_entries', rows.slice(0, 2))).body).toEqual({ conflicts: [], rejected: [] });
      expect((await push(user.accessToken, 'journal_entries', rows.slice(2))).body).toEqual({ conflicts: [], rejected: [] });
    }
    const [count] = await sequelize().query<{ n: string }>('SELECT count(*) AS n FROM mood_entries WHERE user_id = :id', { type: QueryTypes.SELECT, replacements: { id: user.id } });
    expect(Number(count!.n)).toBe(2);
    const { documents } = await pullAll(user.accessToken, 'mood_entries');
    expect(documents).toHaveLength(2);
  });

  it("keeps each push's write with the row: the same device's next edit on a lost answer's base is no conflict, anyone else's is, and an update from elsewhere clears it", async () => {
    const user = await signUp(api, sequelize());
    const base = journalEntry({ content: 'Monday.' });
    const write = (id: string, at: number, device = 'phone') => ({ id, device, base: 'base', at });
    expect((await push(user.accessToken, 'journal_entries', [{ newDocumentState: base }])).body).toEqual({ conflicts: [], rejected: [] });
    const first = { ...base, content: 'Monday. Slept badly.' };
    // Stored, but say its answer was lost: the device still assumes `base`.
    await push(user.accessToken, 'journal_entries', [{ newDocumentState: first, assumedMasterState: base, write: write('first', 1) }]);
    const stored = async () =>
      (await sequelize().query<{ sync_write: unknown }>('SELECT sync_write FROM journal_entries WHERE id = :id', { type: QueryTypes.SELECT, replacements: { id: base.id } }))[0]!.sync_write;
    expect(await stored()).toEqual(write('first', 1));

    // A retry of that write, spelled differently, changes nothing.
    const retry = await push(user.accessToken, 'journal_entries', [{ newDocumentState: { ...first, title: 'respelled' }, assumedMasterState: base, write: write('first', 2) }]);
    expect(retry.body).toEqual({ conflicts: [], rejected: [] });
    expect(await stored()).toEqual(write('first', 1));

    // Another device on the same base: a conflict, answered with the server's state.
    const second = { ...base, content: 'Monday. Slept badly. Therapy at 6.' };
    const other = await push(user.accessToken, 'journal_entries', [{ newDocumentState: second, assumedMasterState: base, write: write('second', 3, 'laptop') }]);
    expect(other.body.conflicts.map((doc: any) => doc.content)).toEqual([first.content]);
    // The same device: its own first edit is the base of the second.
    expect((await push(user.accessToken, 'journal_entries', [{ newDocumentState: second, assumedMasterState: base, write: write('second', 3) }])).body).toEqual({ conflicts: [], rejected: [] });
    expect((await pullAll(user.accessToken, 'journal_entries')).documents[0]!.content).toBe(second.content);

    // Changed any other way, the row no longer claims to be the device's write.
    await sequelize().query('UPDATE journal_entries SET mood_score = 4 WHERE id = :id', { replacements: { id: base.id } });
    expect(await stored()).toBeNull();
    const late = await push(user.accessToken, 'journal_entries', [{ newDocumentState: { ...second, content: 'x' }, assumedMasterState: base, write: write('third', 4) }]);
    expect(late.body.conflicts).toHaveLength(1);
  });

  it('answers a stale assumed state with the server state (conflict) and keeps append-only content', async () => {
    const user = await signUp(api, sequelize());
    const entry = moodEntry();
    await push(user.accessToken, 'mood_entries', [{ newDocumentState: entry }]);
    const edited = { ...entry, moodScore: 2 };
    const response = await push(user.accessToken, 'mood_entries', [{ newDocumentState: edited, assumedMasterState: { ...entry, userId: user.id } }]);
    expect(response.body.conflicts).toHaveLength(1);
    expect(response.body.conflicts[0].moodScore).toBe(7);
  });

  it('refuses rows of another user and writes to read-only collections', async () => {
    const [alice, bob] = [await signUp(api, sequelize()), await signUp(api, sequelize())];
    const entry = moodEntry();
    await push(alice.accessToken, 'mood_entries', [{ newDocumentState: entry }]);
    const takeover = await push(bob.accessToken, 'mood_entries', [{ newDocumentState: { ...entry, _deleted: true }, assumedMasterState: { ...entry, userId: alice.id } }]);
    expect(takeover.body.rejected).toEqual([expect.objectContaining({ id: entry.id, code: 'FORBIDDEN' })]);
    const spoof = await push(bob.accessToken, 'mood_entries', [{ newDocumentState: moodEntry({ userId: alice.id }) }]);
    expect(spoof.body.rejected[0].code).toBe('FORBIDDEN');
    const appointment = await push(bob.accessToken, 'appointments', [{ newDocumentState: { id: entry.id } }]);
    expect(appointment.body.rejected[0].code).toBe('FORBIDDEN');
  });
});

describe('sync pull', () => {
  it('never skips a change that commits after a later one was pulled (two interleaved writers)', async () => {
    const user = await signUp(api, sequelize());
    const late = moodEntry();
    const early = moodEntry();
    // Writer A opens a transaction and writes first, but commits last.
    const writerA = await sequelize().transaction();
    await sequelize().query(
      `INSERT INTO mood_entries (id, user_id, recorded_at, mood_score) VALUES (:id, :userId, :recordedAt, 5)`,
      { replacements: { id: late.id, userId: user.id, recordedAt: late.recordedAt }, transaction: writerA },
    );
    // Writer B (a device's push) commits in between.
    await push(user.accessToken, 'mood_entries', [{ newDocumentState: early }]);
    const first = await pullAll(user.accessToken, 'mood_entries');
    expect(first.documents.map((doc) => doc.id)).toEqual([early.id]);

    await writerA.commit();
    const page = await pull(user.accessToken, 'mood_entries', first.checkpoint);
    expect(page.body.documents.map((doc: any) => doc.id)).toEqual([late.id]);
  });

  it('pages a large history to a new device without losing a row', async () => {
    const user = await signUp(api, sequelize());
    const entries = Array.from({ length: 230 }, () => moodEntry());
    expect((await push(user.accessToken, 'mood_entries', entries.map((doc) => ({ newDocumentState: doc })))).body.rejected).toEqual([]);
    await push(user.accessToken, 'journal_entries', [{ newDocumentState: journalEntry() }]);
    const { documents } = await pullAll(user.accessToken, 'mood_entries');
    expect(new Set(documents.map((doc) => doc.id)).size).toBe(230);
    expect((await pullAll(user.accessToken, 'journal_entries')).documents).toHaveLength(1);
  });

  it('works over the socket with acks, like HTTP', async () => {
    const user = await signUp(api, sequelize());
    const socket = await connectSocket(server.url, { token: user.accessToken });
    try {
      const pushed = await socket.emitWithAck('sync.push', { collection: 'mood_entries', rows: [{ newDocumentState: moodEntry() }] });
      expect(pushed).toEqual({ ok: true, data: { conflicts: [], rejected: [] } });
      const pulled = await socket.emitWithAck('sync.pull', { collection: 'mood_entries', checkpoint: null, limit: 10 });
      expect(pulled.ok && pulled.data.documents).toHaveLength(1);
      const invalid = await socket.emitWithAck('sync.pull', { collection: 'nope' as never, limit: 10 });
      expect(invalid.ok).toBe(false);
    } finally {
      socket.close();
    }
  });
});

describe('notifications on devices', () => {
  it('a device marks its own notification read; another user cannot, and nobody creates one', async () => {
    const user = await signUp(api, sequelize());
    const other = await signUp(api, sequelize());
    const [row] = await sequelize().query<{ id: string }>(`INSERT INTO notifications (user_id, type, message) VALUES (:id, 'reminder', 'Αύριο στις 10:00') RETURNING id`, {
      type: QueryTypes.SELECT,
      replacements: { id: user.id },
    });
    const [master] = (await pullAll(user.accessToken, 'notifications')).documents.filter((doc) => doc.id === row!.id);
    expect(master).toMatchObject({ isRead: false });
    const read = { ...master, isRead: true, readAt: new Date().toISOString() };

    const foreign = await push(other.accessToken, 'notifications', [{ newDocumentState: read, assumedMasterState: master }]);
    expect(foreign.body.rejected).toEqual([expect.objectContaining({ id: row!.id, code: 'FORBIDDEN' })]);
    const invented = await push(user.accessToken, 'notifications', [{ newDocumentState: { ...read, id: randomUUID() } }]);
    expect(invented.body.rejected).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);

    const mine = await push(user.accessToken, 'notifications', [{ newDocumentState: read, assumedMasterState: master }]);
    expect(mine.body).toEqual({ conflicts: [], rejected: [] });
    const [stored] = await sequelize().query<{ is_read: boolean; read_at: Date | null }>(`SELECT is_read, read_at FROM notifications WHERE id = :id`, {
      type: QueryTypes.SELECT,
      replacements: { id: row!.id },
    });
    expect(stored).toMatchObject({ is_read: true, read_at: expect.any(Date) });
  });
});

describe('therapist access', () => {
  it('a current therapist pulls shared entries only; unsharing sends a tombstone; other clients see nothing', async () => {
    const client = await signUp(api, sequelize());
    const other = await signUp(api, sequelize());
    const therapist = await signUp(api, sequelize(), 'therapist');
    await confirmAppointment(sequelize(), client.id, therapist.id);

    const shared = journalEntry({ sharedWithTherapist: true, content: 'κοινό με τη θεραπεύτρια' });
    const privateEntry = journalEntry({ content: 'μόνο για μένα' });
    const sharedMood = moodEntry({ sharedWithTherapist: true });
    await push(client.accessToken, 'journal_entries', [shared, privateEntry].map((doc) => ({ newDocumentState: doc })));
    await push(client.accessToken, 'mood_entries', [{ newDocumentState: sharedMood }, { newDocumentState: moodEntry() }]);

    const seen = await pullAll(therapist.accessToken, 'journal_entries');
    expect(seen.documents.map((doc) => [doc.id, doc.content, doc._deleted])).toEqual([[shared.id, 'κοινό με τη θεραπεύτρια', false]]);
    expect((await pullAll(therapist.accessToken, 'mood_entries')).documents.map((doc) => doc.id)).toEqual([sharedMood.id]);

    const [master] = (await pullAll(client.accessToken, 'journal_entries')).documents.filter((doc) => doc.id === shared.id);
    await push(client.accessToken, 'journal_entries', [{ newDocumentState: { ...master, sharedWithTherapist: false }, assumedMasterState: master }]);
    const after = await pull(therapist.accessToken, 'journal_entries', seen.checkpoint);
    expect(after.body.documents).toEqual([expect.objectContaining({ id: shared.id, _deleted: true, content: '' })]);

    // The therapist may not write the client's entries, and another client sees none of them.
    const write = await push(therapist.accessToken, 'journal_entries', [{ newDocumentState: { ...master, content: 'changed' }, assumedMasterState: master }]);
    expect(write.body.rejected[0].code).toBe('FORBIDDEN');
    expect((await pullAll(other.accessToken, 'journal_entries')).documents).toEqual([]);
    expect((await pullAll(other.accessToken, 'mood_entries')).documents).toEqual([]);
  });
});

/** The clinical free text of each synced collection that holds some, and how a device writes it. */
const sealedFields = [
  { collection: 'journal_entries', table: 'journal_entries', field: 'content', column: 'content', entity: 'journal_entry', document: (text: string) => journalEntry({ content: text }) },
  { collection: 'mood_entries', table: 'mood_entries', field: 'notes', column: 'notes', entity: 'mood_entry', document: (text: string) => moodEntry({ notes: text }) },
  { collection: 'habit_logs', table: 'habit_logs', field: 'notes', column: 'notes', entity: 'habit_log', document: (text: string, habitId: string) => habitLog(habitId, { notes: text }) },
] as const;

describe('clinical text encryption at rest', () => {
  it.each(sealedFields)('$collection.$field: no plaintext in the column, the owner pulls the text back, reads and writes are audited', async ({ collection, table, field, column, entity, document }) => {
    const user = await signUp(api, sequelize());
    const habit = habitDefinition();
    expect((await push(user.accessToken, 'habit_definitions', [{ newDocumentState: habit }])).body).toEqual({ conflicts: [], rejected: [] });
    const secret = `ιδιωτική σκέψη ${randomBytes(4).toString('hex')}`;
    const entry = document(secret, habit.id);
    expect((await push(user.accessToken, collection, [{ newDocumentState: entry }])).body).toEqual({ conflicts: [], rejected: [] });

    const [raw] = await sequelize().query<{ sealed: Buffer; encryption_key_id: string }>(`SELECT ${column} AS sealed, encryption_key_id FROM ${table} WHERE id = :id`, {
      type: QueryTypes.SELECT,
      replacements: { id: entry.id },
    });
    expect(raw!.encryption_key_id).toBe('test1');
    expect(Buffer.isBuffer(raw!.sealed)).toBe(true);
    expect(raw!.sealed.includes(Buffer.from(secret, 'utf8'))).toBe(false);
    const cipher = new FieldCipher(new Map([['test1', Buffer.from(TEST_ENCRYPTION_KEY, 'base64')]]), 'test1');
    expect(cipher.keyIdOf(raw!.sealed)).toBe('test1');
    const [textMatch] = await sequelize().query<{ n: string }>(`SELECT count(*) AS n FROM ${table} t WHERE encode(${column}, 'escape') LIKE :needle OR to_jsonb(t)::text LIKE :needle`, {
      type: QueryTypes.SELECT,
      replacements: { needle: `%${secret.slice(-8)}%` },
    });
    expect(Number(textMatch!.n)).toBe(0);

    const pulled = (await pullAll(user.accessToken, collection)).documents;
    expect(pulled.map((doc) => [doc.id, doc[field]])).toEqual([[entry.id, secret]]);
    const audits = await sequelize().query<{ action: string; user_id: string }>(`SELECT action, user_id FROM audit_logs WHERE entity_id = :id ORDER BY performed_at`, {
      type: QueryTypes.SELECT,
      replacements: { id: entry.id },
    });
    expect(audits).toEqual(expect.arrayContaining([{ action: `${entity}.write`, user_id: user.id }, { action: `${entity}.read`, user_id: user.id }]));
    expect(JSON.stringify(audits)).not.toContain(secret);
  });

  it('a therapist who may no longer see a mood entry gets its tombstone without the notes', async () => {
    const client = await signUp(api, sequelize());
    const therapist = await signUp(api, sequelize(), 'therapist');
    await confirmAppointment(sequelize(), client.id, therapist.id);
    const entry = moodEntry({ sharedWithTherapist: true, notes: 'δύσκολη μέρα' });
    await push(client.accessToken, 'mood_entries', [{ newDocumentState: entry }]);
    const seen = await pullAll(therapist.accessToken, 'mood_entries');
    expect(seen.documents.map((doc) => doc.notes)).toEqual(['δύσκολη μέρα']);

    const [master] = (await pullAll(client.accessToken, 'mood_entries')).documents;
    await push(client.accessToken, 'mood_entries', [{ newDocumentState: { ...master, sharedWithTherapist: false }, assumedMasterState: master }]);
    const after = await pull(therapist.accessToken, 'mood_entries', seen.checkpoint);
    expect(after.body.documents).toEqual([expect.objectContaining({ id: entry.id, _deleted: true, notes: null })]);
  });
});

describe('after the history was pruned', () => {
  it('a snapshot also tombstones what a device may still hold: deleted and unshared entries', async () => {
    const client = await signUp(api, sequelize());
    const therapist = await signUp(api, sequelize(), 'therapist');
    await confirmAppointment(sequelize(), client.id, therapist.id);
    const [kept, deleted, unshared] = [journalEntry(), journalEntry(), journalEntry({ sharedWithTherapist: true })];
    await push(client.accessToken, 'journal_entries', [kept, deleted, unshared].map((doc) => ({ newDocumentState: doc })));
    const clientDevice = await pullAll(client.accessToken, 'journal_entries');
    const therapistDevice = await pullAll(therapist.accessToken, 'journal_entries');
    expect(therapistDevice.documents.map((doc) => doc.id)).toEqual([unshared.id]);

    const master = (id: string) => clientDevice.documents.find((doc) => doc.id === id)!;
    await push(client.accessToken, 'journal_entries', [
      { newDocumentState: { ...master(deleted.id), _deleted: true }, assumedMasterState: master(deleted.id) },
      { newDocumentState: { ...master(unshared.id), sharedWithTherapist: false }, assumedMasterState: master(unshared.id) },
    ]);
    // Retention drops every change so far: both devices' checkpoints are older than the history.
    await server.platform.changes.sequenceNow();
    await server.platform.changes.pruneOlderThan(0);

    const resyncedClient = await pullAll(client.accessToken, 'journal_entries');
    const state = (documents: Array<Record<string, any>>, id: string) => documents.find((doc) => doc.id === id)?._deleted;
    const clientDocuments = resyncedClient.documents;
    expect([state(clientDocuments, kept.id), state(clientDocuments, deleted.id), state(clientDocuments, unshared.id)]).toEqual([false, true, false]);

    const resyncedTherapist = (await pull(therapist.accessToken, 'journal_entries', therapistDevice.checkpoint)).body.documents;
    expect(resyncedTherapist).toEqual([expect.objectContaining({ id: unshared.id, _deleted: true, content: '' })]);
  });
});

describe('rows deleted from their table (GDPR erasure)', () => {
  it('reach the devices as tombstones that the collection schema accepts, for every collection a user writes or receives', async () => {
    const user = await signUp(api, sequelize());
    const habit = habitDefinition();
    const goal = { id: randomUUID(), title: 'Τρέξιμο 5 χλμ', currentProgress: 0, milestones: [], isCompleted: false, sharedWithTherapist: false, _deleted: false };
    const pushed = { mood_entries: moodEntry(), journal_entries: journalEntry(), habit_definitions: habit, habit_logs: habitLog(habit.id), goals: goal };
    for (const [collection, doc] of Object.entries(pushed)) {
      expect((await push(user.accessToken, collection, [{ newDocumentState: doc }])).body).toEqual({ conflicts: [], rejected: [] });
    }
    const [notification] = await sequelize().query<{ id: string }>(`INSERT INTO notifications (user_id, type, message) VALUES (:id, 'reminder', 'Αύριο στις 10:00') RETURNING id`, {
      type: QueryTypes.SELECT,
      replacements: { id: user.id },
    });
    const ids: Record<string, string> = { ...Object.fromEntries(Object.entries(pushed).map(([collection, doc]) => [collection, doc.id])), notifications: notification!.id };
    const checkpoints: Record<string, unknown> = {};
    for (const collection of Object.keys(ids)) {
      const device = await pullAll(user.accessToken, collection);
      expect(device.documents.map((doc) => doc.id)).toEqual([ids[collection]]);
      checkpoints[collection] = device.checkpoint;
    }

    // Hard deletes, as delete_user_data does them (habit logs before their habit).
    for (const table of ['habit_logs', ...Object.keys(ids).filter((name) => name !== 'habit_logs')]) {
      await sequelize().query(`DELETE FROM ${table} WHERE user_id = :id`, { replacements: { id: user.id } });
    }
    for (const collection of Object.keys(ids) as CollectionName[]) {
      const page = await pull(user.accessToken, collection, checkpoints[collection]);
      expect(page.body.documents, collection).toEqual([expect.objectContaining({ id: ids[collection], _deleted: true })]);
      expect(syncCollections[collection].wireSchema.safeParse(page.body.documents[0]).error, collection).toBeUndefined();
    }
  });
});
