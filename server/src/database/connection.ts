import { Sequelize } from 'sequelize';
import type { Logger } from '../logger/index.js';

export function createSequelize(databaseUrl: string, logger: Logger, poolMax = 20): Sequelize {
  const log = logger.child({ module: 'sql' });
  return new Sequelize(databaseUrl, {
    dialect: 'postgres',
    logging: (sql) => log.trace({ sql }),
    pool: { max: poolMax, min: 0, idle: 10_000, acquire: 30_000 },
    define: { underscored: true, timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at' },
  });
}
