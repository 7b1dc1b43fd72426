import { z } from 'zod';
import { StartupError } from './startup-error.js';

const port = z.coerce.number().int().min(0).max(65535);
const optionalUrl = z.url().optional();

/** Base64 of 32 random bytes per key: `ENCRYPTION_KEYS=k1:BASE64,k2:BASE64`. */
const encryptionKeys = z
  .string()
  .transform((raw, ctx) => {
    const keys = new Map<string, Buffer>();
    for (const entry of raw.split(',').map((part) => part.trim()).filter(Boolean)) {
      const [id, encoded] = entry.split(':');
      const key = Buffer.from(encoded ?? '', 'base64');
      if (!id || !/^[A-Za-z0-9_-]{1,32}$/.test(id) || key.length !== 32) {
        ctx.addIssue({ code: 'custom', message: 'each key must be "id:<base64 of 32 bytes>"' });
        return z.NEVER;
      }
      keys.set(id, key);
    }
    if (keys.size === 0) {
      ctx.addIssue({ code: 'custom', message: 'at least one key is required' });
      return z.NEVER;
    }
    return keys;
  });

/** Base64 of 32 random bytes: the AES-256-GCM key of backups. */
const backupKey = z.string().transform((raw, ctx) => {
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    ctx.addIssue({ code: 'custom', message: 'must be the base64 of 32 bytes (openssl rand -base64 32)' });
    return z.NEVER;
  }
  return key;
});

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    PORT: port.default(3000),
    PUBLIC_URL: optionalUrl,
    DATA_DIR: z.string().default('.data'),
    DATABASE_URL: optionalUrl,
    DATABASE_APP_URL: optionalUrl,
    DATABASE_APP_PASSWORD: z.string().min(16, 'must be at least 16 characters').optional(),
    DATABASE_SYSTEM_URL: optionalUrl,
    DATABASE_SYSTEM_PASSWORD: z.string().min(16, 'must be at least 16 characters').optional(),
    EMBEDDED_PG_PORT: port.default(54329),
    REDIS_URL: optionalUrl,
    SOCKET_IO_ADAPTER: z.enum(['redis', 'redis-sharded']).default('redis'),
    SOCKET_IO_REDIS_CLUSTER: z
      .string()
      .default('')
      .transform((raw, ctx) => {
        const urls = raw.split(',').map((part) => part.trim()).filter(Boolean);
        for (const url of urls) if (!URL.canParse(url) || new URL(url).protocol !== 'redis:') ctx.addIssue({ code: 'custom', message: `"${url}" is not a redis://host:port URL` });
        return urls;
      }),
    SEARCH_BACKEND: z.enum(['postgres', 'elasticsearch']).default('postgres'),
    ELASTICSEARCH_URL: optionalUrl,
    ELASTICSEARCH_INDEX: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,100}$/, 'lower-case letters, digits, - and _').default('therapists'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(2).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).default(30),
    AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    ENCRYPTION_KEYS: encryptionKeys,
    ENCRYPTION_KEY_ID: z.string().optional(),
    BACKUP_ENCRYPTION_KEY: backupKey.optional(),
    BACKUP_DIR: z.string().optional(),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
    SEED_DEMO_DATA: z.enum(['true', 'false']).optional(),
    REMINDER_OFFSETS_MINUTES: z
      .string()
      .default('1440,60')
      .transform((raw, ctx) => {
        const offsets = raw.split(',').map((part) => Number(part.trim()));
        if (offsets.length === 0 || offsets.some((offset) => !Number.isInteger(offset) || offset <= 0 || offset > 43_200)) {
          ctx.addIssue({ code: 'custom', message: 'a comma-separated list of whole minutes between 1 and 43200' });
          return z.NEVER;
        }
        return [...new Set(offsets)];
      }),
    SERIES_HORIZON_WEEKS: z.coerce.number().int().min(1).max(52).default(8),
    SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
    TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-f]{32}$/, 'must be a Twilio account SID (AC and 32 hex digits)').optional(),
    TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
    TWILIO_FROM: z.string().regex(/^(\+[1-9]\d{6,14}|MG[0-9a-f]{32})$/, 'must be a number in E.164 (+30…) or a messaging service SID (MG…)').optional(),
    TWILIO_API_URL: z.url().default('https://api.twilio.com'),
    DELIVERY_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    JOBS_POLL_INTERVAL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
    SOCKET_EVENTS_PER_SECOND: z.coerce.number().int().min(1).default(20),
    SOCKET_MAX_EVENT_BYTES: z.coerce.number().int().min(256).default(16_384),
    SOCKETS_PER_USER: z.coerce.number().int().min(1).max(1000).default(10),
    SOCKET_CONCURRENT_REQUESTS_PER_USER: z.coerce.number().int().min(1).max(100).default(4),
    PRESENCE_TTL_MS: z.coerce.number().int().min(300).max(60_000).default(45_000),
    CHANGE_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((raw, ctx) => {
        const origins = raw.split(',').map((part) => part.trim()).filter(Boolean);
        for (const origin of origins) {
          if (!URL.canParse(origin) || new URL(origin).origin !== origin) ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin like https://app.example.gr` });
        }
        return origins;
      }),
    VIDEO_WORKERS: z.coerce.number().int().min(1).optional(),
    VIDEO_LISTEN_IP: z.string().default('0.0.0.0'),
    VIDEO_ANNOUNCED_ADDRESS: z.string().optional(),
    VIDEO_RTC_MIN_PORT: port.default(40000),
    VIDEO_RTC_MAX_PORT: port.default(49999),
    VIDEO_JOIN_EARLY_MINUTES: z.coerce.number().min(0).default(10),
    VIDEO_GRACE_MINUTES: z.coerce.number().min(0).default(15),
    VIDEO_REJOIN_GRACE_SECONDS: z.coerce.number().min(0).default(60),
  })
  .refine((env) => [env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, env.TWILIO_FROM].every((value) => value === undefined) || [env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, env.TWILIO_FROM].every((value) => value !== undefined), {
    message: 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM go together: set all three or none',
    path: ['TWILIO_ACCOUNT_SID'],
  })
  .refine((env) => env.SOCKET_IO_ADAPTER === 'redis' || env.REDIS_URL, {
    path: ['SOCKET_IO_ADAPTER'],
    message: 'redis-sharded needs REDIS_URL (presence and rate limits live there)',
  })
  .refine((env) => env.SOCKET_IO_REDIS_CLUSTER.length === 0 || env.SOCKET_IO_ADAPTER === 'redis-sharded', {
    path: ['SOCKET_IO_REDIS_CLUSTER'],
    message: 'needs SOCKET_IO_ADAPTER=redis-sharded (a Redis Cluster carries sharded pub/sub only)',
  })
  .refine((env) => env.VIDEO_RTC_MIN_PORT <= env.VIDEO_RTC_MAX_PORT, {
    path: ['VIDEO_RTC_MAX_PORT'],
    message: 'must not be below VIDEO_RTC_MIN_PORT',
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.DATABASE_APP_URL || env.DATABASE_APP_PASSWORD, {
    path: ['DATABASE_APP_PASSWORD'],
    message: 'is required in production (or give DATABASE_APP_URL)',
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.DATABASE_SYSTEM_URL || env.DATABASE_SYSTEM_PASSWORD, {
    path: ['DATABASE_SYSTEM_PASSWORD'],
    message: 'is required in production (or give DATABASE_SYSTEM_URL)',
  })
  .refine((env) => !env.ENCRYPTION_KEY_ID || env.ENCRYPTION_KEYS.has(env.ENCRYPTION_KEY_ID), {
    path: ['ENCRYPTION_KEY_ID'],
    message: 'must name one of ENCRYPTION_KEYS',
  })
  .refine((env) => env.SEARCH_BACKEND !== 'elasticsearch' || env.ELASTICSEARCH_URL !== undefined, {
    path: ['ELASTICSEARCH_URL'],
    message: 'is required with SEARCH_BACKEND=elasticsearch',
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.METRICS_TOKEN !== undefined, {
    path: ['METRICS_TOKEN'],
    message: 'is required in production (16+ characters): without it GET /metrics is open to anyone',
  });

export type Env = z.infer<typeof envSchema>;

/** Twilio's Messages API; `apiUrl` is Twilio's own unless a test points it at a stand-in. */
export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  /** A sender number (E.164) or a messaging service SID (MG…). */
  from: string;
  apiUrl: string;
}

export interface Config {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  /** Absent: start the embedded PostgreSQL under `dataDir/pg`. Migrations run as this URL's user, the owner. */
  databaseUrl?: string;
  /**
   * The login roles the platform works as (see Database): `app` for requests, sockets and jobs
   * acting for a user (row-level security applies), `system` for the platform's own work across
   * users. A URL is used as is; without one the owner URL's host and database are used with the
   * role `tf_app` / `tf_system` and the password, which the platform sets on start.
   */
  databaseRoles: {
    app: { url?: string; password?: string };
    system: { url?: string; password?: string };
  };
  embeddedPostgresPort: number;
  redisUrl?: string;
  /** The directory search engine: PostgreSQL (default), or Elasticsearch at `url`, fed from the database. */
  search: { backend: 'postgres' } | { backend: 'elasticsearch'; url: string; alias: string };
  logLevel: Env['LOG_LEVEL'];
  auth: {
    jwtSecret: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlDays: number;
    /** Requests to `/auth/*` per client IP. */
    rateLimit: { points: number; windowSeconds: number };
  };
  encryption: { keys: Map<string, Buffer>; currentKeyId: string };
  /** Absent key: `npm run backup` and the backup job refuse to run (a backup is never written unencrypted). */
  backups: { key?: Buffer; dir: string };
  bodyLimitBytes: number;
  seedDemoData: boolean;
  scheduling: {
    /** Reminders go out this many minutes before a confirmed appointment. */
    reminderOffsetsMinutes: number[];
    /** Recurring series are booked this many weeks ahead. */
    seriesHorizonWeeks: number;
  };
  delivery: {
    /** Absent: the log transport (nothing leaves the machine). */
    smtpUrl?: string;
    /** SMS through Twilio's Messages API; absent: the log transport. */
    twilio?: TwilioSettings;
    retryBaseSeconds: number;
  };
  jobs: { pollingIntervalSeconds: number };
  /** Bearer token that `/metrics` asks for; absent: open (keep it on the internal network). */
  metricsToken?: string;
  /** Browser origins of web apps allowed to call the API and socket (CORS). */
  corsOrigins: string[];
  realtime: {
    /** Per socket; twice this passes as a burst. */
    eventsPerSecond: number;
    maxEventBytes: number;
    /** Sockets one account may have open across every node; one more is refused with TOO_MANY_CONNECTIONS. */
    socketsPerUser: number;
    /** `sync.pull`, `sync.push` and `changes.since` of one account running at once on a node; more wait in line. */
    concurrentRequestsPerUser: number;
    /** A device whose node stops heart-beating it is offline after this (at most 60 s). */
    presenceTtlMs: number;
    changeLogRetentionDays: number;
    /**
     * How nodes share Socket.IO rooms (with REDIS_URL): `redis`, classic pub/sub, where every
     * node hears every broadcast; `redis-sharded`, Redis 7 sharded pub/sub (SPUBLISH/SSUBSCRIBE, a
     * channel per room), where a broadcast reaches only the nodes with sockets in that room and,
     * on a Redis Cluster (`clusterUrls`), only the shard owning the channel.
     */
    socketAdapter: { kind: 'redis' | 'redis-sharded'; clusterUrls: string[] };
  };
  video: {
    /** mediasoup workers; absent: one per core. */
    workers?: number;
    listenIp: string;
    /** Address put in ICE candidates when the listen address is not reachable as is (NAT, 0.0.0.0). */
    announcedAddress?: string;
    rtcMinPort: number;
    rtcMaxPort: number;
    /** How long before the scheduled start the parties may join. */
    joinEarlyMinutes: number;
    /** How long after the scheduled end joining is still allowed. */
    graceMinutes: number;
    /** How long a dropped peer's place is kept before the session may end without it. */
    rejoinGraceSeconds: number;
  };
}

export class ConfigError extends StartupError {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Reads and validates the environment; a bad value throws a ConfigError naming every problem. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // An empty variable (`PORT=`) means "not set", as shells and compose files write it.
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`));
  }
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    databaseRoles: {
      app: { url: env.DATABASE_APP_URL, password: env.DATABASE_APP_PASSWORD },
      system: { url: env.DATABASE_SYSTEM_URL, password: env.DATABASE_SYSTEM_PASSWORD },
    },
    embeddedPostgresPort: env.EMBEDDED_PG_PORT,
    redisUrl: env.REDIS_URL,
    search: env.SEARCH_BACKEND === 'elasticsearch' ? { backend: 'elasticsearch', url: env.ELASTICSEARCH_URL!, alias: env.ELASTICSEARCH_INDEX } : { backend: 'postgres' },
    logLevel: env.LOG_LEVEL,
    auth: {
      jwtSecret: env.JWT_SECRET,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
      rateLimit: { points: env.AUTH_RATE_LIMIT_PER_MINUTE, windowSeconds: 60 },
    },
    encryption: {
      keys: env.ENCRYPTION_KEYS,
      currentKeyId: env.ENCRYPTION_KEY_ID ?? [...env.ENCRYPTION_KEYS.keys()][0]!,
    },
    backups: { key: env.BACKUP_ENCRYPTION_KEY, dir: env.BACKUP_DIR ?? `${env.DATA_DIR}/backups` },
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    seedDemoData: env.SEED_DEMO_DATA ? env.SEED_DEMO_DATA === 'true' : !env.DATABASE_URL,
    scheduling: { reminderOffsetsMinutes: env.REMINDER_OFFSETS_MINUTES, seriesHorizonWeeks: env.SERIES_HORIZON_WEEKS },
    delivery: {
      smtpUrl: env.SMTP_URL,
      twilio: env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, from: env.TWILIO_FROM, apiUrl: env.TWILIO_API_URL } : undefined,
      retryBaseSeconds: env.DELIVERY_RETRY_BASE_SECONDS,
    },
    jobs: { pollingIntervalSeconds: env.JOBS_POLL_INTERVAL_SECONDS },
    metricsToken: env.METRICS_TOKEN,
    corsOrigins: env.CORS_ORIGINS,
    realtime: {
      eventsPerSecond: env.SOCKET_EVENTS_PER_SECOND,
      maxEventBytes: env.SOCKET_MAX_EVENT_BYTES,
      socketsPerUser: env.SOCKETS_PER_USER,
      concurrentRequestsPerUser: env.SOCKET_CONCURRENT_REQUESTS_PER_USER,
      presenceTtlMs: env.PRESENCE_TTL_MS,
      changeLogRetentionDays: env.CHANGE_LOG_RETENTION_DAYS,
      socketAdapter: { kind: env.SOCKET_IO_ADAPTER, clusterUrls: env.SOCKET_IO_REDIS_CLUSTER },
    },
    video: {
      workers: env.VIDEO_WORKERS,
      listenIp: env.VIDEO_LISTEN_IP,
      announcedAddress: env.VIDEO_ANNOUNCED_ADDRESS,
      rtcMinPort: env.VIDEO_RTC_MIN_PORT,
      rtcMaxPort: env.VIDEO_RTC_MAX_PORT,
      joinEarlyMinutes: env.VIDEO_JOIN_EARLY_MINUTES,
      graceMinutes: env.VIDEO_GRACE_MINUTES,
      rejoinGraceSeconds: env.VIDEO_REJOIN_GRACE_SECONDS,
    },
  };
}
