import { randomBytes, randomUUID } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { QueryTypes } from 'sequelize';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type TherapyFieldClient } from '@therapy-field/client-sdk';
import { signUp, TEST_PASSWORD } from '../support/accounts.js';
import { apiClient } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { moodEntry } from '../sync/sync-fixtures.js';

let node: TestPlatform;
const clients: TherapyFieldClient<'mood_entries'>[] = [];

beforeAll(async () => {
  node = await startTestPlatform();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await node?.close();
});

/** The browsers' storage: RxDB's Dexie (IndexedDB) storage, here on an in-memory IndexedDB. */
async function indexedDbDevice(indexedDB: IDBFactory) {
  const client = await createClient({
    url: node.url,
    storage: wrappedValidateAjvStorage({ storage: getRxStorageDexie({ indexedDB, IDBKeyRange }) }),
    databaseName: `browser${randomBytes(5).toString('hex')}`,
    collections: ['mood_entries'],
    retryTimeMs: 100,
  });
  clients.push(client);
  return client;
}

describe('the SDK on IndexedDB (Dexie) storage', () => {
  it('keeps an offline mood in IndexedDB and syncs it to the server', async () => {
    const user = await signUp(apiClient(node.url), node.platform.database.owner);
    const device = await indexedDbDevice(new IDBFactory());
    await device.auth.login(user.email, TEST_PASSWORD);

    const id = randomUUID();
    await device.db.mood_entries.insert(moodEntry({ id, moodScore: 4 }));
    device.sync.start();
    await device.sync.awaitInSync();

    const [row] = await node.platform.database.owner.query<{ mood_score: number }>('SELECT mood_score FROM mood_entries WHERE id = :id', {
      type: QueryTypes.SELECT,
      replacements: { id },
    });
    expect(row?.mood_score).toBe(4);
  });
});
