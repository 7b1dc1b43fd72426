import { z } from 'zod';
import { collectionNames } from '../collections/index.js';
import { syncCheckpointSchema } from './checkpoint.js';

/** Downstream: a device asks for one collection's documents changed after its checkpoint. */
export const pullRequestSchema = z.object({
  collection: z.enum(collectionNames),
  /** Null or absent on a device's first pull. */
  checkpoint: syncCheckpointSchema.nullish(),
  /** @default 200 */
  limit: z.number().int().min(1).max(1000).default(200),
});
export type PullRequest = z.input<typeof pullRequestSchema>;

/** Documents are the current state (tombstones with `_deleted: true`); an empty page means in sync. */
export const pullResponseSchema = z.object({
  documents: z.array(z.record(z.string(), z.unknown())),
  checkpoint: syncCheckpointSchema,
});
export type PullResponse<Doc = Record<string, unknown>> = { documents: Array<Doc & { _deleted: boolean }>; checkpoint: z.infer<typeof syncCheckpointSchema> };

/** Record ids in first-seen order, each once: several changes to one record load it once. */
export function uniqueRecordIds(changes: Array<{ recordId: string }>): string[] {
  return [...new Set(changes.map((change) => change.recordId))];
}
