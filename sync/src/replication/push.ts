import { z } from 'zod';
import { collectionNames } from '../collections/index.js';
import { documentsEqual, type ConflictPolicy } from './conflicts.js';

/** One upstream row in RxDB's shape: the device's new state and the server state it was based on. */
export const pushRowSchema = z.object({
  newDocumentState: z.record(z.string(), z.unknown()),
  assumedMasterState: z.record(z.string(), z.unknown()).nullish(),
});
export type PushRow<Doc = Record<string, unknown>> = {
  newDocumentState: Doc & { _deleted: boolean };
  assumedMasterState?: (Doc & { _deleted: boolean }) | null;
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
 * What the server does with one valid row, given what it holds (`master`, locked):
 * a row equal to the master changes nothing (a repeated batch is idempotent); a stale assumed
 * state, or a change to an immutable field, is a conflict answered with the master.
 */
export function decidePushRow(
  row: { newDocumentState: Record<string, unknown>; assumedMasterState?: Record<string, unknown> | null },
  master: Record<string, unknown> | undefined,
  policy: ConflictPolicy,
): PushDecision {
  if (!master) return 'insert';
  if (policy.handler.isEqual(master as never, row.newDocumentState as never)) return 'unchanged';
  if (!row.assumedMasterState || !policy.handler.isEqual(master as never, row.assumedMasterState as never)) return 'conflict';
  if (policy.immutable.some((field) => !documentsEqual({ v: master[field] }, { v: row.newDocumentState[field] }))) return 'conflict';
  return 'update';
}
