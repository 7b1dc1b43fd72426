import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '@therapy-field/sync';
import { signUp, TEST_PASSWORD } from '../../support/accounts.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { apiClient } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { insertNotification } from '../../support/realtime.js';
import { startRedis, type TestRedis } from '../../support/redis.js';
import { startRedisCluster, type TestRedisCluster } from '../../support/redis-cluster.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';
import { waitFor } from '../../support/wait.js';

async function pubsub(url: string, ...args: string[]): Promise<string[]> {
  const client = new Redis(url);
  try {
    return (await client.call('PUBSUB', ...args)) as string[];
  } finally {
    client.disconnect();
  }
}

/**
 * The same checks for sharded pub/sub on REDIS_URL's server and on a Redis Cluster: `shardedChannels`
 * lists the adapter's sharded channels wherever they live.
 */
function shardedAdapterSuite(name: string, cluster: boolean) {
  describe(name, () => {
    let redis: TestRedis;
    let redisCluster: TestRedisCluster | undefined;
    let database: TestDatabase;
    let nodeA: TestPlatform;
    let nodeB: TestPlatform;
    const sockets: ClientSocket[] = [];

    const shardedChannels = async () =>
      redisCluster ? (await redisCluster.onEachShard('SHARDCHANNELS', 'tf-socket.io*')).flat() : pubsub(redis.url, 'SHARDCHANNELS', 'tf-socket.io*');

    beforeAll(async () => {
      [redis, database, redisCluster] = await Promise.all([startRedis(), createTestDatabase(), cluster ? startRedisCluster() : undefined]);
      const env = { REDIS_URL: redis.url, SOCKET_IO_ADAPTER: 'redis-sharded', ...(redisCluster ? { SOCKET_IO_REDIS_CLUSTER: redisCluster.urls.join(',') } : {}) };
      nodeA = await startTestPlatform(env, database);
      nodeB = await startTestPlatform(env, database);
    });
    afterEach(() => {
      sockets.splice(0).forEach((socket) => socket.close());
    });
    afterAll(async () => {
      await Promise.all([nodeA?.close(), nodeB?.close()]);
      await database?.drop();
      await Promise.all([redis?.close(), redisCluster?.close()]);
    });

    it('joins the nodes over sharded channels only, and each sees the other', async () => {
      expect((await shardedChannels()).length).toBeGreaterThan(0);
      // No classic pub/sub channel anywhere; on a cluster, nothing of the adapter's on REDIS_URL's server.
      expect(await pubsub(redis.url, 'CHANNELS', 'tf-socket.io*')).toEqual([]);
      if (redisCluster) expect(await pubsub(redis.url, 'SHARDCHANNELS', 'tf-socket.io*')).toEqual([]);
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

      // A password change through node A disconnects the account's sockets on every node (an adapter broadcast).
      const closed = Promise.all([onA, onB].map((socket) => new Promise((resolve) => socket.once('disconnect', resolve))));
      const changed = await api('POST', '/auth/password/change', { token: user.accessToken, body: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new password' } });
      expect(changed.status).toBe(200);
      expect(await closed).toEqual(['io server disconnect', 'io server disconnect']);
    });
  });
}

shardedAdapterSuite('SOCKET_IO_ADAPTER=redis-sharded: two nodes on one Redis 7 server', false);
shardedAdapterSuite('SOCKET_IO_ADAPTER=redis-sharded with SOCKET_IO_REDIS_CLUSTER: two nodes on a three-shard Redis Cluster', true);
