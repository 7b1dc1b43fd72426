export { Platform } from './platform.js';
export { loadConfig, ConfigError, type Config } from './config/index.js';
export { createLogger, type Logger } from './logger/index.js';
export { Database, EmbeddedPostgresServer, createMigrator, migrationsDir } from './database/index.js';
export { FieldCipher } from './crypto/index.js';
export { currentTotp, hashPassword } from './auth/index.js';
export { ChangeFeed, type SequencedChange } from './changes/index.js';
export { seedDemoData, demoLogins, DEMO_PASSWORD } from './seed/index.js';
export { RealtimeHub, MemoryPresenceStore, RedisPresenceStore, businessRoom, userRoom, type PresenceStore, type CollectionLoader } from './realtime/index.js';
