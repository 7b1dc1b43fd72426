import { createHash } from 'node:crypto';

/** What is cached (seed §11). Clinical data has no entry here and is never cached. */
export type CacheName = 'therapist-profile' | 'therapist-availability' | 'therapist-slots' | 'therapist-search' | 'user-appointments' | 'business-usage';

/**
 * One cached answer: where it lives, the tags whose change drops it (named as migration 1660's
 * `cache_tags_of_row` names them) and its time to live, the seed's TTL as an upper bound.
 */
export interface CacheEntry {
  name: CacheName;
  key: string;
  tags: string[];
  ttlSeconds: number;
}

/** Seed §11's TTLs (seconds). */
const ttl = { therapistProfile: 1800, therapistAvailability: 300, searchResults: 600, analytics: 3600 } as const;

/** A short, stable key for a query object: the same filters in any order give the same key. */
function digest(value: unknown): string {
  const sorted = (input: unknown): unknown =>
    Array.isArray(input)
      ? input.map(sorted)
      : input && typeof input === 'object'
        ? Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sorted(v)]))
        : input;
  return createHash('sha256').update(JSON.stringify(sorted(value))).digest('base64url');
}

export const cacheEntries = {
  /** A listed therapist's public profile (as anyone who is not the therapist or an admin sees it). */
  therapistProfile: (therapistId: string): CacheEntry => ({
    name: 'therapist-profile', key: therapistId, tags: [`therapist:${therapistId}`, 'catalog'], ttlSeconds: ttl.therapistProfile,
  }),
  /** A therapist's weekly hours and exceptions, as `viewerId` (the therapist or an admin) reads them. */
  therapistAvailability: (therapistId: string, viewerId: string): CacheEntry => ({
    name: 'therapist-availability', key: `${therapistId}:${viewerId}`, tags: [`schedule:${therapistId}`], ttlSeconds: ttl.therapistAvailability,
  }),
  /** The public bookable slots of a listed therapist for one query (type, mode, days). */
  therapistSlots: (therapistId: string, query: object): CacheEntry => ({
    name: 'therapist-slots', key: `${therapistId}:${digest(query)}`,
    tags: [`schedule:${therapistId}`, `therapist:${therapistId}`, 'appointment-types'], ttlSeconds: ttl.therapistAvailability,
  }),
  /** A public directory search: the same for whoever asks (listed therapists only). */
  therapistSearch: (query: object): CacheEntry => ({
    name: 'therapist-search', key: digest(query), tags: ['search', 'catalog'], ttlSeconds: ttl.searchResults,
  }),
  /** A user's own appointments for one filter; their times read in each therapist's zone. */
  userAppointments: (userId: string, filters: object): CacheEntry => ({
    name: 'user-appointments', key: `${userId}:${digest(filters)}`, tags: [`appointments:${userId}`, 'therapist-settings'], ttlSeconds: ttl.therapistAvailability,
  }),
  /** A company's usage aggregates as `viewerId` (one of its admins or a super admin) reads them. */
  businessUsage: (businessId: string, viewerId: string): CacheEntry => ({
    name: 'business-usage', key: `${businessId}:${viewerId}`, tags: [`business:${businessId}`], ttlSeconds: ttl.analytics,
  }),
};
