import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { CollectionName, PushWrite } from '@therapy-field/sync';
import type { ColumnMapping, TableMapping } from './table-mappings.js';

/** A row as loaded: the fields by name (sealed text still sealed) plus who may see it. */
export interface LoadedRow {
  fields: Record<string, unknown>;
  /** By field: what a sealed column held before it was sealed, while rotation has not sealed it yet. */
  plaintext: Record<string, unknown>;
  visible: boolean;
  gone: boolean;
  owner: string | null;
  /** The push that wrote the row (`sync_write`), when loaded for a push. */
  lastWrite: PushWrite | null;
}

/** A row ready to write: values by column name (sealed text already encrypted, base64). */
export type WritableRow = Record<string, unknown> & { _deleted: boolean };

/** Every table a device pushes to has it (migration 0640). */
export const SYNC_WRITE_COLUMN = 'sync_write';

const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

function selectExpression(column: ColumnMapping): string {
  const source = `t.${column.column}`;
  const value =
    column.type === 'timestamptz' ? `to_char(${source} AT TIME ZONE 'UTC', ${ISO_UTC})`
    : column.type === 'date' ? `to_char(${source}, 'YYYY-MM-DD')`
    : column.type === 'numeric' ? `${source}::float8`
    : column.type === 'text' ? `${source}::text`
    : source;
  return `${value} AS "${column.field}"`;
}

/** Sealed columns hold bytea, travelling base64 inside the JSON of a write. */
export const isSealed = (column: ColumnMapping) => column.type === 'sealed' || column.type === 'sealed-json';

function recordsetType(column: ColumnMapping): string {
  if (column.sqlType) return column.sqlType;
  return isSealed(column) ? 'text' : column.type;
}

const writeExpression = (column: ColumnMapping) => (isSealed(column) ? `decode(r.${column.column}, 'base64')` : `r.${column.column}`);

const PLAINTEXT_PREFIX = '_plaintext_';
const plaintextSelect = (mapping: TableMapping) =>
  mapping.columns.filter((column) => column.plaintextColumn).map((column) => `, t.${column.plaintextColumn} AS "${PLAINTEXT_PREFIX}${column.field}"`).join('');

/** SQL for the synced tables; it knows columns, not who may do what (that is the service's job). */
export class SyncRepository {
  constructor(private readonly sequelize: Sequelize) {}

  /** The recipient's numbered changes of one collection in (afterSeq, throughSeq], in seq order. */
  changesOf(recipientId: string, collection: CollectionName, afterSeq: number, throughSeq: number, limit: number, transaction?: Transaction) {
    return this.sequelize
      .query<{ seq: string; record_id: string }>(
        `SELECT seq, record_id FROM change_log
          WHERE recipient_id = :recipientId AND collection = :collection AND seq > :afterSeq AND seq <= :throughSeq
          ORDER BY seq LIMIT :limit`,
        { type: QueryTypes.SELECT, replacements: { recipientId, collection, afterSeq, throughSeq, limit }, transaction },
      )
      .then((rows) => rows.map((row) => ({ seq: Number(row.seq), recordId: row.record_id })));
  }

  /**
   * Ids of the rows the recipient may see or may still hold (deleted, no longer shared), after
   * `afterId` in id order: a snapshot page, loaded as documents or tombstones.
   */
  snapshotIds(mapping: TableMapping, recipientId: string, afterId: string | null, limit: number): Promise<string[]> {
    return this.sequelize
      .query<{ id: string }>(
        `SELECT t.id FROM ${mapping.table} t
          WHERE ${mapping.knownTo ?? mapping.visibleTo} AND t.id > :afterId
          ORDER BY t.id LIMIT :limit`,
        { type: QueryTypes.SELECT, replacements: { recipient: recipientId, afterId: afterId ?? '00000000-0000-0000-0000-000000000000', limit } },
      )
      .then((rows) => rows.map((row) => row.id));
  }

