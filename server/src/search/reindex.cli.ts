import { describeFailure, loadConfig, withDevSecrets } from '../config/index.js';
import { Database } from '../database/index.js';
import { createLogger } from '../logger/index.js';
import { createElasticsearchClient } from './elasticsearch/client.js';
import { reindexAll } from './elasticsearch/reindex.js';
import { setSearchIndexFeed } from './elasticsearch/search-indexer.js';

/**
 * `npm run reindex`: builds a new Elasticsearch index of every listed therapist (SEARCH_BACKEND=
 * elasticsearch, ELASTICSEARCH_URL), printing progress, then swaps the alias over to it: searches
 * meanwhile read the previous index whole. Changes made during the copy reach the new index
 * through the queue right after the swap.
 */
async function run(): Promise<void> {
  const config = loadConfig(await withDevSecrets(process.env, process.env.DATA_DIR ?? '.data'));
  if (config.search.backend !== 'elasticsearch') throw new Error('reindex needs SEARCH_BACKEND=elasticsearch and ELASTICSEARCH_URL');
  const database = await Database.create(config, createLogger(config.logLevel));
  const client = createElasticsearchClient(config.search.url);
  try {
    await database.migrate();
    await setSearchIndexFeed(database.system, true);
    const started = Date.now();
    const { index, indexed } = await reindexAll({
      system: database.system,
      client,
      alias: config.search.alias,
      onProgress: ({ indexed: done, total }) => process.stdout.write(`\rindexed ${done}/${total} therapists`),
    });
    console.log(`\n${config.search.alias} → ${index}: ${indexed} therapists in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await client.close();
    await database.close();
  }
}

run().catch((error: unknown) => {
  console.error(describeFailure(error));
  process.exit(1);
});
