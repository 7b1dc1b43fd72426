import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { HistoryKind } from '@therapy-field/sync';
import { sealedTables, type SealedTable } from '../key-rotation/index.js';

/** The table of each history kind; its sealed columns are the ones key rotation re-encrypts. */
export const historyTables: Readonly<Record<HistoryKind, SealedTable>> = {
  medical: sealedTable('patient_medical_history'),
  psychiatric: sealedTable('patient_psychiatric_history'),
  social: sealedTable('patient_social_history'),
};

function sealedTable(table: string): SealedTable {
  const found = sealedTables.find((candidate) => candidate.table === table);
  if (!found) throw new Error(`${table} is not in sealedTables`);
  return found;
}

/** A history column's stored value: sealed bytes, or the text of a plain one (a date). */
export type HistoryValue = Buffer | string | null;

/** A history row as stored, by column name. */
export interface HistoryRow {
  values: Record<string, HistoryValue>;
  updated_at: Date;
  /** True when the write created the row rather than replacing it. */
  inserted?: boolean;
}

/** One client's row of a history table; the columns are the section's fields. */
export class HistoriesRepository {
  constructor(private readonly sequelize: Sequelize) {}

  transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(work);
  }

  async find(kind: HistoryKind, clientId: string, columns: readonly string[]): Promise<HistoryRow | null> {
    const [row] = await this.sequelize.query<Record<string, unknown>>(
      `SELECT ${selectList(kind, columns)}, updated_at FROM ${historyTables[kind].table} WHERE client_id = :clientId`,
      { type: QueryTypes.SELECT, replacements: { clientId } },
    );
    return row ? toHistoryRow(row, columns) : null;
  }

  /** Writes every column of the section: a column not in `values` is emptied. */
  async replace(kind: HistoryKind, clientId: string, values: Record<string, HistoryValue>, encryptionKeyId: string, transaction: Transaction): Promise<HistoryRow> {
    const columns = Object.keys(values);
    const written = [...columns, 'encryption_key_id'];
    const [row] = await this.sequelize.query<Record<string, unknown>>(
      `INSERT INTO ${historyTables[kind].table} AS h (client_id, ${written.join(', ')})
       VALUES (:clientId, ${written.map((column) => `:${column}`).join(', ')})
       ON CONFLICT (client_id) DO UPDATE SET ${written.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}
       RETURNING ${selectList(kind, columns)}, updated_at, (xmax = 0) AS inserted`,
      { type: QueryTypes.SELECT, replacements: { ...values, clientId, encryption_key_id: encryptionKeyId }, transaction },
    );
    return toHistoryRow(row!, columns);
  }
}

/** Sealed columns as bytes; plain ones (dates) as their text, so a date stays YYYY-MM-DD. */
function selectList(kind: HistoryKind, columns: readonly string[]): string {
  const sealed = new Set(historyTables[kind].sealedColumns);
  return columns.map((column) => (sealed.has(column) ? column : `${column}::text AS ${column}`)).join(', ');
}

function toHistoryRow(row: Record<string, unknown>, columns: readonly string[]): HistoryRow {
  const values = Object.fromEntries(columns.map((column) => [column, (row[column] ?? null) as HistoryValue]));
  return { values, updated_at: row.updated_at as Date, inserted: row.inserted as boolean | undefined };
}
