import { Sequelize } from 'sequelize';
import type { Logger } from '../logger/index.js';

export function createSequelize(databaseUrl: string, logger: Logger, poolMax = 20): Sequelize {
  const log = logger.child({ module: 'sql' });
  return new Sequelize(databaseUrl, {
    dialect: 'postgres',
    // Never the SQL text: with replacements Sequelize hands over the statement with every value
    // (tokens, token hashes, emails, password hashes) already written into it.
    logging: (sql, ms) => log.trace({ statement: statementKind(sql), ms }),
    benchmark: true,
    pool: { max: poolMax, min: 0, idle: 10_000, acquire: 30_000 },
    define: { underscored: true, timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at' },
  });
}

/** `SELECT`, `INSERT`, `START TRANSACTION`…: the first word of a statement as Sequelize logs it (`Executed (id): …`). */
function statementKind(logged: string): string {
  const statement = logged.replace(/^Execut(?:ed|ing) \([^)]*\):\s*/, '');
  return /^[A-Za-z]+/.exec(statement)?.[0].toUpperCase() ?? 'OTHER';
}

/** How a connection pool is used right now. */
export interface PoolUse {
  inUse: number;
  idle: number;
  /** Callers waiting for a connection (the pool is at its maximum). */
  waiting: number;
  max: number;
}

interface SequelizePool {
  using: number;
  available: number;
  waiting: number;
  maxSize: number;
}

export function poolUse(sequelize: Sequelize): PoolUse {
  const pool = (sequelize.connectionManager as unknown as { pool: SequelizePool }).pool;
  return { inUse: pool.using, idle: pool.available, waiting: pool.waiting, max: pool.maxSize };
}

/** Calls `listener` with how long each connection took to come out of the pool. */
export function onPoolAcquire(sequelize: Sequelize, listener: (seconds: number) => void): void {
  // Sequelize passes the same options object to both hooks: the start time rides on it.
  const started = new WeakMap<object, number>();
  sequelize.addHook('beforePoolAcquire', (options: object) => void started.set(options, performance.now()));
  sequelize.addHook('afterPoolAcquire', (_connection: unknown, options: object) => {
    const start = started.get(options);
    if (start !== undefined) listener((performance.now() - start) / 1000);
  });
}
