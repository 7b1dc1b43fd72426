import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Redis } from 'ioredis';
import { createAdminModule } from './admin/index.js';
import { AuditLog } from './audit/index.js';
import { createAuthModule, type AuthModule } from './auth/index.js';
import { ChangeFeed } from './changes/index.js';
import type { Config } from './config/index.js';
import { FieldCipher } from './crypto/index.js';
import { Database } from './database/index.js';
import { EmailQueue } from './email/index.js';
import { DomainEventBus } from './events/index.js';
import { healthRoutes } from './health/index.js';
import { createHttpApp } from './http/index.js';
import type { Logger } from './logger/index.js';
import { RealtimeHub } from './realtime/index.js';
import { createMeModule } from './users/index.js';
import { createVideoModule, type VideoService } from './video/index.js';

/**
 * One node of the platform: database, optional Redis, every capability and the HTTP server.
 * Created by `Platform.create()`, closed (children first) by the idempotent `close()`.
 */
export class Platform {
  private server?: ServerType;
  private closing?: Promise<void>;

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
    readonly video: VideoService,
    readonly app: ReturnType<typeof createHttpApp>,
    readonly redis?: Redis,
  ) {}

  static async create(config: Config, logger: Logger): Promise<Platform> {
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
    const changes = await ChangeFeed.create({ sequelize: database.sequelize, databaseUrl: database.url, logger });
    const auth = createAuthModule({ config, sequelize: database.sequelize, models: database.models, cipher, audit, emails, redis });
    const realtime = new RealtimeHub({ tokens: auth.tokens, logger });
    const me = createMeModule(database.models, auth.guard());
    const admin = createAdminModule(database.sequelize, audit, auth.guard('super_admin'));
    const video = createVideoModule({ config: config.video, sequelize: database.sequelize, realtime, logger });

    const app = createHttpApp({
      logger,
      bodyLimitBytes: config.bodyLimitBytes,
      mount: (root) => {
        root.route('/', healthRoutes(database));
        root.route('/auth', auth.routes);
        root.route('/me', me.routes);
        root.route('/admin', admin.routes);
      },
    });
    return new Platform(config, logger, database, cipher, audit, events, changes, auth, realtime, video.service, app, redis);
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
    // Disconnects every socket and closes the HTTP server it is attached to.
    const closed = this.realtime.close();
    if (this.server && 'closeIdleConnections' in this.server) this.server.closeIdleConnections();
    await closed;
    // Rooms and mediasoup workers after the sockets, so no request reaches a closed session.
    await this.video.close();
    await this.changes.close();
    await this.redis?.quit().catch(() => undefined);
    await this.database.close();
  }
}
