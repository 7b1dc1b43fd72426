import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { SealedTable } from './sealed-tables.js';

/** A row that rotation must look at: its key (as text), sealed values and pending plaintext by column. */
export interface RowToRotate {
  key: string[];
  sealed: Record<string, Buffer | null>;
  /** Text, or a list or object from a text[] or jsonb column. */
  plaintext: Record<string, unknown>;
}

/** The queries of key rotation; table and column names come from `sealedTables`, never from input. */
export class KeyRotationRepository {
  constructor(private readonly sequelize: Sequelize) {}

  /**
   * The next rows after `afterKey` (primary-key order, so each batch is an index range) that are
   * not yet under `keyId` or still hold plaintext. Locked rows are skipped: a live write holding
   * them uses the current key anyway, and a later run finds what is left.
   */
  async lockNextBatch(sealedTable: SealedTable, keyId: string, afterKey: string[] | null, batchSize: number, transaction: Transaction): Promise<RowToRotate[]> {
    const { table, keyColumns, sealedColumns } = sealedTable;
    const plaintextColumns = Object.values(sealedTable.pendingPlaintext ?? {});
    const after = afterKey ? `AND (${keyColumns.join(', ')}) > (${keyColumns.map((_, i) => `:after${i}`).join(', ')})` : '';
    const rows = await this.sequelize.query<Record<string, unknown>>(
      `SELECT ${[...keyColumns.map((column, i) => `${column}::text AS _key${i}`), ...sealedColumns, ...plaintextColumns].join(', ')}
         FROM ${table}
        WHERE (${needsRotation(sealedTable)}) ${after}
        ORDER BY ${keyColumns.join(', ')}
        LIMIT :batchSize
          FOR UPDATE SKIP LOCKED`,
      {
        type: QueryTypes.SELECT,
        transaction,
        replacements: { keyId, batchSize, ...Object.fromEntries((afterKey ?? []).map((value, i) => [`after${i}`, value])) },
      },
    );
    return rows.map((row) => ({
      key: keyColumns.map((_, i) => row[`_key${i}`] as string),
      sealed: Object.fromEntries(sealedColumns.map((column) => [column, (row[column] as Buffer | null) ?? null])),
      plaintext: Object.fromEntries(plaintextColumns.map((column) => [column, row[column] ?? null])),
    }));
  }

  /** Writes a row's sealed values under `keyId` and empties its pending plaintext. */
  async writeSealed(sealedTable: SealedTable, key: string[], sealed: Record<string, Buffer | null>, keyId: string, transaction: Transaction): Promise<void> {
    const { table, keyColumns, sealedColumns } = sealedTable;
    const assignments = [
      ...sealedColumns.map((column) => `${column} = :${column}`),
      ...Object.values(sealedTable.pendingPlaintext ?? {}).map((column) => `${column} = NULL`),
      'encryption_key_id = :keyId',
    ];
    await this.sequelize.query(`UPDATE ${table} SET ${assignments.join(', ')} WHERE ${keyColumns.map((column, i) => `${column} = :key${i}`).join(' AND ')}`, {
      transaction,
      replacements: { ...sealed, keyId, ...Object.fromEntries(key.map((value, i) => [`key${i}`, value])) },
    });
  }

  /** Rows still to rotate (those skipped because they were locked). */
  async countRemaining(sealedTable: SealedTable, keyId: string): Promise<number> {
    const [row] = await this.sequelize.query<{ remaining: string }>(`SELECT count(*) AS remaining FROM ${sealedTable.table} WHERE ${needsRotation(sealedTable)}`, {
      type: QueryTypes.SELECT,
      replacements: { keyId },
    });
    return Number(row!.remaining);
  }

  transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(work);
  }
}

/** A row with a sealed value and another key id, or with plaintext still to seal. */
function needsRotation({ sealedColumns, pendingPlaintext }: SealedTable): string {
  const hasSealed = sealedColumns.map((column) => `${column} IS NOT NULL`).join(' OR ');
  const hasPlaintext = Object.values(pendingPlaintext ?? {}).map((column) => `OR ${column} IS NOT NULL`).join(' ');
  return `(encryption_key_id IS DISTINCT FROM :keyId AND (${hasSealed})) ${hasPlaintext}`;
}
