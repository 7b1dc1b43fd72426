import type { Sequelize } from 'sequelize';
import type { ChangeFeed } from '../changes/index.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../logger/index.js';
import { createElasticsearchClient } from './elasticsearch/client.js';
import { ElasticsearchTherapistSearch } from './elasticsearch/elasticsearch-search.js';
import { aliasedIndices, reindexAll } from './elasticsearch/reindex.js';
import { SearchIndexer, setSearchIndexFeed } from './elasticsearch/search-indexer.js';
import { NextSlotRefresher, type NextSlotSource } from './next-slots.js';
import { PostgresTherapistSearch } from './postgres/postgres-search.js';
import type { TherapistSearchBackend } from './search-backend.js';

export type { TherapistSearchBackend } from './search-backend.js';
export { NextSlotRefresher, NEXT_SLOT_HORIZON_DAYS, type NextSlotSource } from './next-slots.js';
export { PostgresTherapistSearch } from './postgres/postgres-search.js';
export { ElasticsearchTherapistSearch } from './elasticsearch/elasticsearch-search.js';
export { createElasticsearchClient, ELASTICSEARCH_8_HEADERS } from './elasticsearch/client.js';
export { buildSearchRequest } from './elasticsearch/query-builder.js';
export { THERAPIST_INDEX_ALIAS, therapistIndexBody, type TherapistDocument } from './elasticsearch/therapist-index.js';
export { SearchIndexer, setSearchIndexFeed } from './elasticsearch/search-indexer.js';
export { bulkWithRetry, BulkIndexError, type RetryPolicy } from './elasticsearch/bulk.js';
export { reindexAll, aliasedIndices } from './elasticsearch/reindex.js';
export { greeklish, latinToGreek } from './elasticsearch/greeklish.js';

export interface SearchModuleDeps {
  /** Scoped to the asker: a PostgreSQL search reads under row-level security. */
  sequelize: Sequelize;
  /** The platform's own pool, for the Elasticsearch feed. */
  system: Sequelize;
  slots: NextSlotSource;
  config: Config['search'];
  changes: ChangeFeed;
  logger: Logger;
}

/**
 * The directory search backend chosen by SEARCH_BACKEND, and the refresher of the next-free-slot
 * column both read. With Elasticsearch the change feed's wake-ups run the indexer, and a cluster
 * without the index gets a full one first.
 */
export async function createSearchModule({ sequelize, system, slots, config, changes, logger }: SearchModuleDeps) {
  const nextSlots = new NextSlotRefresher(sequelize, slots);
  if (config.backend === 'postgres') {
    await setSearchIndexFeed(system, false);
    const backend: TherapistSearchBackend = new PostgresTherapistSearch(sequelize);
    return { backend, nextSlots, indexer: undefined, refresh: async () => undefined, close: async () => undefined };
  }
  const { alias } = config;
  const client = createElasticsearchClient(config.url);
  const log = logger.child({ module: 'search' });
  await setSearchIndexFeed(system, true);
  if ((await aliasedIndices(client, alias)).length === 0) {
    const { index, indexed } = await reindexAll({ system, client, alias, onProgress: ({ indexed: done, total }) => log.info({ done, total }, 'building the search index') });
    log.info({ index, indexed }, 'search index built');
  }
  const indexer = new SearchIndexer({ system, client, alias, logger });
  changes.onWake(() => indexer.wake());
  const backend: TherapistSearchBackend = new ElasticsearchTherapistSearch(client, alias);
  return {
    backend,
    nextSlots,
    indexer,
    /** Makes what was indexed visible to searches now (tests; ES refreshes every second anyway). */
    refresh: async () => {
      await client.indices.refresh({ index: alias });
    },
    close: async () => {
      await indexer.close();
      await client.close();
    },
  };
}

export type SearchModule = Awaited<ReturnType<typeof createSearchModule>>;
