import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { RedisPresenceStore } from '@therapy-field/server';
import { startRedis, type TestRedis } from '../../../support/redis.js';
import { presenceStoreContract } from './presence-store.case.js';

let redis: TestRedis;
const clients: Redis[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()));
  await redis?.close();
});

presenceStoreContract(
  'redis',
  async (ttlMs) => {
    const client = new Redis(redis.url);
    clients.push(client);
    return new RedisPresenceStore(client, ttlMs);
  },
  { shared: true },
);
