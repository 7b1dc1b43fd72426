export { rotateEncryptionKeys, type KeyRotationDeps, type KeyRotationOptions, type TableRotationReport } from './key-rotation.service.js';
export { sealedTables, type SealedTable } from './sealed-tables.js';
