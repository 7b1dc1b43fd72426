export { Database, type DatabaseConfig, type PoolName } from './database.js';
export type { PoolUse } from './connection.js';
export { EmbeddedPostgresServer } from './embedded-postgres.js';
export { createMigrator, migrateUp, migrationsDir } from './migrator.js';
export { afterCommit, currentScope, runAs, runAsSystem, runAsUser, type DatabaseIdentity, type DatabaseScope } from './context.js';
export { APP_ROLE, SYSTEM_ROLE } from './login-roles.js';
export type { Models, User, UserProfile, RefreshToken, UserToken, UserTokenPurpose, UserStatus } from './models/index.js';
export { competingWriteConflict } from './competing-writes.js';
