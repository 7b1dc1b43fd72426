import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Redis } from 'ioredis';
import { createAdminModule } from './admin/index.js';
import { AuditLog } from './audit/index.js';
import { createBusinessModule } from './business/index.js';
import { ReadCache } from './cache/index.js';
import { createAuthModule, type AuthModule } from './auth/index.js';
import { ChangeFeed, startChangeLogRetention } from './changes/index.js';
import { createClinicalModule } from './clinical/index.js';
import { createConsentModule } from './consent/index.js';
import { createContinuingEducationModule } from './continuing-education/index.js';
import type { Config } from './config/index.js';
import { FieldCipher } from './crypto/index.js';
import { Database, runAsSystem } from './database/index.js';
import { EmailQueue } from './email/index.js';
import { DeliveryWorker, LogTransport, SmtpTransport, TwilioSmsTransport, type EmailTransport, type SmsTransport } from './delivery/index.js';
import { createDirectoryModule } from './directory/index.js';
import { createSearchModule, type SearchModule } from './search/index.js';
import { DomainEventBus } from './events/index.js';
import { DatabaseHealthRepository, databaseHealthRoutes, healthRoutes } from './health/index.js';
import { createHttpApp } from './http/index.js';
import { JobRunner, maintenanceJobs } from './jobs/index.js';
import { Backups } from './backups/index.js';
import type { Logger } from './logger/index.js';
import { metricsRoutes, PlatformMetrics } from './metrics/index.js';
import { createMessagesModule } from './messages/index.js';
import { createMyRecordModule } from './my-record/index.js';
import { createNotificationsModule } from './notifications/index.js';
import { createPrivacyModule } from './privacy/index.js';
import { RealtimeHub } from './realtime/index.js';
import { createReviewsModule } from './reviews/index.js';
import { createSchedulingModule, type SchedulingModule } from './scheduling/index.js';
import { createSupervisionModule } from './supervision/index.js';
import { createSyncModule, type SyncModule } from './sync/index.js';
import { createMeModule } from './users/index.js';
import { createVideoModule, type VideoService } from './video/index.js';
import { webAppHandler } from './web-app/index.js';

/** Replaceable parts, for tests and embedders; each defaults from the configuration. */
export interface PlatformOptions {
  emailTransport?: EmailTransport;
  smsTransport?: SmsTransport;
}

/** Background jobs every node registers; pg-boss runs each tick on one node. */
export const jobNames = {
  deliver: 'delivery-drain',
  materializeSeries: 'series-materialize',
  purgeClinicalRecords: 'clinical-records-retention',
  remindLapsingEducation: 'continuing-education-reminders',
  refreshNextSlots: 'search-next-slots',
} as const;

/**
 * One node of the platform: database, optional Redis, every capability and the HTTP server.
 * Created by `Platform.create()`, closed (children first) by the idempotent `close()`.
 */
export class Platform {
  private server?: ServerType;
  private closing?: Promise<void>;
  private readonly stops: Array<() => void> = [];

  private constructor(
    readonly config: Config,
    readonly logger: Logger,
    readonly database: Database,
    readonly cipher: FieldCipher,
    readonly audit: AuditLog,
    readonly events: DomainEventBus,
    readonly changes: ChangeFeed,
    readonly auth: AuthModule,
    readonly realtime: RealtimeHub,
    readonly sync: SyncModule,
    readonly scheduling: SchedulingModule,
    readonly delivery: DeliveryWorker,
    readonly jobs: JobRunner,
    readonly metrics: PlatformMetrics,
    readonly video: VideoService,
    /** Releases this node's video sessions, then closes its rooms and the SFU. */
    private readonly closeVideo: () => Promise<void>,
    readonly app: ReturnType<typeof createHttpApp>,
    private readonly emailTransport: EmailTransport,
    readonly search: SearchModule,
    readonly cache: ReadCache,
    readonly redis?: Redis,
  ) {}

