import { Client, SniffingTransport, type TransportOptions } from '@elastic/elasticsearch';

type ClientOptions = ConstructorParameters<typeof Client>[0];

/**
 * What the client asks Elasticsearch for. The 9.x client asks for `compatible-with=9`, which an
 * Elasticsearch 8 server refuses (media_type_header_exception); the 8.x API is what 8 and 9 servers
 * both speak. JSON and NDJSON (bulk) bodies keep their own media types.
 */
export const ELASTICSEARCH_8_HEADERS = {
  jsonContentType: 'application/vnd.elasticsearch+json; compatible-with=8',
  ndjsonContentType: 'application/vnd.elasticsearch+x-ndjson; compatible-with=8',
  accept: 'application/vnd.elasticsearch+json; compatible-with=8,text/plain',
} as const;

class Elasticsearch8Transport extends SniffingTransport {
  constructor(options: TransportOptions) {
    super({ ...options, vendoredHeaders: { ...ELASTICSEARCH_8_HEADERS } });
  }
}

/** A client of the Elasticsearch at `url`; tests pass their own `Connection` (the mock transport). */
export function createElasticsearchClient(url: string, options: Partial<ClientOptions> = {}): Client {
  return new Client({ node: url, Transport: Elasticsearch8Transport, requestTimeout: 10_000, maxRetries: 2, ...options });
}
