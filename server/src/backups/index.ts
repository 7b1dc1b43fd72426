export { Backups, type BackupRecord, type BackupsDeps } from './backups.js';
export { prepareRestoreTarget } from './prepare-restore.js';
export type { BackupManifest, Progress } from './dump.js';
