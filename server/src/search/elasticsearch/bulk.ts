import type { Client, estypes } from '@elastic/elasticsearch';
import type { TherapistDocument } from './therapist-index.js';

/** One wanted state of a therapist in the index: present with this document, or absent. */
export type IndexChange = { id: string; document: TherapistDocument } | { id: string; document: null };

export interface RetryPolicy {
  /** @default 6 */
  attempts: number;
  /** First wait; doubled each time, with jitter. @default 200 */
  baseDelayMs: number;
  /** @default 5000 */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 6, baseDelayMs: 200, maxDelayMs: 5000 };

/** Throttling and unavailability: worth another try. */
const retryable = (status: number | undefined) => status === undefined || status === 408 || status === 429 || status >= 500;

export class BulkIndexError extends Error {
  constructor(readonly failed: number, cause?: unknown) {
    super(`${failed} index operations still failing after retries`, { cause });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends `changes` to `index` in one bulk request, again with backoff for the operations that
 * failed in a way worth retrying (the whole request, or items answered 429/5xx); throws when some
 * still fail after the last attempt. A delete of an absent document is success. Items refused
 * for good (4xx: a document the mapping rejects) are returned, not retried.
 */
export async function bulkWithRetry(client: Client, index: string, changes: IndexChange[], policy: RetryPolicy = defaultRetryPolicy): Promise<{ rejected: Array<{ id: string; reason: string }> }> {
  let pending = changes;
  const rejected: Array<{ id: string; reason: string }> = [];
  let lastError: unknown;
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    if (attempt > policy.attempts) throw new BulkIndexError(pending.length, lastError);
    if (attempt > 1) {
      const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 2));
      await sleep(delay / 2 + Math.random() * (delay / 2));
    }
    const operations = pending.flatMap((change): Array<estypes.BulkOperationContainer | TherapistDocument> =>
      change.document ? [{ index: { _index: index, _id: change.id } }, change.document] : [{ delete: { _index: index, _id: change.id } }],
    );
    try {
      const response = await client.bulk({ operations, refresh: false });
      const retry: IndexChange[] = [];
      response.items.forEach((item, position) => {
        const result = item.index ?? item.delete;
        const change = pending[position]!;
        if (!result?.error) return;
        if (item.delete && result.status === 404) return;
        if (retryable(result.status)) retry.push(change);
        else rejected.push({ id: change.id, reason: result.error.reason ?? result.error.type });
        lastError = result.error;
      });
      pending = retry;
    } catch (error) {
      lastError = error;
      const status = (error as { meta?: { statusCode?: number } }).meta?.statusCode;
      if (!retryable(status)) throw error;
    }
  }
  return { rejected };
}
