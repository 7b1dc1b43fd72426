import type { MiddlewareHandler } from 'hono';
import { Redis } from 'ioredis';
import type { Counter } from 'prom-client';
import { QueryTypes, type Sequelize } from 'sequelize';
import { afterCommit } from '../database/index.js';
import type { Logger } from '../logger/index.js';
import type { CacheEntry, CacheName } from './cache-entries.js';

/** Only one drain at a time across every node on this database (bumps stay in commit order). */
const DRAIN_LOCK_KEY = 7_214_660;
const DRAIN_BATCH = 1000;
const KEY_PREFIX = 'tf-cache';
const entryKey = (entry: CacheEntry) => `${KEY_PREFIX}#${entry.name}#${entry.key}`;
const tagKey = (tag: string) => `${KEY_PREFIX}#tag#${tag}`;

export interface CacheCounters {
  hits: Counter<'cache'>;
  misses: Counter<'cache'>;
  /** Tag versions bumped. */
  invalidations: Counter;
  /** Redis commands that failed (the read went to the database). */
  errors: Counter;
}

export interface ReadCacheOptions {
  /** The platform's own pool (tf_system), for draining `cache_invalidations`. */
  system: Sequelize;
  /** Without it nothing is cached; committed invalidations are still drained so the table stays small. */
  redisUrl?: string;
  counters: CacheCounters;
  logger: Logger;
}

/**
 * The Redis read cache of seed §11. An entry is stored with the versions its tags had before the
 * database was read, and served only while every tag still has that version: a committed change
 * (recorded by migration 1660's triggers, drained here) bumps its tags' versions in Redis, so
 * every node drops the entry at once, and an entry read while a change was landing is never
 * served. Without Redis, or while it is unreachable or invalidations are pending after an outage,
 * reads go to the database.
 */
export class ReadCache {
  private usable = false;
  private running?: Promise<void>;
  private queued?: Promise<void>;
  private closed = false;
  private readonly log: Logger;

  private constructor(
    private readonly options: ReadCacheOptions,
    private readonly redis?: Redis,
  ) {
    this.log = options.logger.child({ module: 'cache' });
  }

  static create(options: ReadCacheOptions): ReadCache {
    // Fail fast instead of queueing: a cache that waits for Redis is slower than the database.
    const redis = options.redisUrl
      ? new Redis(options.redisUrl, { maxRetriesPerRequest: 0, enableOfflineQueue: false, commandTimeout: 1000, retryStrategy: (times) => Math.min(times * 100, 2000) })
      : undefined;
    const cache = new ReadCache(options, redis);
    redis?.on('error', (error: Error) => cache.log.debug({ err: error }, 'cache redis error'));
    redis?.on('close', () => (cache.usable = false));
    // Invalidations that piled up while Redis was away are applied before anything is served again.
    redis?.on('ready', () => void cache.invalidateCommitted().catch(() => undefined));
    return cache;
  }

  /** The cached answer of `entry`, or `load()`'s (then stored once the asking transaction commits). */
  async read<T>(entry: CacheEntry, load: () => Promise<T>): Promise<T> {
    const redis = this.redis;
    if (!redis || !this.usable) return this.miss(entry.name, load);
    let versions: string;
    try {
      const [cached, tagVersions] = await Promise.all([redis.get(entryKey(entry)), redis.mget(entry.tags.map(tagKey))]);
      versions = tagVersions.map((version) => version ?? '0').join(',');
      const stored = cached === null ? null : (JSON.parse(cached) as { v: string; d: T });
      if (stored && stored.v === versions) {
        this.options.counters.hits.inc({ cache: entry.name });
        return stored.d;
      }
    } catch (error) {
      this.failed(error);
      return this.miss(entry.name, load);
    }
    const value = await this.miss(entry.name, load);
    // After commit: a rolled-back read-your-own-write must never be cached.
    afterCommit(() => {
      redis.set(entryKey(entry), JSON.stringify({ v: versions, d: value }), 'EX', entry.ttlSeconds).catch((error: unknown) => this.failed(error));
    });
    return value;
  }

  /**
   * Applies every committed invalidation: bumps the tags in Redis, then forgets the rows (in one
   * transaction, so a Redis failure leaves them for the next try). A call made while a drain runs
   * waits for one that starts after it, so it sees everything committed before the call.
   */
  invalidateCommitted(): Promise<void> {
    if (this.queued) return this.queued;
    const previous = this.running ?? Promise.resolve();
    const run: Promise<void> = previous
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        this.running = run;
        return this.drainAll();
      })
      .finally(() => {
        if (this.running === run) this.running = undefined;
      });
    this.queued = run;
    return run;
  }

  /** Drains after every write request, before the answer leaves: the next read anywhere is fresh. */
  invalidateAfterWrites(): MiddlewareHandler {
    return async (c, next) => {
      await next();
      if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) return;
      await this.invalidateCommitted().catch((error: unknown) => this.log.warn({ err: error }, 'cache invalidation failed; the cache is bypassed until it succeeds'));
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.running, this.queued]);
    this.redis?.disconnect();
  }

  private async miss<T>(cache: CacheName, load: () => Promise<T>): Promise<T> {
    this.options.counters.misses.inc({ cache });
    return load();
  }

  private failed(error: unknown): void {
    this.options.counters.errors.inc();
    this.log.debug({ err: error }, 'cache command failed; reading the database');
  }

  private async drainAll(): Promise<void> {
    if (this.closed) return;
    try {
      let drained: number;
      do drained = await this.drainBatch();
      while (drained === DRAIN_BATCH && !this.closed);
      this.usable = this.redis?.status === 'ready';
    } catch (error) {
      this.usable = false;
      throw error;
    }
  }

  private drainBatch(): Promise<number> {
    const { system } = this.options;
    return system.transaction(async (transaction) => {
      await system.query('SELECT pg_advisory_xact_lock(:key)', { replacements: { key: DRAIN_LOCK_KEY }, transaction });
      const rows = await system.query<{ tags: string[] }>(
        `DELETE FROM cache_invalidations WHERE id IN (SELECT id FROM cache_invalidations ORDER BY id LIMIT :batch) RETURNING tags`,
        { type: QueryTypes.SELECT, replacements: { batch: DRAIN_BATCH }, transaction },
      );
      const tags = [...new Set(rows.flatMap((row) => row.tags))];
      if (this.redis && tags.length > 0) {
        const results = await tags.reduce((multi, tag) => multi.incr(tagKey(tag)), this.redis.multi()).exec();
        const failure = results === null ? new Error('cache invalidation transaction aborted') : results.find(([error]) => error)?.[0];
        if (failure) throw failure;
        this.options.counters.invalidations.inc(tags.length);
      }
      return rows.length;
    });
  }
}
