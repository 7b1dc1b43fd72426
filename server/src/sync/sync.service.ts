import {
  checkpointAfterChanges,
  checkpointAfterSnapshotPage,
  conflictPolicies,
  decidePushRow,
  initialCheckpoint,
  syncCollections,
  uniqueRecordIds,
  type CollectionName,
  type PullResponse,
  type PushResponse,
  type PushWrite,
  type RejectedRow,
  type SyncCheckpoint,
} from '@therapy-field/sync';
import type { AuditLog } from '../audit/index.js';
import type { ChangeFeed } from '../changes/index.js';
import type { FieldCipher } from '../crypto/index.js';
import { isSealed, SYNC_WRITE_COLUMN, type LoadedRow, type SyncRepository, type WritableRow } from './sync.repository.js';
import { tableMappings, type ColumnMapping, type ColumnType, type TableMapping } from './table-mappings.js';

type Doc = Record<string, unknown> & { _deleted: boolean };

/** A collection's loader: the current state of records as `recipientId` may see them. */
export type CollectionLoader = (recipientId: string, recordIds: string[]) => Promise<Doc[]>;

export interface SyncServiceDeps {
  repository: SyncRepository;
  changes: ChangeFeed;
  cipher: FieldCipher;
  audit: AuditLog;
}

const keyIdColumn: ColumnMapping = { field: 'encryptionKeyId', column: 'encryption_key_id', type: 'text' };
const writeColumn: ColumnMapping = { field: '_write', column: SYNC_WRITE_COLUMN, type: 'jsonb' };

/**
 * Pull and push for every synced collection. Pull reads the caller's own change log (so it can
 * never skip a change, see server/src/changes/); push validates each row, writes the accepted
 * ones in one transaction (triggers add their change-log rows) and reports the rest.
 */
export class SyncService {
  private readonly createdListeners = new Map<CollectionName, Array<(documents: Doc[]) => void>>();

  constructor(private readonly deps: SyncServiceDeps) {}

  /** Called with the documents a push created in `collection`, once their transaction committed. */
  onCreated(collection: CollectionName, listener: (documents: Doc[]) => void): void {
    this.createdListeners.set(collection, [...(this.createdListeners.get(collection) ?? []), listener]);
  }

  /** One page of `collection` for `userId` after `checkpoint`. */
  async pull(userId: string, collection: CollectionName, checkpoint: SyncCheckpoint | null | undefined, limit: number): Promise<PullResponse> {
    const from = checkpoint ?? initialCheckpoint;
    const mapping = tableMappings[collection];
    // Number everything committed so far: the device then sees its own pushes at once.
    await this.deps.changes.sequenceNow();
    const range = await this.deps.changes.changesSince(userId, from.seq, 0);
    if (from.snapshot || range.resync) {
      const targetSeq = from.snapshot?.targetSeq ?? range.lastSeq;
      const ids = await this.deps.repository.snapshotIds(mapping, userId, from.snapshot?.afterId ?? null, limit);
      return { documents: await this.load(collection, userId, ids), checkpoint: checkpointAfterSnapshotPage(targetSeq, ids, limit, from.seq) };
    }
    const changes = await this.deps.repository.changesOf(userId, collection, from.seq, range.lastSeq, limit);
    return {
      documents: await this.load(collection, userId, uniqueRecordIds(changes)),
      checkpoint: checkpointAfterChanges(changes.map((change) => change.seq), limit, range.lastSeq),
    };
  }

  /** The loader of one collection, for pull and for the hub's live `change` events. */
  loader(collection: CollectionName): CollectionLoader {
    return (recipientId, recordIds) => this.load(collection, recipientId, recordIds);
  }

