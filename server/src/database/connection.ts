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
