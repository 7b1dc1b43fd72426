export { cacheEntries, type CacheEntry, type CacheName } from './cache-entries.js';
export { ReadCache, type CacheCounters, type ReadCacheOptions } from './read-cache.js';
