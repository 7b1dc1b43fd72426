import { QueryTypes, type Sequelize } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { FieldCipher } from '../crypto/index.js';

/**
 * Re-encrypts every journal entry that is not under the cipher's current key, in small
 * transactions (`SKIP LOCKED`, so it runs beside live traffic). Returns how many rows changed.
 */
export async function rotateJournalKeys(sequelize: Sequelize, cipher: FieldCipher, audit: AuditLog, batchSize = 200): Promise<number> {
  let total = 0;
  for (;;) {
    const rotated = await sequelize.transaction(async (transaction) => {
      const rows = await sequelize.query<{ id: string; content: Buffer }>(
        `SELECT id, content FROM journal_entries
          WHERE encryption_key_id IS DISTINCT FROM :keyId
          ORDER BY id LIMIT :batchSize FOR UPDATE SKIP LOCKED`,
        { type: QueryTypes.SELECT, replacements: { keyId: cipher.currentKeyId, batchSize }, transaction },
      );
      for (const row of rows) {
        await sequelize.query('UPDATE journal_entries SET content = :content, encryption_key_id = :keyId WHERE id = :id', {
          replacements: { id: row.id, content: cipher.encrypt(cipher.decrypt(row.content)), keyId: cipher.currentKeyId },
          transaction,
        });
        await audit.record({ actorId: null, action: 'journal_entry.rekey', entityType: 'journal_entry', entityId: row.id, metadata: { keyId: cipher.currentKeyId } }, transaction);
      }
      return rows.length;
    });
    total += rotated;
    if (rotated < batchSize) return total;
  }
}
