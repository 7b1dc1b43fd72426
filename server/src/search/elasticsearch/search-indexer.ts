import type { Client } from '@elastic/elasticsearch';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Logger } from '../../logger/index.js';
import { bulkWithRetry, defaultRetryPolicy, type IndexChange, type RetryPolicy } from './bulk.js';
import { listedDocuments } from './therapist-index.js';

/** One indexer (or one reindex) at a time across every node on this database. */
export const INDEXER_LOCK_KEY = 7_214_661;

export interface SearchIndexerOptions {
  /** The platform's own pool (tf_system). */
  system: Sequelize;
  client: Client;
  /** The alias searches read (the live index behind it is written). */
  alias: string;
  logger: Logger;
  retry?: RetryPolicy;
  /** @default 500 */
  batchSize?: number;
}

/** Turns the queue of migration 1661 on (Elasticsearch backend) or off and empties it (PostgreSQL backend). */
export async function setSearchIndexFeed(system: Sequelize, enabled: boolean): Promise<void> {
  await system.transaction(async (transaction) => {
    await system.query('UPDATE search_index_feed SET enabled = :enabled', { replacements: { enabled }, transaction });
    if (!enabled) await system.query('DELETE FROM search_index_queue', { transaction });
  });
}

/**
 * Feeds Elasticsearch from `search_index_queue`: takes a batch of queued therapists, reads their
 * current documents, sends them (or their deletion) in bulk with retries, and deletes the rows only
 * when Elasticsearch has them, in the same transaction. Anything not acknowledged stays queued, so
 * after a crash or an outage the index ends up with exactly what is committed.
 */
export class SearchIndexer {
  private running?: Promise<number>;
  private again = false;
  private closed = false;
  private readonly log: Logger;

  constructor(private readonly options: SearchIndexerOptions) {
    this.log = options.logger.child({ module: 'search-indexer' });
  }

  /** Starts a run now, or once more after the running one. */
  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.indexPending()
      .catch((error: unknown) => {
        this.log.warn({ err: error }, 'search indexing failed; the queue keeps the changes for the next run');
        return 0;
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Indexes everything queued now (unless another node is at it); resolves with how many queue rows it cleared. */
  async indexPending(): Promise<number> {
    const batchSize = this.options.batchSize ?? 500;
    let total = 0;
    for (;;) {
      const cleared = await this.indexBatch(batchSize);
      total += cleared;
      if (cleared < batchSize || this.closed) return total;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.running;
  }

  private indexBatch(batchSize: number): Promise<number> {
    const { system } = this.options;
    return system.transaction(async (transaction) => {
      if (!(await tryIndexerLock(system, transaction))) return 0;
      const rows = await system.query<{ id: string; therapist_id: string }>(
        'SELECT id, therapist_id FROM search_index_queue ORDER BY id LIMIT :batchSize',
        { type: QueryTypes.SELECT, replacements: { batchSize }, transaction },
      );
      if (rows.length === 0) return 0;
      const ids = [...new Set(rows.map((row) => row.therapist_id))];
      const documents = await listedDocuments(system, ids);
      const changes: IndexChange[] = ids.map((id) => ({ id, document: documents.get(id) ?? null }));
      const { rejected } = await bulkWithRetry(this.options.client, this.options.alias, changes, this.options.retry ?? defaultRetryPolicy);
      for (const refusal of rejected) this.log.error({ therapistId: refusal.id, reason: refusal.reason }, 'Elasticsearch refused a therapist document');
      await system.query('DELETE FROM search_index_queue WHERE id IN (:ids)', { replacements: { ids: rows.map((row) => row.id) }, transaction });
      return rows.length;
    });
  }
}

async function tryIndexerLock(system: Sequelize, transaction: Transaction): Promise<boolean> {
  const [row] = await system.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(:key) AS locked', {
    type: QueryTypes.SELECT,
    replacements: { key: INDEXER_LOCK_KEY },
    transaction,
  });
  return row?.locked === true;
}
