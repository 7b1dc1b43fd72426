import type { Redis } from 'ioredis';
import type { PresenceState } from '@therapy-field/sync';
import { aggregateStatus, type DeviceStatus, type PresenceDevice, type PresenceStore } from './presence-types.js';

const PREFIX = 'tf-presence';
const userKey = (userId: string) => `${PREFIX}#user#${userId}`;
const EXPIRY_KEY = `${PREFIX}#expiry#devices`;
const AVAILABLE_KEY = `${PREFIX}#available#therapists`;
const member = (userId: string, deviceId: string) => `${userId}#${deviceId}`;

/**
 * Removes one device if its heartbeat is still overdue (a heartbeat may have come in since the
 * scan); returns the user's device statuses before and after, or nil when it was not removed.
 */
const SWEEP_DEVICE = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) > tonumber(ARGV[2]) then return nil end
local before = redis.call('HVALS', KEYS[2])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[3])
return { before, redis.call('HVALS', KEYS[2]) }`;

/**
 * Adds a device as online unless the user has ARGV[3] other devices whose expiry is still ahead
 * (a dead node's devices stop counting when they expire); returns the user's device statuses
 * before and after, or nil when refused.
 */
const ADD_DEVICE = `
local live = 0
for _, device in ipairs(redis.call('HKEYS', KEYS[1])) do
  if device ~= ARGV[1] then
    local expiry = redis.call('ZSCORE', KEYS[2], ARGV[2] .. device)
    if expiry and tonumber(expiry) > tonumber(ARGV[4]) then live = live + 1 end
  end
end
if live >= tonumber(ARGV[3]) then return nil end
local before = redis.call('HVALS', KEYS[1])
redis.call('HSET', KEYS[1], ARGV[1], 'online')
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[2] .. ARGV[1])
return { before, redis.call('HVALS', KEYS[1]) }`;

/**
 * Presence shared by every node: per user a hash of device → status, and one sorted set of
 * device expiry times that each node's sweeper scans for devices of nodes that stopped beating.
 */
export class RedisPresenceStore implements PresenceStore {
  constructor(
    private readonly redis: Redis,
    readonly ttlMs: number,
  ) {}

  async setDevice(userId: string, deviceId: string, status: DeviceStatus): Promise<PresenceState | undefined> {
    const results = await this.redis
      .multi()
      .hvals(userKey(userId))
      .hset(userKey(userId), deviceId, status)
      .pexpire(userKey(userId), this.ttlMs * 2)
      .zadd(EXPIRY_KEY, Date.now() + this.ttlMs, member(userId, deviceId))
      .hvals(userKey(userId))
      .exec();
    return this.changed(userId, results?.[0]?.[1], results?.[4]?.[1]);
  }

  async addDevice(userId: string, deviceId: string, maxDevices: number): Promise<{ admitted: boolean; changed?: PresenceState }> {
    const now = Date.now();
    const result = (await this.redis.eval(ADD_DEVICE, 2, userKey(userId), EXPIRY_KEY, deviceId, member(userId, ''), maxDevices, now, now + this.ttlMs, this.ttlMs * 2)) as
      | [string[], string[]]
      | null;
    if (!result) return { admitted: false };
    return { admitted: true, changed: await this.changed(userId, result[0], result[1]) };
  }

  async removeDevice(userId: string, deviceId: string): Promise<PresenceState | undefined> {
    const results = await this.redis
      .multi()
      .hvals(userKey(userId))
      .hdel(userKey(userId), deviceId)
      .zrem(EXPIRY_KEY, member(userId, deviceId))
      .hvals(userKey(userId))
      .exec();
    return this.changed(userId, results?.[0]?.[1], results?.[3]?.[1]);
  }

  async heartbeat(devices: PresenceDevice[]): Promise<void> {
    if (devices.length === 0) return;
    const expiresAt = Date.now() + this.ttlMs;
    const batch = this.redis.pipeline();
    for (const { userId, deviceId, status } of devices) {
      batch.hset(userKey(userId), deviceId, status).pexpire(userKey(userId), this.ttlMs * 2).zadd(EXPIRY_KEY, expiresAt, member(userId, deviceId));
    }
    await batch.exec();
  }

  async sweep(): Promise<PresenceState[]> {
    const now = Date.now();
    const overdue = await this.redis.zrangebyscore(EXPIRY_KEY, '-inf', now, 'LIMIT', 0, 1000);
    const changed: PresenceState[] = [];
    for (const entry of overdue) {
      const [userId, deviceId] = entry.split('#') as [string, string];
      const result = (await this.redis.eval(SWEEP_DEVICE, 2, EXPIRY_KEY, userKey(userId), entry, now, deviceId)) as [string[], string[]] | null;
      const state = result ? await this.changed(userId, result[0], result[1]) : undefined;
      if (state) changed.push(state);
    }
    return changed;
  }

  async setAvailableNow(userId: string, availableNow: boolean): Promise<PresenceState> {
    if (availableNow) await this.redis.sadd(AVAILABLE_KEY, userId);
    else await this.redis.srem(AVAILABLE_KEY, userId);
    return (await this.states([userId]))[0]!;
  }

  async states(userIds: string[]): Promise<PresenceState[]> {
    if (userIds.length === 0) return [];
    const batch = this.redis.pipeline();
    for (const userId of userIds) batch.hvals(userKey(userId)).sismember(AVAILABLE_KEY, userId);
    const results = (await batch.exec()) ?? [];
    return userIds.map((userId, index) => {
      const status = aggregateStatus((results[index * 2]?.[1] as DeviceStatus[] | undefined) ?? []);
      return { userId, status, availableNow: status !== 'offline' && results[index * 2 + 1]?.[1] === 1 };
    });
  }

  /** The Redis connection belongs to the platform, which closes it. */
  async close(): Promise<void> {}

  private async changed(userId: string, before: unknown, after: unknown): Promise<PresenceState | undefined> {
    const previous = aggregateStatus((before as DeviceStatus[] | undefined) ?? []);
    const status = aggregateStatus((after as DeviceStatus[] | undefined) ?? []);
    if (previous === status) return undefined;
    const available = status !== 'offline' && (await this.redis.sismember(AVAILABLE_KEY, userId)) === 1;
    return { userId, status, availableNow: available };
  }
}