  /** Rows by id with their visibility for `recipientId`; `lock` takes row locks and reads the last write, for a push. */
  async load(mapping: TableMapping, recipientId: string, ids: string[], options: { transaction?: Transaction; lock?: boolean } = {}): Promise<LoadedRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.sequelize.query<Record<string, unknown>>(
      `SELECT ${mapping.columns.map(selectExpression).join(', ')},
              (${mapping.visibleTo}) AS "_visible",
              ${mapping.deletedColumn ? `t.${mapping.deletedColumn} IS NOT NULL` : 'false'} AS "_gone",
              ${mapping.ownerColumn ? `t.${mapping.ownerColumn}` : 'NULL::uuid'} AS "_owner",
              ${options.lock ? `t.${SYNC_WRITE_COLUMN}` : 'NULL::jsonb'} AS "_write"${plaintextSelect(mapping)}
         FROM ${mapping.table} t
        WHERE t.id = ANY(ARRAY[:ids]::uuid[])
        ${options.lock ? 'FOR UPDATE OF t' : ''}`,
      { type: QueryTypes.SELECT, replacements: { recipient: recipientId, ids }, transaction: options.transaction },
    );
    return rows.map(({ _visible, _gone, _owner, _write, ...columns }) => {
      const fields: Record<string, unknown> = {};
      const plaintext: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(columns)) {
        if (name.startsWith(PLAINTEXT_PREFIX)) plaintext[name.slice(PLAINTEXT_PREFIX.length)] = value;
        else fields[name] = value;
      }
      return {
        fields,
        plaintext,
        visible: Boolean(_visible),
        gone: Boolean(_gone),
        owner: (_owner as string | null) ?? null,
        lastWrite: (_write as PushWrite | null) ?? null,
      };
    });
  }

  /** Inserts new rows; returns the ids actually inserted (a concurrent push may have won). */
  async insert(mapping: TableMapping, rows: WritableRow[], extraColumns: ColumnMapping[], transaction: Transaction): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const columns = [...writtenColumns(mapping), ...extraColumns];
    const deleted = mapping.deletedColumn ? [{ column: mapping.deletedColumn, expression: 'CASE WHEN r._deleted THEN now() END' }] : [];
    const inserted = await this.sequelize.query<{ id: string }>(
      `INSERT INTO ${mapping.table} (${[...columns.map((column) => column.column), ...deleted.map((d) => d.column)].join(', ')})
       SELECT ${[...columns.map(writeExpression), ...deleted.map((d) => d.expression)].join(', ')}
         FROM jsonb_to_recordset(:rows::jsonb) AS r(${recordsetDefinition(columns)})
       ON CONFLICT DO NOTHING
       RETURNING id`,
      { type: QueryTypes.SELECT, replacements: { rows: JSON.stringify(rows) }, transaction },
    );
    return new Set(inserted.map((row) => row.id));
  }

  /** Updates the mutable columns (and the tombstone) of existing rows. */
  async update(mapping: TableMapping, rows: WritableRow[], extraColumns: ColumnMapping[], onlyColumns: string[] | undefined, transaction: Transaction): Promise<void> {
    if (rows.length === 0) return;
    const all = [...writtenColumns(mapping), ...extraColumns];
    const settable = all.filter((column) => !column.insertOnly && (!onlyColumns || onlyColumns.includes(column.field)));
    const assignments = settable.map((column) => `${column.column} = ${writeExpression(column)}`);
    // A sealed write replaces what the column held before it was sealed.
    assignments.push(...settable.filter((column) => column.plaintextColumn).map((column) => `${column.plaintextColumn} = NULL`));
    if (mapping.deletedColumn) assignments.push(`${mapping.deletedColumn} = CASE WHEN r._deleted THEN COALESCE(t.${mapping.deletedColumn}, now()) END`);
    const partition = mapping.partitionColumn ? ` AND t.${mapping.partitionColumn} = r.${mapping.partitionColumn}` : '';
    await this.sequelize.query(
      `UPDATE ${mapping.table} AS t SET ${assignments.join(', ')}
         FROM jsonb_to_recordset(:rows::jsonb) AS r(${recordsetDefinition(all)})
        WHERE t.id = r.id${partition}`,
      { replacements: { rows: JSON.stringify(rows) }, transaction },
    );
  }

  /** Ids of the rows `writerId` may not create under the mapping's `createRule`. */
  async refusedByCreateRule(mapping: TableMapping, writerId: string, rows: WritableRow[], transaction: Transaction): Promise<Set<string>> {
    if (!mapping.createRule || rows.length === 0) return new Set();
    const columns = writtenColumns(mapping);
    const refused = await this.sequelize.query<{ id: string }>(
      `SELECT r.id FROM jsonb_to_recordset(:rows::jsonb) AS r(${recordsetDefinition(columns)})
        WHERE NOT (${mapping.createRule.condition})`,
      { type: QueryTypes.SELECT, replacements: { rows: JSON.stringify(rows), writer: writerId }, transaction },
    );
    return new Set(refused.map((row) => row.id));
  }

  transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(work);
  }
}

/** The columns a push writes: the server keeps `updated_at` and the `serverSet` ones. */
const writtenColumns = (mapping: TableMapping) => mapping.columns.filter((column) => column.column !== 'updated_at' && !column.serverSet);

function recordsetDefinition(columns: ColumnMapping[]): string {
  return [...columns.map((column) => `${column.column} ${recordsetType(column)}`), '_deleted boolean'].join(', ');
}
