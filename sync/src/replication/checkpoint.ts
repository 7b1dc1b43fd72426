import { z } from 'zod';

/**
 * Where a device's pull of one collection stands: `seq` is the user's change-log number up to
 * which it has everything. While a full snapshot is paged (a new device whose history was
 * pruned), `snapshot` holds the seq the snapshot brings it to and the last id it received.
 */
export const syncCheckpointSchema = z.object({
  seq: z.number().int().min(0),
  snapshot: z.object({ targetSeq: z.number().int().min(0), afterId: z.uuid().nullable() }).optional(),
});
export type SyncCheckpoint = z.infer<typeof syncCheckpointSchema>;

export const initialCheckpoint: SyncCheckpoint = { seq: 0 };

/**
 * After reading up to `limit` changes of one collection with seq in (checkpoint.seq, lastSeq]:
 * a full page ends at its last change (more may follow); a short page means everything up to
 * `lastSeq` has been seen, so the checkpoint jumps there, past other collections' changes.
 */
export function checkpointAfterChanges(seqs: number[], limit: number, lastSeq: number): SyncCheckpoint {
  if (seqs.length >= limit) return { seq: seqs[seqs.length - 1]! };
  return { seq: lastSeq };
}

/** After one snapshot page of up to `limit` ids: keep paging, or land on the snapshot's seq. */
export function checkpointAfterSnapshotPage(targetSeq: number, ids: string[], limit: number, fromSeq: number): SyncCheckpoint {
  if (ids.length >= limit) return { seq: fromSeq, snapshot: { targetSeq, afterId: ids[ids.length - 1]! } };
  return { seq: targetSeq };
}
