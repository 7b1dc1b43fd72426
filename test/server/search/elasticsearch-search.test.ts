import MockModule, { type MockPattern } from '@elastic/elasticsearch-mock';
import { errors, type Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BulkIndexError,
  createElasticsearchClient,
  createLogger,
  ELASTICSEARCH_8_HEADERS,
  ElasticsearchTherapistSearch,
  greeklish,
  latinToGreek,
  reindexAll,
  runAsSystem,
  SearchIndexer,
  setSearchIndexFeed,
  therapistIndexBody,
  type TherapistDocument,
} from '@therapy-field/server';
import { therapistSearchQuerySchema } from '@therapy-field/sync';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { createAccounts, createListedTherapist, sql, type Account } from '../../support/scheduling.js';
import { therapistSearchContract } from './therapist-search.contract.js';

// No Elasticsearch server runs on these machines. The contract suite runs on a real one only when
// ELASTICSEARCH_URL is set; everything below tests at the client boundary with the client's own mock
// transport (@elastic/elasticsearch-mock): what we send, and what we make of what comes back.
if (process.env.ELASTICSEARCH_URL) {
  therapistSearchContract('Elasticsearch', async () => {
    const node = await startTestPlatform({
      SEARCH_BACKEND: 'elasticsearch',
      ELASTICSEARCH_URL: process.env.ELASTICSEARCH_URL!,
      ELASTICSEARCH_INDEX: `therapists-test-${Date.now()}`,
    });
    return {
      node,
      settle: async () => {
        while ((await runAsSystem(() => node.platform.search.nextSlots.refreshStale())) > 0);
        await node.platform.search.indexer!.indexPending();
        await node.platform.search.refresh();
      },
    };
  });
}

// The package is CommonJS (`module.exports = ClientMock`) while its typings declare a default export.
type Mock = InstanceType<typeof MockModule.default>;
const Mock = ((MockModule as { default?: unknown }).default ?? MockModule) as typeof MockModule.default;

type Params = MockPattern & { body?: any; querystring?: Record<string, string> };

/** A client on the mock transport that also records each request's method, path, headers and body. */
function mockedClient(mock: Mock, requests: Array<{ method: string; path: string; headers: Record<string, string> }>): Client {
  const MockConnection = mock.getConnection();
  const request = MockConnection.prototype.request;
  // Records each request, then answers as the mock does.
  class RecordingConnection extends MockConnection {}
  RecordingConnection.prototype.request = function (this: InstanceType<typeof MockConnection>, ...args: Parameters<typeof request>) {
    const [params] = args;
    requests.push({ method: params.method, path: params.path, headers: { ...(params.headers as Record<string, string>) } });
    return request.apply(this, args);
  } as typeof request;
  // The mock's typings resolve the transport's CommonJS declarations, the client's its ESM ones: the same class.
  const Connection = RecordingConnection as unknown as NonNullable<Parameters<typeof createElasticsearchClient>[1]>['Connection'];
  return createElasticsearchClient('http://elasticsearch.invalid:9200', { Connection, maxRetries: 0 });
}

const unavailable = () => new errors.ResponseError({ body: { error: 'unavailable', status: 503 }, statusCode: 503, headers: {}, warnings: null, meta: {} as never });

function document(overrides: Partial<TherapistDocument> = {}): TherapistDocument {
  return {
    therapist_id: '00000000-0000-4000-8000-000000000001', name: 'Ελένη Παπαδάκη', search_el: '', search_en: '', search_latin: '', names_latin: 'eleni papadaki',
    bio: 'Άγχος', specializations: ['10000000-0000-4000-8000-000000000001'], approaches: [], languages: ['el', 'en'], cities: ['Αθήνα'], city_keys: ['a8ina', 'a8ens'],
    location: [{ lat: 37.9795, lon: 23.7402 }], gender: 'female', rating: 4.5, review_count: 2, years_experience: 12, online_therapy: true, in_person_therapy: true,
    accepts_insurance: true, price_from: 60, next_free_slot: '2026-03-29T07:00:00.000Z', rating_sort: 450002, price_sort: 60, next_slot_sort: 1774767600, last_updated: '2026-03-01T00:00:00.000Z',
    display: {
      firstName: 'Ελένη', lastName: 'Παπαδάκη', nameLatin: 'Eleni Papadaki', photoUrl: 'https://cdn.example.gr/eleni.jpg', title: 'Κλινική Ψυχολόγος', bio: 'Άγχος',
      specializationsEn: ['Anxiety disorders'], specializationsEl: ['Αγχώδεις διαταραχές'], approachesEn: [], approachesEl: [], locations: [{ lat: 37.9795, lon: 23.7402 }],
    },
    ...overrides,
  };
}

