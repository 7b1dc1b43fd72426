import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import type { Logger } from '../logger/index.js';

export const migrationsDir = fileURLToPath(new URL('../../../migrations/sql/', import.meta.url));

/** Any constant works: it only has to be the same on every node that may migrate at once. */
const STARTUP_LOCK_KEY = 7_214_001;

/**
 * Umzug over `migrations/sql/NNNN_name.up.sql` and its `.down.sql`; each file runs in one
 * transaction and applied names are recorded in `schema_migrations`.
 */
export function createMigrator(sequelize: Sequelize, logger: Logger) {
  const log = logger.child({ module: 'migrations' });
  return new Umzug({
    migrations: {
      glob: ['*.up.sql', { cwd: migrationsDir }],
      resolve: ({ name, path }) => ({
        name: name.replace(/\.up\.sql$/, ''),
        up: () => runSqlFile(sequelize, path!),
        down: () => runSqlFile(sequelize, path!.replace(/\.up\.sql$/, '.down.sql')),
      }),
    },
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: {
      info: (event) => log.info(event),
      warn: (event) => log.warn(event),
      error: (event) => log.error(event),
      debug: (event) => log.debug(event),
    },
  });
}

async function runSqlFile(sequelize: Sequelize, path: string): Promise<void> {
  const sql = await readFile(path, 'utf8');
  await sequelize.transaction((transaction) => sequelize.query(sql, { transaction }));
}

/**
 * Runs `work` while holding the database's startup lock: a session advisory lock on a connection
 * of its own. Several nodes may start together; schema work (migrations, the job runner's own
 * tables) then runs on one node at a time instead of deadlocking.
 */
export async function withStartupLock<T>(databaseUrl: string, work: () => Promise<T>): Promise<T> {
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
    return await work();
  } finally {
    await lock.end();
  }
}

/** Applies pending migrations; nodes that wait for the lock then find nothing to do. */
export async function migrateUp(sequelize: Sequelize, databaseUrl: string, logger: Logger): Promise<string[]> {
  return withStartupLock(databaseUrl, async () => {
    const applied = await createMigrator(sequelize, logger).up();
    return applied.map((migration) => migration.name);
  });
}

export async function pendingMigrations(sequelize: Sequelize, logger: Logger): Promise<string[]> {
  const pending = await createMigrator(sequelize, logger).pending();
  return pending.map((migration) => migration.name);
}