  async push(
    userId: string,
    collection: CollectionName,
    rows: Array<{ newDocumentState: Record<string, unknown>; assumedMasterState?: Record<string, unknown> | null; write?: PushWrite }>,
  ): Promise<PushResponse> {
    const definition = syncCollections[collection];
    const mapping = tableMappings[collection];
    const policy = conflictPolicies[collection];
    const rejected: RejectedRow[] = [];
    const candidates = new Map<string, { doc: Doc; assumed?: Doc; write?: PushWrite }>();
    const now = new Date();

    for (const row of rows) {
      const id = typeof row.newDocumentState.id === 'string' ? row.newDocumentState.id : null;
      if (definition.access === 'read-only') {
        rejected.push({ id, code: 'FORBIDDEN', reasons: [`${collection} is read-only on devices`] });
        continue;
      }
      const parsed = definition.wireSchema.safeParse(row.newDocumentState);
      if (!parsed.success) {
        rejected.push({ id, code: 'VALIDATION_FAILED', reasons: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'document'}: ${issue.message}`) });
        continue;
      }
      const reasons = definition.check(parsed.data as never, now);
      if (reasons.length > 0) {
        rejected.push({ id, code: 'VALIDATION_FAILED', reasons });
        continue;
      }
      const owner = ownerField(mapping);
      const claimedOwner = (parsed.data as Record<string, unknown>)[owner];
      if (claimedOwner && claimedOwner !== userId) {
        rejected.push({ id, code: 'FORBIDDEN', reasons: [`${owner}: you may only write your own records`] });
        continue;
      }
      const doc = canonical(mapping, { ...(parsed.data as Doc), [owner]: userId });
      candidates.set(String(doc.id), { doc, assumed: row.assumedMasterState ? canonical(mapping, row.assumedMasterState as Doc) : undefined, write: row.write });
    }
    if (candidates.size === 0) return { conflicts: [], rejected };

    let created: Doc[] = [];
    const response = await this.deps.repository.transaction(async (transaction) => {
      const masters = new Map(
        (await this.deps.repository.load(mapping, userId, [...candidates.keys()], { transaction, lock: true })).map((row) => [String(row.fields.id), row]),
      );
      const inserts: Doc[] = [];
      const updates: Doc[] = [];
      const conflicts: Doc[] = [];
      for (const [id, { doc, assumed, write }] of candidates) {
        const master = masters.get(id);
        if (master && master.owner !== userId) {
          rejected.push({ id, code: 'FORBIDDEN', reasons: ['you may only write your own records'] });
          continue;
        }
        if (!master && definition.access === 'mark-read') {
          rejected.push({ id, code: 'FORBIDDEN', reasons: [`${collection} are created by the server only`] });
          continue;
        }
        const masterDoc = master ? this.toDocument(mapping, master) : undefined;
        const decision = decidePushRow({ newDocumentState: doc, assumedMasterState: assumed, write }, masterDoc, policy, master?.lastWrite);
        if (decision === 'insert') inserts.push(doc);
        else if (decision === 'update') updates.push(policy.writable ? { ...masterDoc!, ...pick(doc, policy.writable) } : doc);
        else if (decision === 'conflict') conflicts.push(masterDoc!);
      }

      const writeOf = (doc: Doc) => candidates.get(String(doc.id))?.write;
      const refused = await this.deps.repository.refusedByCreateRule(mapping, userId, inserts.map((doc) => this.toWritable(mapping, doc)), transaction);
      for (const id of refused) rejected.push({ id, code: 'FORBIDDEN', reasons: [mapping.createRule!.reason] });
      const allowed = inserts.filter((doc) => !refused.has(String(doc.id)));
      const inserted = await this.deps.repository.insert(mapping, allowed.map((doc) => this.toWritable(mapping, doc, writeOf(doc))), this.pushedColumns(mapping), transaction);
      const raced = allowed.filter((doc) => !inserted.has(String(doc.id)));
      const racedRows = await this.deps.repository.load(mapping, userId, raced.map((doc) => String(doc.id)), { transaction, lock: true });
      // A row that exists but that row-level security hides from this user is someone else's.
      for (const doc of raced) {
        if (!racedRows.some((row) => row.fields.id === doc.id)) rejected.push({ id: String(doc.id), code: 'FORBIDDEN', reasons: ['you may only write your own records'] });
      }
      for (const row of racedRows) {
        const master = this.toDocument(mapping, row);
        const mine = raced.find((doc) => doc.id === row.fields.id)!;
        if (row.owner !== userId) rejected.push({ id: String(row.fields.id), code: 'FORBIDDEN', reasons: ['you may only write your own records'] });
        else if (!policy.handler.isEqual(master, mine)) conflicts.push(master);
      }
      const updatable = policy.writable ? [...policy.writable, writeColumn.field] : undefined;
      await this.deps.repository.update(mapping, updates.map((doc) => this.toWritable(mapping, doc, writeOf(doc))), this.pushedColumns(mapping), updatable, transaction);
      created = allowed.filter((doc) => inserted.has(String(doc.id)));

      if (hasSealedText(mapping)) {
        const written = [...created, ...updates];
        await this.auditClinical(userId, collection, 'write', written.map((doc) => String(doc.id)), transaction);
        await this.auditClinical(userId, collection, 'read', conflicts.map((doc) => String(doc.id)), transaction);
      }
      return { conflicts, rejected };
    });
    if (created.length > 0) for (const listener of this.createdListeners.get(collection) ?? []) listener(created);
    return response;
  }

  private async load(collection: CollectionName, recipientId: string, ids: string[]): Promise<Doc[]> {
    const mapping = tableMappings[collection];
    const rows = await this.deps.repository.load(mapping, recipientId, ids);
    const found = new Set(rows.map((row) => String(row.fields.id)));
    // A change for a row that is gone from the table (hard-deleted by a GDPR erasure) must still
    // remove it from the devices that hold it.
    const vanished = ids.filter((id) => !found.has(id)).map((id) => vanishedTombstone(mapping, id));
    const documents = [...rows.map((row) => this.toDocument(mapping, row)), ...vanished];
    if (hasSealedText(mapping)) {
      await this.auditClinical(recipientId, collection, 'read', rows.filter((row) => row.visible).map((row) => String(row.fields.id)));
    }
    return documents;
  }

  /** Full state for who may see it; for anyone else a tombstone without the clinical fields. */
  private toDocument(mapping: TableMapping, row: LoadedRow): Doc {
    if (!row.visible) return { ...nullsForMissing(mapping, row.fields), ...mapping.redacted, _deleted: true } as Doc;
    const fields = { ...row.fields };
    for (const column of mapping.columns.filter(isSealed)) {
      const sealed = fields[column.field] as Buffer | null;
      if (sealed == null) fields[column.field] = row.plaintext[column.field] ?? null;
      else if (column.type === 'sealed-json') fields[column.field] = JSON.parse(this.deps.cipher.decrypt(sealed));
      else fields[column.field] = this.deps.cipher.decrypt(sealed);
    }
    return { ...fields, _deleted: row.gone };
  }

  /** `write`: the push that writes the row, kept with it (see `decidePushRow`). */
  private toWritable(mapping: TableMapping, doc: Doc, write?: PushWrite): WritableRow {
    const row: WritableRow = { _deleted: doc._deleted, [writeColumn.column]: write ?? null };
    for (const column of mapping.columns) {
      const value = doc[column.field] ?? null;
      row[column.column] = isSealed(column) && value != null ? this.deps.cipher.encrypt(column.type === 'sealed-json' ? JSON.stringify(value) : String(value)).toString('base64') : value;
    }
    if (hasSealedText(mapping)) row[keyIdColumn.column] = this.deps.cipher.currentKeyId;
    return row;
  }

  /** Columns a push writes besides the mapped ones. */
  private pushedColumns(mapping: TableMapping): ColumnMapping[] {
    return hasSealedText(mapping) ? [keyIdColumn, writeColumn] : [writeColumn];
  }

  private async auditClinical(actorId: string, collection: CollectionName, verb: 'read' | 'write', ids: string[], transaction?: Parameters<AuditLog['record']>[1]) {
    const entityType = collection.replace(/ies$/, 'y').replace(/s$/, '');
    await this.deps.audit.recordAll(ids.map((entityId) => ({ actorId, action: `${entityType}.${verb}`, entityType, entityId, metadata: { via: 'sync' } })), transaction);
  }
}

/** The field that names a row's owner: the one `ownerColumn` maps to (`senderId` of a message), else `userId`. */
const ownerField = (mapping: TableMapping) => mapping.columns.find((column) => column.column === mapping.ownerColumn)?.field ?? 'userId';

const hasSealedText = (mapping: TableMapping) => mapping.columns.some(isSealed);

function pick(doc: Doc, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, doc[field] ?? null]));
}

const placeholderByType: Partial<Record<ColumnType, unknown>> = {
  uuid: '00000000-0000-0000-0000-000000000000',
  timestamptz: new Date(0).toISOString(),
  boolean: false,
};

/** A tombstone for a row nobody can read any more: its id, and placeholders where the schema needs a value. */
function vanishedTombstone(mapping: TableMapping, id: string): Doc {
  const placeholders = Object.fromEntries(mapping.columns.map((column) => [column.field, placeholderByType[column.type] ?? null]));
  return { ...placeholders, ...mapping.redacted, ...mapping.vanished, id, _deleted: true } as Doc;
}

function nullsForMissing(mapping: TableMapping, fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(mapping.columns.map((column) => [column.field, fields[column.field] ?? null]));
}

/** The server's spelling of a document: every field present (null when absent), times in UTC ISO with milliseconds. */
function canonical(mapping: TableMapping, doc: Record<string, unknown>): Doc {
  const result: Record<string, unknown> = {};
  for (const column of mapping.columns) {
    const value = doc[column.field];
    result[column.field] = value == null ? null : column.type === 'timestamptz' ? toIso(value) : value;
  }
  return { ...result, _deleted: Boolean(doc._deleted) };
}

function toIso(value: unknown): unknown {
  const time = Date.parse(String(value));
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