describe('Greeklish folding (the query side of migration 1400)', () => {
  let node: TestPlatform;
  beforeAll(async () => {
    node = await startTestPlatform();
  });
  afterAll(async () => {
    await node?.close();
  });

  it('folds query words exactly as PostgreSQL folds the indexed text', async () => {
    const words = ['Ψυχολόγος', 'psyxologos', 'psychologos', 'ΠΑΠΑΔΆΚΗ', 'Παπαδακη', 'άγχος', 'agxos', 'Θεσσαλονίκη', 'thessaloniki', 'athens', 'Αθήνα', 'Ευαγγελία', 'Μπουμπούκα', 'Οικονόμου', 'Χαΐδω', 'kks'];
    for (const word of words) {
      const [row] = await sql<{ folded: string; greek: string }>(node.platform, 'SELECT f_greeklish(:word) AS folded, f_latin_to_greek(:word) AS greek', { word });
      expect(greeklish(word), word).toBe(row!.folded);
      if (/^[a-z]+$/i.test(word)) expect(latinToGreek(word), word).toBe(row!.greek);
    }
  });
});

describe('the Elasticsearch backend at the client boundary (mock transport)', () => {
  let mock: Mock;
  let requests: Array<{ method: string; path: string; headers: Record<string, string> }>;
  let client: Client;
  beforeEach(() => {
    mock = new Mock();
    requests = [];
    client = mockedClient(mock, requests);
  });

  it('asks for the 8.x API (an Elasticsearch 8 server refuses the 9.x client’s default), JSON and bulk alike', async () => {
    mock.add({ method: 'POST', path: '/therapists/_search' }, () => ({ hits: { total: { value: 0, relation: 'eq' }, hits: [] } }));
    mock.add({ method: 'POST', path: '/_bulk' }, () => ({ errors: false, items: [{ index: { _id: 'x', status: 201 } }] }));
    await new ElasticsearchTherapistSearch(client, 'therapists').search(therapistSearchQuerySchema.parse({ q: 'άγχος' }));
    await client.bulk({ operations: [{ index: { _index: 'therapists', _id: 'x' } }, { name: 'x' }] });
    const [search, bulk] = requests;
    expect(search!.headers.accept).toMatch(/^application\/vnd\.elasticsearch\+json; compatible-with=8\b/);
    expect(JSON.stringify(requests.map((request) => request.headers))).not.toContain('compatible-with=9');
    expect(search!.headers['content-type']).toBe(ELASTICSEARCH_8_HEADERS.jsonContentType);
    expect(bulk!.headers['content-type']).toBe(ELASTICSEARCH_8_HEADERS.ndjsonContentType);
  });

  it('builds one query from every part of a search: words in each way, filters, sort, cursor and facets', async () => {
    let sent: any;
    mock.add({ method: 'POST', path: '/dir/_search' }, (params: Params) => {
      sent = params.body;
      return { hits: { total: { value: 0, relation: 'eq' }, hits: [] }, aggregations: {} };
    });
    const specialization = '10000000-0000-4000-8000-000000000001';
    const query = therapistSearchQuerySchema.parse({
      q: 'agxos Παπαδάκη', city: 'athens', specializations: specialization, languages: 'en', online: 'true', insurance: 'true', priceMax: '60',
      minExperience: '5', gender: 'female', availableWithinDays: '3', near: '37.98,23.73', radiusKm: '10', sort: 'price', facets: 'true', limit: '5',
    });
    await new ElasticsearchTherapistSearch(client, 'dir').search(query);

    const [agxos, papadaki] = sent.query.bool.must;
    expect(agxos.bool.should).toEqual(expect.arrayContaining([
      { wildcard: { search_latin: { value: '*agxos*' } } },
      { match_bool_prefix: { search_el: 'agxos' } },
      { match_bool_prefix: { search_en: 'agxos' } },
      { match_bool_prefix: { search_el: 'αγχος' } },
      { match: { names_latin: { query: 'agxos', fuzziness: 'AUTO', boost: 2 } } },
    ]));
    expect(papadaki.bool.should).toContainEqual({ wildcard: { search_latin: { value: `*${greeklish('Παπαδάκη')}*` } } });
    expect(papadaki.bool.should).not.toContainEqual(expect.objectContaining({ match_bool_prefix: { search_el: expect.stringMatching(/^[a-z]/) } }));
    expect(sent.query.bool.filter).toEqual(expect.arrayContaining([
      { terms: { specializations: [specialization] } },
      { terms: { languages: ['en'] } },
      { term: { city_keys: 'a8ens' } },
      { term: { online_therapy: true } },
      { term: { accepts_insurance: true } },
      { range: { price_from: { lte: 60 } } },
      { range: { years_experience: { gte: 5 } } },
      { terms: { gender: ['female'] } },
      { geo_distance: { distance: '10km', location: { lat: 37.98, lon: 23.73 } } },
    ]));
    const soon = sent.query.bool.filter.find((clause: any) => clause.range?.next_free_slot).range.next_free_slot.lt;
    expect(Date.parse(soon) - Date.now()).toBeGreaterThan(2.9 * 86_400_000);
    expect(sent.sort).toEqual([{ price_sort: 'asc' }, { therapist_id: 'asc' }]);
    expect(sent.size).toBe(6);
    expect(sent.track_total_hits).toBe(true);
    expect(Object.keys(sent.aggs).sort()).toEqual(['approaches', 'availableWithin7Days', 'cities', 'experience', 'gender', 'inPerson', 'insurance', 'languages', 'online', 'price', 'specializations']);
    expect(sent.aggs.price.range.ranges.map((range: { key: string }) => range.key)).toEqual(['0-40', '40-60', '60-80', '80-']);
  });

  it('turns hits into results and a cursor the next page sends back as search_after', async () => {
    const bodies: any[] = [];
    const eleni = document();
    const john = document({
      therapist_id: '00000000-0000-4000-8000-000000000002', price_sort: 90, price_from: 90, location: [],
      display: { ...eleni.display, firstName: 'John', lastName: 'Smith', nameLatin: 'John Smith', locations: [] },
    });
    mock.add({ method: 'POST', path: '/therapists/_search' }, (params: Params) => {
      bodies.push(params.body);
      return {
        hits: {
          total: { value: 3, relation: 'eq' },
          hits: [
            { _id: eleni.therapist_id, _source: eleni, sort: [60, eleni.therapist_id] },
            { _id: john.therapist_id, _source: john, sort: [90, john.therapist_id] },
          ],
        },
        aggregations: {
          gender: { buckets: [{ key: 'female', doc_count: 2 }, { key: 'male', doc_count: 1 }] },
          price: { buckets: [{ key: '0-40', doc_count: 0 }, { key: '40-60', doc_count: 1 }, { key: '60-80', doc_count: 1 }, { key: '80-', doc_count: 1 }] },
          online: { doc_count: 3 },
        },
      };
    });
    const backend = new ElasticsearchTherapistSearch(client, 'therapists');
    const first = await backend.search(therapistSearchQuerySchema.parse({ sort: 'price', limit: '1', lang: 'en', near: '37.9795,23.7402', facets: 'true' }));

    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({
      id: eleni.therapist_id, name: 'Eleni Papadaki', photoUrl: 'https://cdn.example.gr/eleni.jpg', title: 'Κλινική Ψυχολόγος', priceFrom: 60, currency: 'EUR',
      rating: 4.5, reviewCount: 2, nextFreeSlot: '2026-03-29T10:00:00+03:00', online: true, inPerson: true, distanceKm: 0, specializations: ['Anxiety disorders'],
    });
    expect(first.facets).toMatchObject({ total: 3, gender: [{ value: 'female', count: 2 }, { value: 'male', count: 1 }], price: [{ value: '40-60', count: 1 }, { value: '60-80', count: 1 }, { value: '80-', count: 1 }], online: 3, insurance: 0 });
    expect(first.nextCursor).not.toBeNull();

    await backend.search(therapistSearchQuerySchema.parse({ sort: 'price', limit: '1', cursor: first.nextCursor! }));
    expect(bodies[1].search_after).toEqual([60, eleni.therapist_id]);
    expect(bodies[1].from).toBeUndefined();
  });

  it('creates each index with the Greek analyzer, the English one and the folded Greeklish fields (seed §12)', () => {
    const analysis = therapistIndexBody.settings.analysis!;
    expect(analysis.analyzer!.greek_text).toMatchObject({ tokenizer: 'standard', filter: ['greek_lowercase', 'greek_stop', 'greek_stemmer'] });
    expect(analysis.filter!.greek_stemmer).toEqual({ type: 'stemmer', language: 'greek' });
    const properties = therapistIndexBody.mappings.properties!;
    expect(properties.search_latin).toEqual({ type: 'wildcard' });
    expect(properties.names_latin).toMatchObject({ analyzer: 'latin_folded' });
    expect(properties.location).toEqual({ type: 'geo_point' });
    expect(properties.specializations).toEqual({ type: 'keyword' });
  });
});

