export { Database } from './database.js';
export { EmbeddedPostgresServer } from './embedded-postgres.js';
export { createMigrator, migrateUp, migrationsDir } from './migrator.js';
export type { Models, User, UserProfile, RefreshToken, UserToken, UserTokenPurpose, UserStatus } from './models/index.js';
export { competingWriteConflict } from './competing-writes.js';