  static async create(config: Config, logger: Logger, options: PlatformOptions = {}): Promise<Platform> {
    const database = await Database.create(config, logger);
    try {
      await database.migrate();
    } catch (error) {
      await database.close();
      throw error;
    }
    const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
    const cipher = new FieldCipher(config.encryption.keys, config.encryption.currentKeyId);
    const audit = new AuditLog(database.sequelize);
    const emails = new EmailQueue(database.sequelize);
    const events = new DomainEventBus(logger.child({ module: 'events' }));
    const changes = await ChangeFeed.create({ sequelize: database.system, databaseUrl: database.systemUrl, logger });
    const auth = createAuthModule({ config, sequelize: database.sequelize, models: database.models, cipher, audit, emails, events, redis });
    let realtime: RealtimeHub | undefined;
    let jobs: JobRunner | undefined;
    let video: Awaited<ReturnType<typeof createVideoModule>> | undefined;
    const databaseHealth = new DatabaseHealthRepository(database.system);
    const metrics = new PlatformMetrics({
      connectedSockets: () => realtime?.localConnections ?? 0,
      changeLogBacklog: () => changes.backlog(),
      databasePools: () => database.poolUse(),
      databaseHealth: () => databaseHealth.check(),
      jobQueueDepths: async () => (await jobs?.queueDepths()) ?? [],
      videoSessions: () => video?.service.roomIds.length ?? 0,
      videoWorkers: () => video?.service.workerCount ?? 0,
    });
    database.onPoolAcquire((pool, seconds) => metrics.poolAcquireWait.observe({ pool }, seconds));
    const cache = ReadCache.create({ system: database.system, redisUrl: config.redisUrl, counters: metrics.cache, logger });
    changes.onWake(() => void cache.invalidateCommitted().catch(() => undefined));
    realtime = await RealtimeHub.create({
      authenticate: auth.authenticate,
      logger,
      sequelize: database.sequelize,
      changes,
      events,
      metrics,
      redisUrl: config.redisUrl,
      socketAdapter: config.realtime.socketAdapter,
      redis,
      limits: {
        eventsPerSecond: config.realtime.eventsPerSecond,
        maxEventBytes: config.realtime.maxEventBytes,
        maxRecordEventBytes: config.bodyLimitBytes,
        socketsPerUser: config.realtime.socketsPerUser,
        concurrentRequestsPerUser: config.realtime.concurrentRequestsPerUser,
      },
      // Room above the largest event we accept, so an oversized one is refused with an ack, not a dropped connection.
      maxPayloadBytes: 2 * config.bodyLimitBytes,
      presenceTtlMs: config.realtime.presenceTtlMs,
      corsOrigins: config.corsOrigins,
    });
    const notifications = createNotificationsModule({
      sequelize: database.sequelize,
      authenticated: auth.guard(),
      hub: realtime,
      events,
      emails,
      metrics,
      publicUrl: config.publicUrl,
    });
    const business = createBusinessModule({ sequelize: database.sequelize, businessAdmin: auth.guard('business_admin', 'super_admin'), hub: realtime, events, cache });
    const me = createMeModule(database.models, auth.guard());
    const admin = createAdminModule(database.sequelize, audit, auth.sessions, auth.guard('super_admin'));
    const privacy = createPrivacyModule({
      sequelize: database.sequelize,
      auth: auth.service,
      cipher,
      audit,
      hub: realtime,
      authenticated: auth.guard(),
      logger,
      redis,
    });
    const consent = createConsentModule({ sequelize: database.sequelize, audit, authenticated: auth.guard() });
    const sync = createSyncModule({
      sequelize: database.sequelize,
      changes,
      cipher,
      audit,
      authenticated: auth.guard(),
      liveCollections: realtime.collections,
      socketEvents: realtime.events,
      requests: realtime.requests,
    });
    const messages = createMessagesModule({ sequelize: database.sequelize, sync: sync.service, events, authenticated: auth.guard() });
    const reviews = createReviewsModule({ sequelize: database.sequelize, events, audit, authenticated: auth.guard(), superAdmin: auth.guard('super_admin') });
    const scheduling = createSchedulingModule({
      sequelize: database.sequelize,
      emails,
      events,
      cipher,
      audit,
      cache,
      logger,
      publicUrl: config.publicUrl,
      reminderOffsetsMinutes: config.scheduling.reminderOffsetsMinutes,
      seriesHorizonWeeks: config.scheduling.seriesHorizonWeeks,
      authenticated: auth.guard(),
      therapist: auth.guard('therapist'),
    });
    const search = await createSearchModule({
      sequelize: database.sequelize,
      system: database.system,
      slots: scheduling.scheduling,
      config: config.search,
      changes,
      logger,
    });
    const directory = createDirectoryModule({ sequelize: database.sequelize, search: search.backend, cache, guard: auth.guard });
    const clinical = createClinicalModule({
      sequelize: database.sequelize,
      scheduling: scheduling.scheduling,
      cipher,
      audit,
      authenticated: auth.guard(),
      therapist: auth.guard('therapist'),
    });
    const supervision = createSupervisionModule({ sequelize: database.sequelize, notes: clinical.notes, cipher, audit, therapist: auth.guard('therapist') });
    const myRecord = createMyRecordModule({
      sequelize: database.sequelize,
      system: database.system,
      notes: clinical.notes,
      consents: consent.service,
      cipher,
      audit,
      client: auth.guard('client'),
      superAdmin: auth.guard('super_admin'),
    });
    const education = createContinuingEducationModule({ sequelize: database.sequelize, system: database.system, therapist: auth.guard('therapist') });
    const logTransport = new LogTransport(logger.child({ module: 'delivery' }));
    const emailTransport = options.emailTransport ?? (config.delivery.smtpUrl ? new SmtpTransport(config.delivery.smtpUrl) : logTransport);
    const delivery = new DeliveryWorker({
      sequelize: database.system,
      logger,
      email: emailTransport,
      sms: options.smsTransport ?? (config.delivery.twilio ? new TwilioSmsTransport(config.delivery.twilio) : logTransport),
      retryBaseSeconds: config.delivery.retryBaseSeconds,
    });
    try {
      // pg-boss creates its schema and queues on start; two nodes doing that at once deadlock.
      jobs = await database.withStartupLock(async () => {
        const runner = await JobRunner.create({ connectionString: database.url, logger, pollingIntervalSeconds: config.jobs.pollingIntervalSeconds, observer: metrics.observeJob });
        await runner.register({ name: jobNames.deliver, cron: '* * * * *', run: () => runAsSystem(() => delivery.drainOnce()) });
        await runner.register({ name: jobNames.materializeSeries, cron: '7 * * * *', run: () => runAsSystem(() => scheduling.series.materializeAll()) });
        await runner.register({ name: jobNames.remindLapsingEducation, cron: '41 6 * * *', run: () => runAsSystem(() => education.remindLapsing()) });
        await runner.register({ name: jobNames.purgeClinicalRecords, cron: '23 2 * * *', run: () => runAsSystem(() => privacy.service.purgeExpiredClinicalRecords()) });
        // Partitions and materialized views are schema work: the owner's.
        for (const job of maintenanceJobs(database.owner)) await runner.register(job);
        await runner.register(new Backups({ owner: database.owner, databaseUrl: database.url, key: config.backups.key, dir: config.backups.dir, logger }).job());
        emails.onDue(() => runner.runSoon(jobNames.deliver));
        return runner;
      });
    } catch (error) {
      await changes.close();
      await cache.close();
      await redis?.quit().catch(() => undefined);
      await database.close();
      throw error;
    }
    // Session bookkeeping (start, end, admission) is the platform's: with Redis a request is served by the
    // session's node, away from the asker's database scope; the video service checks the parties itself.
    video = await createVideoModule({ config: config.video, sequelize: database.system, realtime, redis, logger });

    const app = createHttpApp({
      logger,
      bodyLimitBytes: config.bodyLimitBytes,
      corsOrigins: config.corsOrigins,
      observeRequest: metrics.observeRequest,
      mount: (root) => {
        root.use('*', cache.invalidateAfterWrites());
        // Before `admin`, whose router guards every `/admin/*` path: this route carries its own guard.
        root.route('/', databaseHealthRoutes(databaseHealth, auth.guard('super_admin')));
        root.use('/auth/*', auth.asPlatform());
        // The ICS feed's secret URL is its credential, like a reset link: the platform serves it.
        root.use('/calendar/*', auth.asPlatform());
        root.route('/auth', auth.routes);
        // Before `me`, whose router guards every `/me/*` path: these routes carry their own guard and rate limit.
        // `/me/record` (clients) and the break-glass route (super admins) carry their own guards.
        root.route('/', myRecord.routes);
        root.route('/me', privacy.routes);
        root.route('/me', consent.routes);
        root.route('/me', me.routes);
        // Before `admin`, whose router guards every `/admin/*` path: the moderation routes carry their own super admin guard.
        root.route('/', reviews.routes);
        root.route('/admin', admin.routes);
        root.route('/sync', sync.routes);
        root.route('/', directory.routes);
        root.route('/', scheduling.routes);
        root.route('/', clinical.routes);
        root.route('/', supervision.routes);
        root.route('/', education.routes);
        root.route('/notifications', notifications.routes);
        root.route('/', messages.routes);
        root.route('/businesses', business.routes);
      },
      probes: (root) => {
        root.route('/', healthRoutes(database));
        root.route('/metrics', metricsRoutes(metrics, config.metricsToken));
      },
      fallback: webAppHandler(),
    });
    const platform = new Platform(config, logger, database, cipher, audit, events, changes, auth, realtime, sync, scheduling, delivery, jobs, metrics, video.service, video.close, app, emailTransport, search, cache, redis);
    platform.stops.push(notifications.close, business.close, startChangeLogRetention(changes, config.realtime.changeLogRetentionDays, logger.child({ module: 'retention' })));
    return platform;
  }

  /** Serves HTTP and Socket.IO on the configured port (0 picks a free one); resolves with the URL. */
  listen(): Promise<string> {
    return new Promise((resolve) => {
      this.server = serve({ fetch: this.app.fetch, port: this.config.port, hostname: this.config.host }, (info: AddressInfo) => {
        const host = this.config.host === '0.0.0.0' ? 'localhost' : this.config.host;
        resolve(`http://${host}:${info.port}`);
      });
      this.realtime.attach(this.server as HttpServer);
    });
  }

  close(): Promise<void> {
    this.closing ??= this.closeChildren();
    return this.closing;
  }

  private async closeChildren(): Promise<void> {
    this.stops.forEach((stop) => stop());
    // Disconnects every socket and closes the HTTP server it is attached to.
    const closed = this.realtime.close();
    if (this.server && 'closeIdleConnections' in this.server) this.server.closeIdleConnections();
    await closed;
    // Rooms and mediasoup workers after the sockets, so no request reaches a closed session.
    await this.closeVideo();
    await this.changes.close();
    await this.search.close();
    await this.jobs.close();
    await this.cache.close();
    this.emailTransport.close?.();
    await this.redis?.quit().catch(() => undefined);
    await this.database.close();
  }
}