describe('feeding Elasticsearch from the database (mock transport, real PostgreSQL)', () => {
  let node: TestPlatform;
  let api: ApiRequest;
  let admin: Account;
  const therapists: Account[] = [];
  const logger = createLogger('silent');
  const fastRetry = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

  beforeAll(async () => {
    node = await startTestPlatform();
    api = apiClient(node.url);
    [admin] = (await createAccounts(node.platform, 'super_admin', 1)) as [Account];
    for (const bio of ['Πρώτη', 'Δεύτερη']) therapists.push(await createListedTherapist(api, node.platform, admin, { profile: { bio } }));
  });
  afterAll(async () => {
    await node?.close();
  });

  const queued = async () => (await sql<{ n: number }>(node.platform, 'SELECT count(*)::int AS n FROM search_index_queue'))[0]!.n;

  it('builds a whole new index, then swaps the alias in one update and drops the old index', async () => {
    const mock = new Mock();
    const requests: Array<{ method: string; path: string; headers: Record<string, string> }> = [];
    const client = mockedClient(mock, requests);
    const bulkBodies: any[][] = [];
    let created: any;
    let aliasActions: any;
    mock.add({ method: 'PUT', path: '/therapists-new' }, (params: Params) => {
      created = params.body;
      return { acknowledged: true };
    });
    mock.add({ method: 'POST', path: '/_bulk' }, (params: Params) => {
      bulkBodies.push(params.body as any[]);
      return { errors: false, items: (params.body as any[]).filter((line) => line.index).map(() => ({ index: { status: 201 } })) };
    });
    mock.add({ method: ['POST', 'GET'], path: '/therapists-new/_refresh' }, () => ({ _shards: { total: 1, successful: 1, failed: 0 } }));
    mock.add({ method: 'HEAD', path: '/_alias/therapists' }, () => '');
    mock.add({ method: 'GET', path: '/_alias/therapists' }, () => ({ 'therapists-old': { aliases: { therapists: {} } } }));
    mock.add({ method: 'POST', path: '/_aliases' }, (params: Params) => {
      aliasActions = params.body;
      return { acknowledged: true };
    });
    mock.add({ method: 'DELETE', path: '/therapists-old' }, () => ({ acknowledged: true }));
    const progress: Array<{ indexed: number; total: number }> = [];

    const result = await reindexAll({ system: node.platform.database.system, client, alias: 'therapists', indexName: 'therapists-new', pageSize: 1, onProgress: (step) => progress.push(step), retry: fastRetry });

    expect(created).toEqual(JSON.parse(JSON.stringify(therapistIndexBody)));
    const indexed = bulkBodies.flat().filter((line) => line.therapist_id).map((line) => line.therapist_id);
    expect(indexed).toEqual(expect.arrayContaining(therapists.map((therapist) => therapist.id)));
    expect(progress.at(-1)).toEqual({ indexed: result.indexed, total: result.indexed });
    expect(progress.length).toBe(result.indexed);
    expect(aliasActions.actions).toEqual([{ remove: { index: 'therapists-old', alias: 'therapists' } }, { add: { index: 'therapists-new', alias: 'therapists' } }]);
    const order = requests.map((request) => `${request.method} ${request.path}`);
    expect(order.indexOf('POST /_aliases')).toBeGreaterThan(order.lastIndexOf('POST /_bulk'));
    expect(order.indexOf('POST /_aliases')).toBeGreaterThan(order.findIndex((entry) => entry.endsWith('/_refresh')));
    expect(order.at(-1)).toBe('DELETE /therapists-old');
  });

  it('leaves the alias alone and drops the half-built index when the copy fails', async () => {
    const mock = new Mock();
    const requests: Array<{ method: string; path: string; headers: Record<string, string> }> = [];
    const client = mockedClient(mock, requests);
    mock.add({ method: 'PUT', path: '/therapists-broken' }, () => ({ acknowledged: true }));
    mock.add({ method: 'POST', path: '/_bulk' }, unavailable);
    mock.add({ method: 'DELETE', path: '/therapists-broken' }, () => ({ acknowledged: true }));

    await expect(reindexAll({ system: node.platform.database.system, client, alias: 'therapists', indexName: 'therapists-broken', retry: fastRetry })).rejects.toBeInstanceOf(BulkIndexError);
    const order = requests.map((request) => `${request.method} ${request.path}`);
    expect(order).not.toContain('POST /_aliases');
    expect(order.at(-1)).toBe('DELETE /therapists-broken');
    expect(order.filter((entry) => entry === 'POST /_bulk')).toHaveLength(fastRetry.attempts);
  });

  it('indexes committed changes in bulk, retries what Elasticsearch throttles, and keeps the queue until it is acknowledged', async () => {
    const system = node.platform.database.system;
    await setSearchIndexFeed(system, true);
    try {
      const [first, second] = therapists as [Account, Account];
      expect((await api('PATCH', `/therapists/${first.id}`, { token: first.token, body: { bio: 'Νέο βιογραφικό' } })).status).toBe(200);
      await sql(node.platform, `UPDATE users SET status = 'suspended' WHERE id = :id RETURNING id`, { id: second.id });
      expect(await queued()).toBeGreaterThan(0);

      // Elasticsearch is down: after the retries the batch rolls back, nothing is lost.
      const down = new Mock();
      down.add({ method: 'POST', path: '/_bulk' }, unavailable);
      const before = await queued();
      const failing = new SearchIndexer({ system, client: mockedClient(down, []), alias: 'therapists', logger, retry: fastRetry });
      await expect(failing.indexPending()).rejects.toBeInstanceOf(BulkIndexError);
      expect(await queued()).toBe(before);

      // Back, but throttling one item once: that item alone is sent again.
      const mock = new Mock();
      const bodies: any[][] = [];
      mock.add({ method: 'POST', path: '/_bulk' }, (params: Params) => {
        const lines = params.body as any[];
        bodies.push(lines);
        const actions = lines.filter((line) => line.index || line.delete);
        return {
          errors: bodies.length === 1,
          items: actions.map((action, position) => {
            const kind = action.index ? 'index' : 'delete';
            return bodies.length === 1 && position === 0
              ? { [kind]: { _id: action[kind]._id, status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } } }
              : { [kind]: { _id: action[kind]._id, status: 200 } };
          }),
        };
      });
      const indexer = new SearchIndexer({ system, client: mockedClient(mock, []), alias: 'therapists', logger, retry: fastRetry });
      expect(await indexer.indexPending()).toBe(before);
      expect(await queued()).toBe(0);

      const firstBatch = bodies[0]!;
      const indexedFirst = firstBatch.findIndex((line) => line.index?._id === first.id);
      expect(firstBatch[indexedFirst + 1]).toMatchObject({ therapist_id: first.id, bio: 'Νέο βιογραφικό' });
      expect(firstBatch).toContainEqual({ delete: { _index: 'therapists', _id: second.id } });
      expect(bodies).toHaveLength(2);
      expect(bodies[1]!.filter((line) => line.index || line.delete)).toHaveLength(1);
    } finally {
      await setSearchIndexFeed(system, false);
    }
  });

  it('treats the deletion of a document Elasticsearch never had as done', async () => {
    const mock = new Mock();
    mock.add({ method: 'POST', path: '/_bulk' }, () => ({ errors: true, items: [{ delete: { _id: 'gone', status: 404, result: 'not_found' } }] }));
    const client = mockedClient(mock, []);
    const system = node.platform.database.system;
    await setSearchIndexFeed(system, true);
    try {
      await sql(node.platform, `UPDATE users SET status = 'active' WHERE id = :id RETURNING id`, { id: therapists[1]!.id });
      await sql(node.platform, `UPDATE users SET status = 'suspended' WHERE id = :id RETURNING id`, { id: therapists[1]!.id });
      const indexer = new SearchIndexer({ system, client, alias: 'therapists', logger, retry: fastRetry, batchSize: 1 });
      await indexer.indexPending();
      expect(await queued()).toBe(0);
    } finally {
      await setSearchIndexFeed(system, false);
    }
  });
});
