export { Platform } from './platform.js';
export { loadConfig, ConfigError, StartupError, type Config } from './config/index.js';
export { createLogger, type Logger } from './logger/index.js';
export { Database, EmbeddedPostgresServer, createMigrator, migrationsDir, runAsSystem, runAsUser, APP_ROLE, SYSTEM_ROLE } from './database/index.js';
export { FieldCipher } from './crypto/index.js';
export { currentTotp, hashPassword, totpStep } from './auth/index.js';
export { ChangeFeed, type SequencedChange } from './changes/index.js';
export { seedDemoData, demoLogins, DEMO_PASSWORD } from './seed/index.js';
export { createSyncModule, SyncService, type SyncModule } from './sync/index.js';
export { rotateEncryptionKeys, sealedTables, type SealedTable, type TableRotationReport } from './key-rotation/index.js';
export { AuditLog } from './audit/index.js';
export { jobNames, type PlatformOptions } from './platform.js';
export { DeliveryWorker, LogTransport, TwilioSmsTransport, type EmailTransport, type SmsTransport, type OutgoingEmail, type OutgoingSms } from './delivery/index.js';
export { computeSlots, seriesOccurrences } from './scheduling/index.js';
export { RealtimeHub, MemoryPresenceStore, RedisPresenceStore, businessRoom, userRoom, payloadShapeViolation, type PresenceStore, type CollectionLoader, type LoadRequest, type LoadedRecords } from './realtime/index.js';
export { applyRetentionPolicies, createPartitionsAhead, PARTITION_MONTHS_AHEAD } from './jobs/index.js';
export {
  buildSearchRequest,
  bulkWithRetry,
  BulkIndexError,
  createElasticsearchClient,
  ElasticsearchTherapistSearch,
  ELASTICSEARCH_8_HEADERS,
  greeklish,
  latinToGreek,
  reindexAll,
  SearchIndexer,
  setSearchIndexFeed,
  therapistIndexBody,
  type TherapistDocument,
} from './search/index.js';
