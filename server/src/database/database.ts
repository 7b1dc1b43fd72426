import { resolve } from 'node:path';
import type { Sequelize } from 'sequelize';
import type { Config } from '../config/index.js';
import type { Logger } from '../logger/index.js';
import { createSequelize } from './connection.js';
import { EmbeddedPostgresServer } from './embedded-postgres.js';
import { migrateUp, pendingMigrations, withStartupLock } from './migrator.js';
import { defineModels, type Models } from './models/index.js';

const EMBEDDED_DATABASE = 'therapy_field';

/** The platform's PostgreSQL: the configured server, or an embedded one it starts and stops. */
export class Database {
  private closed = false;

  private constructor(
    readonly url: string,
    readonly sequelize: Sequelize,
    readonly models: Models,
    private readonly logger: Logger,
    private readonly embedded?: EmbeddedPostgresServer,
  ) {}

  static async create(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'embeddedPostgresPort'>, logger: Logger): Promise<Database> {
    let embedded: EmbeddedPostgresServer | undefined;
    let url = config.databaseUrl;
    if (!url) {
      embedded = await EmbeddedPostgresServer.create({
        dataDir: resolve(config.dataDir, 'pg'),
        port: config.embeddedPostgresPort,
        logger,
      });
      await embedded.createDatabaseIfMissing(EMBEDDED_DATABASE);
      url = embedded.url(EMBEDDED_DATABASE);
    }
    const sequelize = createSequelize(url, logger);
    return new Database(url, sequelize, defineModels(sequelize), logger, embedded);
  }

  migrate(): Promise<string[]> {
    return migrateUp(this.sequelize, this.url, this.logger);
  }

  /** Schema work that must not run on two starting nodes at once (see withStartupLock). */
  withStartupLock<T>(work: () => Promise<T>): Promise<T> {
    return withStartupLock(this.url, work);
  }

  /** Ready means reachable and fully migrated. */
  async isReady(): Promise<{ reachable: boolean; pendingMigrations: string[] }> {
    try {
      await this.sequelize.query('SELECT 1');
      return { reachable: true, pendingMigrations: await pendingMigrations(this.sequelize, this.logger) };
    } catch {
      return { reachable: false, pendingMigrations: [] };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.sequelize.close();
    await this.embedded?.close();
  }
}
