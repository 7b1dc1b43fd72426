import { AuditLog } from '../audit/index.js';
import { describeFailure, loadConfig, withDevSecrets } from '../config/index.js';
import { FieldCipher } from '../crypto/index.js';
import { Database } from '../database/index.js';
import { createLogger } from '../logger/index.js';
import { rotateEncryptionKeys } from './key-rotation.service.js';

/**
 * `npm run rotate-keys`: re-encrypts every sealed column under ENCRYPTION_KEY_ID (old keys must
 * stay in ENCRYPTION_KEYS until it has run) and seals plaintext left by migrations. Exits 2 when
 * rows were skipped because live writes held them: run it again.
 */
async function run(): Promise<void> {
  const config = loadConfig(await withDevSecrets(process.env, process.env.DATA_DIR ?? '.data'));
  const database = await Database.create(config, createLogger(config.logLevel));
  try {
    const cipher = new FieldCipher(config.encryption.keys, config.encryption.currentKeyId);
    const reports = await rotateEncryptionKeys({ sequelize: database.owner, cipher, audit: new AuditLog(database.owner) });
    console.log(`re-encrypted under key ${cipher.currentKeyId}:`);
    for (const { table, rotated, remaining } of reports) console.log(`  ${table}: ${rotated} ${rotated === 1 ? 'row' : 'rows'}${remaining > 0 ? `, ${remaining} left (locked), run again` : ''}`);
    if (reports.some((report) => report.remaining > 0)) process.exitCode = 2;
  } finally {
    await database.close();
  }
}

run().catch((error: unknown) => {
  console.error(describeFailure(error));
  process.exit(1);
});
