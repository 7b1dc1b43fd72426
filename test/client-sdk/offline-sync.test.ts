import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONFLICT_SEPARATOR } from '@therapy-field/sync';
import { signUp } from '../support/accounts.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { freePort } from '../support/free-port.js';
import { apiClient } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { waitFor } from '../support/wait.js';
import { confirmAppointment, countSyncedRows, journalEntry, moodEntry } from '../sync/sync-fixtures.js';
import { Devices } from './devices.js';

let database: TestDatabase;
let port: number;
let server: TestPlatform | undefined;
let url: string;
const devices = new Devices();

async function startServer(): Promise<void> {
  server = await startTestPlatform({ PORT: String(port) }, database);
  url = server.url;
}
async function stopServer(): Promise<void> {
  await server?.close();
  server = undefined;
}
const sequelize = () => server!.platform.database.owner;
const api = () => apiClient(url);

const countRows = (table: string, userId: string) => countSyncedRows(sequelize(), table, userId);

const withoutId = <T extends { _deleted?: boolean }>(doc: T) => {
  const { _deleted, ...rest } = doc;
  return rest;
};

beforeAll(async () => {
  database = await createTestDatabase();
  port = await freePort();
  await startServer();
});
afterEach(async () => {
  await devices.closeAll();
  if (!server) await startServer();
});
afterAll(async () => {
  await stopServer();
  await database?.drop();
});

