import type { Sequelize } from 'sequelize';
import type { AuditEntry, AuditLog } from '../audit/index.js';
import type { FieldCipher } from '../crypto/index.js';
import { KeyRotationRepository, type RowToRotate } from './key-rotation.repository.js';
import { sealedTables, type SealedTable } from './sealed-tables.js';

export interface KeyRotationDeps {
  sequelize: Sequelize;
  cipher: FieldCipher;
  audit: AuditLog;
}

export interface KeyRotationOptions {
  /** Rows per transaction. @default 200 */
  batchSize?: number;
  /** @default sealedTables */
  tables?: readonly SealedTable[];
}

/** What rotation did to one table. */
export interface TableRotationReport {
  table: string;
  /** Rows whose values were re-encrypted or whose plaintext was sealed. */
  rotated: number;
  /** Rows still not under the current key (locked by live writes during the run): run again. */
  remaining: number;
}

/**
 * Re-encrypts every sealed value under the cipher's current key and seals pending plaintext,
 * table by table, in small transactions beside live traffic. Each changed row is audited
 * (`<entity>.rekey`). Rows already under the current key are skipped, so a second run changes
 * nothing.
 */
export async function rotateEncryptionKeys({ sequelize, cipher, audit }: KeyRotationDeps, options: KeyRotationOptions = {}): Promise<TableRotationReport[]> {
  const repository = new KeyRotationRepository(sequelize);
  const batchSize = options.batchSize ?? 200;
  const reports: TableRotationReport[] = [];
  for (const sealedTable of options.tables ?? sealedTables) {
    let rotated = 0;
    let afterKey: string[] | null = null;
    for (;;) {
      const batch: RowToRotate[] = await repository.transaction(async (transaction) => {
        const rows = await repository.lockNextBatch(sealedTable, cipher.currentKeyId, afterKey, batchSize, transaction);
        const audits: AuditEntry[] = [];
        for (const row of rows) {
          const { sealed, changedColumns } = resealRow(sealedTable, row, cipher);
          await repository.writeSealed(sealedTable, row.key, sealed, cipher.currentKeyId, transaction);
          if (changedColumns.length > 0) {
            audits.push({
              actorId: null,
              action: `${sealedTable.entityType}.rekey`,
              entityType: sealedTable.entityType,
              entityId: row.key[0],
              metadata: { keyId: cipher.currentKeyId, columns: changedColumns },
            });
          }
        }
        await audit.recordAll(audits, transaction);
        rotated += audits.length;
        return rows;
      });
      if (batch.length < batchSize) break;
      afterKey = batch.at(-1)!.key;
    }
    reports.push({ table: sealedTable.table, rotated, remaining: await repository.countRemaining(sealedTable, cipher.currentKeyId) });
  }
  return reports;
}

/**
 * The row's sealed values under the current key. Each value is checked by the key id inside it,
 * not by the row's `encryption_key_id` alone (not every writer keeps that column up to date).
 * A sealed value wins over pending plaintext: it was written later.
 */
function resealRow(sealedTable: SealedTable, row: RowToRotate, cipher: FieldCipher) {
  const sealed: Record<string, Buffer | null> = {};
  const changedColumns: string[] = [];
  for (const column of sealedTable.sealedColumns) {
    const value = row.sealed[column] ?? null;
    const plaintextColumn = sealedTable.pendingPlaintext?.[column];
    const plaintext = plaintextColumn ? row.plaintext[plaintextColumn] ?? null : null;
    if (value && cipher.keyIdOf(value) !== cipher.currentKeyId) {
      sealed[column] = cipher.encrypt(cipher.decrypt(value));
      changedColumns.push(column);
    } else if (!value && plaintext != null) {
      sealed[column] = cipher.encrypt(sealedTable.jsonColumns?.includes(column) ? JSON.stringify(plaintext) : String(plaintext));
      changedColumns.push(column);
    } else {
      sealed[column] = value;
    }
  }
  return { sealed, changedColumns };
}
