import { resolve } from 'node:path';
import type { Sequelize } from 'sequelize';
import type { Config } from '../config/index.js';
import type { Logger } from '../logger/index.js';
import { createSequelize, onPoolAcquire, poolUse, type PoolUse } from './connection.js';
import { EmbeddedPostgresServer } from './embedded-postgres.js';
import { APP_ROLE, loginRoleUrl, setLoginRolePasswords, SYSTEM_ROLE, type LoginRole } from './login-roles.js';
import { migrateUp, pendingMigrations, withStartupLock } from './migrator.js';
import { defineModels, type Models } from './models/index.js';
import { scopeSequelize } from './scoped-sequelize.js';

const EMBEDDED_DATABASE = 'therapy_field';

/** The three pools by the role they log in as (see Database). */
export type PoolName = 'app' | 'system' | 'owner';

export type DatabaseConfig = Pick<Config, 'databaseUrl' | 'dataDir' | 'embeddedPostgresPort'> & Partial<Pick<Config, 'databaseRoles'>>;

/**
 * The platform's PostgreSQL (the configured server, or an embedded one it starts and stops),
 * reached as three roles:
 * - `owner` (the configured URL): migrations, the startup lock, the job runner's schema, operator tools;
 * - `sequelize`, the app role `tf_app`: owns nothing and is subject to row-level security; every
 *   query follows the current DatabaseScope (see runAsUser / runAsSystem), as nobody outside one;
 * - `system`, the role `tf_system` (BYPASSRLS) on a pool of its own (10): the platform's work
 *   across users. The scoped `sequelize` routes there inside runAsSystem; platform-only parts
 *   (change feed, delivery) are given it directly.
 */
export class Database {
  private closed = false;

  private constructor(
    /** The owner's URL. */
    readonly url: string,
    readonly systemUrl: string,
    readonly owner: Sequelize,
    readonly sequelize: Sequelize,
    readonly system: Sequelize,
    readonly models: Models,
    private readonly roles: LoginRole[],
    private readonly logger: Logger,
    private readonly embedded?: EmbeddedPostgresServer,
  ) {}

  static async create(config: DatabaseConfig, logger: Logger): Promise<Database> {
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
    const roles: LoginRole[] = [
      { name: APP_ROLE, ...config.databaseRoles?.app },
      { name: SYSTEM_ROLE, ...config.databaseRoles?.system },
    ];
    const [appUrl, systemUrl] = roles.map((role) => loginRoleUrl(url, role)) as [string, string];
    const owner = createSequelize(url, logger, 2);
    const system = createSequelize(systemUrl, logger, 10);
    const sequelize = scopeSequelize(createSequelize(appUrl, logger, 20), system);
    return new Database(url, systemUrl, owner, sequelize, system, defineModels(sequelize), roles, logger, embedded);
  }

  /** Applies pending migrations as the owner, then lets the login roles in with their passwords. */
  async migrate(): Promise<string[]> {
    const applied = await migrateUp(this.owner, this.url, this.logger);
    await setLoginRolePasswords(this.url, this.roles);
    return applied;
  }

  /** Schema work that must not run on two starting nodes at once (see withStartupLock). */
  withStartupLock<T>(work: () => Promise<T>): Promise<T> {
    return withStartupLock(this.url, work);
  }

  /** Each pool's connections in use, idle and waited for (for /metrics). */
  poolUse(): Array<{ pool: PoolName; use: PoolUse }> {
    return this.pools().map(([pool, sequelize]) => ({ pool, use: poolUse(sequelize) }));
  }

  /** Calls `listener` with each wait for a connection, by pool. */
  onPoolAcquire(listener: (pool: PoolName, seconds: number) => void): void {
    for (const [pool, sequelize] of this.pools()) onPoolAcquire(sequelize, (seconds) => listener(pool, seconds));
  }

  private pools(): Array<[PoolName, Sequelize]> {
    return [['app', this.sequelize], ['system', this.system], ['owner', this.owner]];
  }

  /** Ready means reachable (as the app role) and fully migrated. */
  async isReady(): Promise<{ reachable: boolean; pendingMigrations: string[] }> {
    try {
      await this.sequelize.query('SELECT 1');
      return { reachable: true, pendingMigrations: await pendingMigrations(this.owner, this.logger) };
    } catch {
      return { reachable: false, pendingMigrations: [] };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.sequelize.close(), this.system.close(), this.owner.close()]);
    await this.embedded?.close();
  }
}