describe('offline-first sync with the SDK', () => {
  it('logs 50 moods and 5 journal entries while the server is down; all arrive once and reach a second device', async () => {
    const user = await signUp(api(), sequelize());
    const phone = await devices.signedIn(url, user.email, ['mood_entries', 'journal_entries']);
    phone.sync.start();
    await waitFor(() => phone.sync.state.online, 10_000, 'phone online');

    await stopServer();
    await phone.db.mood_entries.bulkInsert(Array.from({ length: 50 }, (_, index) => withoutId(moodEntry({ moodScore: (index % 10) + 1 }))));
    await phone.db.journal_entries.bulkInsert(Array.from({ length: 5 }, (_, index) => withoutId(journalEntry({ content: `offline thought ${index}` }))));
    // pendingPushes is counted from storage, so it can land just after the first failure.
    await waitFor(() => !phone.sync.state.online && phone.sync.state.errors.length > 0 && phone.sync.state.pendingPushes === 55, 10_000, 'phone offline with 55 pending');

    await startServer();
    await waitFor(async () => (await countRows('mood_entries', user.id)).rows === 50 && (await countRows('journal_entries', user.id)).rows === 5, 20_000, 'server has every entry');
    await waitFor(() => phone.sync.state.pendingPushes === 0, 10_000, 'nothing pending');
    expect(await countRows('mood_entries', user.id)).toEqual({ rows: 50, ids: 50 });
    expect(await countRows('journal_entries', user.id)).toEqual({ rows: 5, ids: 5 });

    const laptop = await devices.signedIn(url, user.email, ['mood_entries', 'journal_entries']);
    laptop.sync.start();
    await waitFor(async () => (await laptop.db.mood_entries.count().exec()) === 50 && (await laptop.db.journal_entries.count().exec()) === 5, 20_000, 'second device has everything');
    const contents = (await laptop.db.journal_entries.find().exec()).map((doc) => doc.content).sort();
    expect(contents).toEqual([0, 1, 2, 3, 4].map((index) => `offline thought ${index}`));
  });

  it('merges a journal entry edited on two devices offline without losing text', async () => {
    const user = await signUp(api(), sequelize());
    const [phone, laptop] = [await devices.signedIn(url, user.email, ['journal_entries']), await devices.signedIn(url, user.email, ['journal_entries'])];
    const id = randomUUID();
    const base = 'Πρωί: ήρεμη.';
    await phone.db.journal_entries.insert(withoutId(journalEntry({ id, content: base, title: 'Δευτέρα' })));
    phone.sync.start();
    laptop.sync.start();
    await waitFor(async () => (await laptop.db.journal_entries.findOne(id).exec()) !== null, 10_000, 'laptop has the entry');
    await phone.sync.stop();
    await laptop.sync.stop();

    // Both append offline; the laptop also rewrites the title.
    await (await phone.db.journal_entries.findOne(id).exec())!.incrementalPatch({ content: `${base}\nPhone: άγχος στο μετρό.` });
    await (await laptop.db.journal_entries.findOne(id).exec())!.incrementalPatch({ content: `${base}\nLaptop: καλύτερα το βράδυ.`, title: 'Δευτέρα, 2η εκδοχή' });
    await waitFor(() => phone.sync.state.pendingPushes === 1 && laptop.sync.state.pendingPushes === 1, 5_000, 'each device counting its edit while stopped');

    phone.sync.start();
    await waitFor(() => phone.sync.state.pendingPushes === 0 && phone.sync.state.lastSyncedAt !== null, 10_000, 'phone pushed');
    laptop.sync.start();
    await waitFor(() => laptop.sync.state.conflicts.length > 0 && laptop.sync.state.pendingPushes === 0, 10_000, 'laptop resolved its conflict');

    const merged = `${base}\nPhone: άγχος στο μετρό.\nLaptop: καλύτερα το βράδυ.`;
    await waitFor(async () => {
      phone.sync.resync();
      laptop.sync.resync();
      const [a, b] = [await phone.db.journal_entries.findOne(id).exec(), await laptop.db.journal_entries.findOne(id).exec()];
      return a?.content === merged && b?.content === merged;
    }, 15_000, 'both devices converge on the merged text');
    expect((await phone.db.journal_entries.findOne(id).exec())!.title).toBe('Δευτέρα, 2η εκδοχή');

    // Rewrites that cannot be lined up are kept side by side with a visible separator.
    await phone.sync.stop();
    await laptop.sync.stop();
    await (await phone.db.journal_entries.findOne(id).exec())!.incrementalPatch({ content: 'Phone rewrote everything.' });
    await (await laptop.db.journal_entries.findOne(id).exec())!.incrementalPatch({ content: 'Laptop rewrote everything.' });
    await waitFor(() => phone.sync.state.pendingPushes === 1 && laptop.sync.state.pendingPushes === 1, 5_000, 'each device counting its rewrite');
    phone.sync.start();
    await waitFor(() => phone.sync.state.pendingPushes === 0, 10_000, 'phone pushed its rewrite');
    laptop.sync.start();
    await waitFor(async () => {
      laptop.sync.resync();
      return (await laptop.db.journal_entries.findOne(id).exec())?.content === `Phone rewrote everything.${CONFLICT_SEPARATOR}Laptop rewrote everything.`;
    }, 10_000, 'conflict kept both rewrites');
  });

  // Its waits are bounded at up to 30 s each; under a loaded run the whole needs more than the default 30 s.
  it('resumes a push cut off by a server shutdown: nothing lost, nothing doubled', { timeout: 90_000 }, async () => {
    const user = await signUp(api(), sequelize());
    const phone = await devices.signedIn(url, user.email, ['mood_entries'], { pushBatchSize: 10 });
    await phone.db.mood_entries.bulkInsert(Array.from({ length: 1000 }, () => withoutId(moodEntry())));
    phone.sync.start();
    await waitFor(async () => (await countRows('mood_entries', user.id)).rows > 0, 10_000, 'the push started');
    const stored = (await countRows('mood_entries', user.id)).rows;
    await stopServer();
    expect(stored).toBeLessThan(1000);
    await startServer();
    await waitFor(async () => (await countRows('mood_entries', user.id)).rows === 1000, 30_000, 'every entry arrived');
    await waitFor(() => phone.sync.state.pendingPushes === 0, 10_000, 'nothing pending');
    expect(await countRows('mood_entries', user.id)).toEqual({ rows: 1000, ids: 1000 });
  });

  it('reports rows the server refuses instead of dropping them silently', async () => {
    const user = await signUp(api(), sequelize());
    const phone = await devices.signedIn(url, user.email, ['mood_entries']);
    const future = withoutId(moodEntry({ recordedAt: new Date(Date.now() + 5 * 86_400_000).toISOString() }));
    await phone.db.mood_entries.bulkInsert([withoutId(moodEntry()), future]);
    phone.sync.start();
    await waitFor(() => phone.sync.state.rejected.length === 1, 10_000, 'rejection reported');
    expect(phone.sync.state.rejected[0]).toMatchObject({ id: future.id, collection: 'mood_entries', code: 'VALIDATION_FAILED' });
    expect((await countRows('mood_entries', user.id)).rows).toBe(1);
  });

  it("shows a therapist the client's shared entries only, and removes one the client unshares", async () => {
    const client = await signUp(api(), sequelize());
    const therapist = await signUp(api(), sequelize(), 'therapist');
    const stranger = await signUp(api(), sequelize());
    await confirmAppointment(sequelize(), client.id, therapist.id);

    const phone = await devices.signedIn(url, client.email, ['journal_entries']);
    const shared = withoutId(journalEntry({ sharedWithTherapist: true, content: 'για τη συνεδρία' }));
    const kept = withoutId(journalEntry({ content: 'μόνο δικό μου' }));
    await phone.db.journal_entries.bulkInsert([shared, kept]);
    phone.sync.start();
    await waitFor(() => phone.sync.state.pendingPushes === 0 && phone.sync.state.lastSyncedAt !== null, 10_000, 'client pushed');

    const office = await devices.signedIn(url, therapist.email, ['journal_entries']);
    office.sync.start();
    await waitFor(async () => (await office.db.journal_entries.count().exec()) === 1, 10_000, 'therapist sees the shared entry');
    expect((await office.db.journal_entries.find().exec()).map((doc) => doc.content)).toEqual(['για τη συνεδρία']);

    await (await phone.db.journal_entries.findOne(shared.id).exec())!.incrementalPatch({ sharedWithTherapist: false });
    await waitFor(async () => {
      office.sync.resync();
      return (await office.db.journal_entries.count().exec()) === 0;
    }, 10_000, 'the unshared entry left the therapist device');

    const other = await devices.signedIn(url, stranger.email, ['journal_entries']);
    const page = await other.api.sync.pull({ collection: 'journal_entries', checkpoint: null, limit: 100 });
    expect(page.documents).toEqual([]);
  });
});
