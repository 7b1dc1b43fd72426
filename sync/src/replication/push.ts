import { z } from 'zod';
import { collectionNames } from '../collections/index.js';
import { documentsEqual, type ConflictPolicy } from './conflicts.js';

/**
 * Who wrote a pushed state, stored by the server with the row it writes. It makes a push
 * idempotent (a retry of the state the server holds changes nothing) and lets the server see
 * that what it holds is the device's own earlier push whose answer never arrived.
 */
export const pushWriteSchema = z.object({
  /** The pushed state's id, the same for every retry of that state (the SDK hashes the state). */
  id: z.string().min(1).max(128),
  /** The device's local database, the same across app restarts. */
  device: z.string().min(1).max(128),
  /** The id of the state the push was based on (`assumedMasterState`); '' for a new record. */
  base: z.string().max(128),
  /** The device's clock when pushing: a later push of one device carries a larger value. */
  at: z.number().int().min(0),
});
export type PushWrite = z.infer<typeof pushWriteSchema>;

/** One upstream row in RxDB's shape: the device's new state and the server state it was based on. */
export const pushRowSchema = z.object({
  newDocumentState: z.record(z.string(), z.unknown()),
  assumedMasterState: z.record(z.string(), z.unknown()).nullish(),
  write: pushWriteSchema.optional(),
});
export type PushRow<Doc = Record<string, unknown>> = {
  newDocumentState: Doc & { _deleted: boolean };
  assumedMasterState?: (Doc & { _deleted: boolean }) | null;
  write?: PushWrite;
};

export const pushRequestSchema = z.object({
  collection: z.enum(collectionNames),
  rows: z.array(pushRowSchema).max(500),
});
export type PushRequest = z.input<typeof pushRequestSchema>;

export const rejectedRowSchema = z.object({
  id: z.string().nullable(),
  code: z.enum(['VALIDATION_FAILED', 'FORBIDDEN']),
  reasons: z.array(z.string()),
});
export type RejectedRow = z.infer<typeof rejectedRowSchema>;

/**
 * `conflicts`: the server's state of each row whose assumed state was stale (RxDB resolves them
 * and pushes again). `rejected`: rows the server refused, with reasons; they are not retried.
 */
export const pushResponseSchema = z.object({
  conflicts: z.array(z.record(z.string(), z.unknown())),
  rejected: z.array(rejectedRowSchema),
});
export type PushResponse<Doc = Record<string, unknown>> = { conflicts: Array<Doc & { _deleted: boolean }>; rejected: RejectedRow[] };

export type PushDecision = 'insert' | 'update' | 'unchanged' | 'conflict';

/**
 * What the server does with one valid row, given what it holds (`master`, locked, and
 * `masterWrite`, the write that produced it): a row equal to the master, or a retry of the very
 * write the master came from, changes nothing (a repeated batch is idempotent); a stale assumed
 * state, or a change to an immutable field, is a conflict answered with the master. The master
 * counts as the row's base when it is the same device's earlier push on that same base (its
 * answer was lost): the device wrote the new state on top of it, so that is no conflict.
 */
export function decidePushRow(
  row: { newDocumentState: Record<string, unknown>; assumedMasterState?: Record<string, unknown> | null; write?: PushWrite },
  master: Record<string, unknown> | undefined,
  policy: ConflictPolicy,
  masterWrite?: PushWrite | null,
): PushDecision {
  if (!master) return 'insert';
  if (row.write && masterWrite && row.write.device === masterWrite.device && row.write.id === masterWrite.id) return 'unchanged';
  if (policy.handler.isEqual(master as never, row.newDocumentState as never)) return 'unchanged';
  const basedOnMaster = isOwnEarlierWrite(row.write, masterWrite) || (!!row.assumedMasterState && policy.handler.isEqual(master as never, row.assumedMasterState as never));
  if (!basedOnMaster) return 'conflict';
  if (policy.immutable.some((field) => !documentsEqual({ v: master[field] }, { v: row.newDocumentState[field] }))) return 'conflict';
  return 'update';
}

/** The master is a push of the same device on the same base, made before this one. */
function isOwnEarlierWrite(write: PushWrite | undefined, masterWrite: PushWrite | null | undefined): boolean {
  return !!write && !!masterWrite && write.device === masterWrite.device && write.base === masterWrite.base && write.at > masterWrite.at;
}
