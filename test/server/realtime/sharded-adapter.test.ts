import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '@therapy-field/sync';
import { signUp, TEST_PASSWORD } from '../../support/accounts.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { apiClient } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { insertNotification } from '../../support/realtime.js';
import { startRedis, type TestRedis } from '../../support/redis.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';
import { waitFor } from '../../support/wait.js';

let redis: TestRedis;
let database: TestDatabase;
let nodeA: TestPlatform;
let nodeB: TestPlatform;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  [redis, database] = await Promise.all([startRedis(), createTestDatabase()]);
  const env = { REDIS_URL: redis.url, SOCKET_IO_ADAPTER: 'redis-sharded' };
  nodeA = await startTestPlatform(env, database);
  nodeB = await startTestPlatform(env, database);
});
afterEach(() => {
  sockets.splice(0).forEach((socket) => socket.close());
});
afterAll(async () => {
  await Promise.all([nodeA?.close(), nodeB?.close()]);
  await database?.drop();
  await redis?.close();
});

async function pubsub(...args: string[]): Promise<string[]> {
  const client = new Redis(redis.url);
  try {
    return (await client.call('PUBSUB', ...args)) as string[];
  } finally {
    client.disconnect();
  }
}

describe('SOCKET_IO_ADAPTER=redis-sharded: two nodes on Redis 7 sharded pub/sub', () => {
  it('joins the nodes over sharded channels only, and each sees the other', async () => {
    const sharded = await pubsub('SHARDCHANNELS', 'tf-socket.io*');
    expect(sharded.length).toBeGreaterThan(0);
    expect(await pubsub('CHANNELS', 'tf-socket.io*')).toEqual([]);
    for (const node of [nodeA, nodeB]) expect(await node.platform.realtime.io.of('/').adapter.serverCount()).toBe(2);
  });

  it('delivers a change to a socket on the other node, and closes an account\'s sockets on both nodes', async () => {
    const api = apiClient(nodeA.url);
    const user = await signUp(api, nodeA.platform.database.owner, 'client');
    const [onA, onB] = [await connectSocket(nodeA.url, { token: user.accessToken }), await connectSocket(nodeB.url, { token: user.accessToken })];
    sockets.push(onA, onB);
    const received: ChangeEvent[] = [];
    onB.on('change', (change) => received.push(change));
    const id = await insertNotification(nodeA.platform.database.owner, user.id, 'across shards');
    await waitFor(() => received.some((change) => change.recordId === id), 10_000, 'the change on node B');

    // A password change through node A disconnects the account's sockets on every node (adapter broadcast).
    const closed = Promise.all([onA, onB].map((socket) => new Promise((resolve) => socket.once('disconnect', resolve))));
    const changed = await api('POST', '/auth/password/change', { token: user.accessToken, body: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new password' } });
    expect(changed.status).toBe(200);
    expect(await closed).toEqual(['io server disconnect', 'io server disconnect']);
  });
});
