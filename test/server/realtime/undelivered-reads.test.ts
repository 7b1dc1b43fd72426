import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../support/accounts.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { collectChanges } from '../../support/realtime.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';
import { waitFor } from '../../support/wait.js';
import { moodEntry, syncOverHttp } from '../../sync/sync-fixtures.js';

let node: TestPlatform;
let api: ApiRequest;
const sockets: ClientSocket[] = [];
const sync = syncOverHttp(() => api);

beforeAll(async () => {
  node = await startTestPlatform();
  api = apiClient(node.url);
});
afterAll(async () => {
  sockets.forEach((socket) => socket.close());
  await node?.close();
});

const readsOf = async (userId: string) =>
  (
    await node.platform.database.owner.query<{ entity_id: string }>(`SELECT entity_id FROM audit_logs WHERE user_id = :userId AND action = 'mood_entry.read'`, {
      type: QueryTypes.SELECT,
      replacements: { userId },
    })
  ).map((row) => row.entity_id);

async function connectedChanges(token: string) {
  const socket = await connectSocket(node.url, { token });
  sockets.push(socket);
  return collectChanges(socket);
}

// Before: live delivery loaded, decrypted and audited every change for every recipient, with or
// without a connected device (1,000 entries written offline: 1,000 reads that never happened).
describe('live delivery to recipients with no device connected', () => {
  it('reads and audits nothing for them; a connected device gets its change and one read row', async () => {
    const absent = await signUp(api, node.platform.database.owner, 'client');
    const present = await signUp(api, node.platform.database.owner, 'client');
    const presentChanges = await connectedChanges(present.accessToken);

    const offline = [moodEntry({ notes: 'written while no device listens 1' }), moodEntry({ notes: 'written while no device listens 2' })];
    expect((await sync.push(absent.accessToken, 'mood_entries', offline.map((doc) => ({ newDocumentState: doc })))).status).toBe(200);
    // Delivery goes in commit order: once the later change of another user has arrived, the
    // absent user's changes have been through delivery.
    const marker = moodEntry({ notes: 'the marker' });
    expect((await sync.push(present.accessToken, 'mood_entries', [{ newDocumentState: marker }])).status).toBe(200);
    await waitFor(() => presentChanges.some((change) => change.recordId === marker.id), 20_000, 'the marker delivered');
    expect(await readsOf(absent.id)).toEqual([]);
    expect(await readsOf(present.id)).toEqual([marker.id]);

    const absentChanges = await connectedChanges(absent.accessToken);
    const online = moodEntry({ notes: 'written with a device connected' });
    expect((await sync.push(absent.accessToken, 'mood_entries', [{ newDocumentState: online }])).status).toBe(200);
    await waitFor(() => absentChanges.some((change) => change.recordId === online.id), 20_000, 'the change delivered');
    expect(absentChanges.find((change) => change.recordId === online.id)?.data).toMatchObject({ notes: 'written with a device connected' });
    expect(await readsOf(absent.id)).toEqual([online.id]);
  });
});
