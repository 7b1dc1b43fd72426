import { AuditLog } from '../audit/index.js';
import { ConfigError, loadConfig, withDevSecrets } from '../config/index.js';
import { FieldCipher } from '../crypto/index.js';
import { Database } from '../database/index.js';
import { createLogger } from '../logger/index.js';
import { rotateJournalKeys } from './rotate-keys.js';

/** `npm run rotate-keys`: re-encrypts journal entries under ENCRYPTION_KEY_ID (old keys must stay in ENCRYPTION_KEYS). */
async function run(): Promise<void> {
  const config = loadConfig(await withDevSecrets(process.env, process.env.DATA_DIR ?? '.data'));
  const database = await Database.create(config, createLogger(config.logLevel));
  try {
    const cipher = new FieldCipher(config.encryption.keys, config.encryption.currentKeyId);
    const rotated = await rotateJournalKeys(database.sequelize, cipher, new AuditLog(database.sequelize));
    console.log(`re-encrypted ${rotated} journal entries under key ${cipher.currentKeyId}`);
  } finally {
    await database.close();
  }
}

run().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
