import type { Client } from '@elastic/elasticsearch';
import type { Sequelize } from 'sequelize';
import { bulkWithRetry, defaultRetryPolicy, type RetryPolicy } from './bulk.js';
import { INDEXER_LOCK_KEY } from './search-indexer.js';
import { countListed, listedDocumentPage, therapistIndexBody } from './therapist-index.js';

export interface ReindexOptions {
  system: Sequelize;
  client: Client;
  /** The alias searches read. */
  alias: string;
  onProgress?: (progress: { indexed: number; total: number }) => void;
  retry?: RetryPolicy;
  /** @default 500 */
  pageSize?: number;
  /** The new index's name. @default `<alias>-<now in ms>` */
  indexName?: string;
}

/**
 * Builds a fresh index from every listed document and only then points the alias at it (one
 * atomic alias update), so searches see the old index or the whole new one, never a half-built
 * one. Live indexing waits meanwhile (the indexer lock): what changes during the copy stays queued
 * and reaches the new index right after the swap. On failure the new index is dropped and the
 * alias is untouched.
 */
export async function reindexAll({ system, client, alias, onProgress, retry = defaultRetryPolicy, pageSize = 500, indexName }: ReindexOptions) {
  const index = indexName ?? `${alias}-${Date.now()}`;
  await client.indices.create({ index, ...therapistIndexBody });
  try {
    const indexed = await system.transaction(async (transaction) => {
      await system.query('SELECT pg_advisory_xact_lock(:key)', { replacements: { key: INDEXER_LOCK_KEY }, transaction });
      const total = await countListed(system);
      let count = 0;
      let afterId: string | null = null;
      for (;;) {
        const page = await listedDocumentPage(system, afterId, pageSize);
        if (page.length === 0) break;
        await bulkWithRetry(client, index, page.map((document) => ({ id: document.therapist_id, document })), retry);
        count += page.length;
        afterId = page.at(-1)!.therapist_id;
        onProgress?.({ indexed: count, total });
      }
      await client.indices.refresh({ index });
      const previous = await aliasedIndices(client, alias);
      await client.indices.updateAliases({
        actions: [...previous.map((old) => ({ remove: { index: old, alias } })), { add: { index, alias } }],
      });
      for (const old of previous) await client.indices.delete({ index: old });
      return count;
    });
    return { index, indexed };
  } catch (error) {
    await client.indices.delete({ index }).catch(() => undefined);
    throw error;
  }
}

/** The indices the alias points at now (none on a fresh cluster). */
export async function aliasedIndices(client: Client, alias: string): Promise<string[]> {
  const exists = await client.indices.existsAlias({ name: alias });
  if (!exists) return [];
  return Object.keys(await client.indices.getAlias({ name: alias }));
}
