import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../support/accounts.js';
import { apiClient, apiUrl, documentedUrl, type ApiDocument, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { request } from '../../support/realtime.js';
import { createAccounts, type Account } from '../../support/scheduling.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';
import { journalEntry, moodEntry, syncOverHttp } from '../../sync/sync-fixtures.js';

let node: TestPlatform;
let api: ApiRequest;
let client: { id: string; accessToken: string };
const sync = syncOverHttp(() => api);

beforeAll(async () => {
  node = await startTestPlatform({ BODY_LIMIT_BYTES: '4096' });
  api = apiClient(node.url);
  client = await signUp(api, node.platform.database.owner);
});
afterAll(() => node?.close());

const NUL = 'Τετάρτη\u0000';
const LONE_SURROGATE = 'Τετάρτη \uD800';
const rowsOf = (table: string, userId: string) =>
  node.platform.database.owner.query<{ id: string }>(`SELECT id FROM ${table} WHERE user_id = :userId`, { type: QueryTypes.SELECT, replacements: { userId } });

describe('a body that is not JSON', () => {
  it('is a 415 UNSUPPORTED_MEDIA_TYPE on a JSON route, not a 500', async () => {
    const response = await fetch(apiUrl(node.url, '/auth/login'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ email: 'a@example.gr', password: 'x' }),
    });
    expect(response.status).toBe(415);
    expect((await response.json()).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('text PostgreSQL cannot store (NUL, a lone surrogate)', () => {
  it('is a 400 naming the field over REST, and nothing changes', async () => {
    for (const bad of [NUL, LONE_SURROGATE]) {
      const response = await api('PATCH', '/me', { token: client.accessToken, body: { firstName: bad } });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(response.body.error.details).toEqual([{ path: 'firstName', message: expect.stringContaining('NUL') }]);
    }
    expect((await api('GET', '/me', { token: client.accessToken })).body.profile.firstName).toBe('Μαρία');
  });

  it('keeps a well-formed surrogate pair (emoji)', async () => {
    const response = await api('PATCH', '/me', { token: client.accessToken, body: { displayName: 'Μαρία 🌿' } });
    expect(response.status).toBe(200);
  });

  it('rejects only the bad rows of an HTTP sync push; the valid rows of the batch are stored', async () => {
    const good = journalEntry();
    const badTitle = journalEntry({ title: NUL });
    const badTag = journalEntry({ tags: ['ok', LONE_SURROGATE] });
    const pushed = await sync.push(client.accessToken, 'journal_entries', [badTitle, good, badTag].map((doc) => ({ newDocumentState: doc, assumedMasterState: null })));
    expect(pushed.status).toBe(200);
    expect(pushed.body.rejected).toEqual([
      { id: badTitle.id, code: 'VALIDATION_FAILED', reasons: [expect.stringMatching(/^title: .*NUL/)] },
      { id: badTag.id, code: 'VALIDATION_FAILED', reasons: [expect.stringMatching(/^tags\.1: /)] },
    ]);
    expect((await rowsOf('journal_entries', client.id)).map((row) => row.id)).toContain(good.id);
  });

  it('rejects only the bad rows of a socket sync push; the valid rows are stored', async () => {
    const socket: ClientSocket = await connectSocket(node.url, { token: client.accessToken });
    try {
      const good = moodEntry();
      const bad = moodEntry({ emotions: ['calm', NUL] });
      const ack = await request(socket, 'sync.push', { collection: 'mood_entries', rows: [bad, good].map((doc) => ({ newDocumentState: doc, assumedMasterState: null })) });
      expect(ack.ok).toBe(true);
      expect(ack.ok && ack.data.rejected).toEqual([{ id: bad.id, code: 'VALIDATION_FAILED', reasons: [expect.stringMatching(/^emotions\.1: /)] }]);
      const stored = (await rowsOf('mood_entries', client.id)).map((row) => row.id);
      expect(stored).toContain(good.id);
      expect(stored).not.toContain(bad.id);
    } finally {
      socket.close();
    }
  });
});

describe('page cursors', () => {
  it('answers a made-up or edited cursor with 400 INVALID_CURSOR', async () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const cursors = [
      'garbage',
      '!!!!',
      forged(null),
      forged(5),
      forged(['1', randomUUID()]),
      forged(['2026-02-31 10:00:00.123456+00', randomUUID()]),
      forged(['0000-01-01 00:00:00+00', randomUUID()]),
      forged(['2026-01-01 10:00:00+00', '------------------------------------']),
    ];
    for (const cursor of cursors) {
      const response = await api('GET', `/notifications?cursor=${encodeURIComponent(cursor)}`, { token: client.accessToken });
      expect(response.status, cursor).toBe(400);
      expect(response.body.error.code).toBe('INVALID_CURSOR');
    }
  });
});

describe('query values', () => {
  it('finds no therapist in a city named with a backslash or a quote, instead of failing', async () => {
    for (const city of ['\\', '"', '{', 'a"}\\']) {
      const response = await api('GET', `/therapists?city=${encodeURIComponent(city)}`);
      expect(response.status, city).toBe(200);
      expect(response.body.therapists ?? response.body).toBeDefined();
    }
  });

  it('refuses year 0 as a 400, not a 500', async () => {
    for (const from of ['0000-01-01', '0000-01-01T00:00:00Z']) {
      const response = await api('GET', `/appointments?from=${encodeURIComponent(from)}`, { token: client.accessToken });
      expect(response.status, from).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('a body over the limit', () => {
  it('closes the connection cleanly after the 413, so the next request on a keep-alive agent succeeds', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    // Sent in chunks without a Content-Length, so the server finds out only while reading it.
    const send = (path: string, chunks: string[] = []) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const post = chunks.length > 0;
        const outgoing = httpRequest(apiUrl(node.url, path), { agent, method: post ? 'POST' : 'GET', headers: post ? { 'content-type': 'application/json' } : {} }, (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode!, connection: response.headers.connection }));
        });
        outgoing.on('error', reject);
        for (const chunk of chunks) outgoing.write(chunk);
        outgoing.end();
      });
    try {
      for (let round = 0; round < 3; round++) {
        const big = ['{"email":"a@example.gr","password":"', ...Array.from({ length: 16 }, () => 'x'.repeat(4096)), '"}'];
        const refused = await send('/auth/login', big);
        expect(refused.status).toBe(413);
        expect((await send('/health')).status).toBe(200);
        expect(refused.connection).toBe('close');
      }
    } finally {
      agent.destroy();
    }
  });
});

describe('every route, as an attacker fills it in', () => {
  interface Operation {
    method: string;
    path: string;
    /** The URL of the path with its parameters filled in (and a query), on the operation's server. */
    url: (filledPath: string) => URL;
    parameters?: Array<{ in: string; name: string; schema?: JsonSchema }>;
    body?: JsonSchema;
  }
  interface JsonSchema {
    type?: string | string[];
    format?: string;
    enum?: unknown[];
    properties?: Record<string, JsonSchema>;
    items?: JsonSchema;
    anyOf?: JsonSchema[];
    oneOf?: JsonSchema[];
    minimum?: number;
    minItems?: number;
    const?: unknown;
  }

  /** A value that passes the schema's shape, with `text` in every free-text string. */
  function fill(schema: JsonSchema | undefined, text: string): unknown {
    if (!schema) return text;
    if (schema.const !== undefined) return schema.const;
    if (schema.enum) return schema.enum[0];
    const choice = schema.anyOf ?? schema.oneOf;
    if (choice) return fill(choice.find((option) => option.type !== 'null') ?? choice[0], text);
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
    switch (type) {
      case 'string':
        return (
          { uuid: randomUUID(), 'date-time': new Date(Date.now() + 86_400_000).toISOString(), date: '2027-03-01', email: 'x@example.gr', time: '10:00' } as Record<string, string>
        )[schema.format ?? ''] ?? text;
      case 'integer':
      case 'number':
        return schema.minimum ?? 1;
      case 'boolean':
        return true;
      case 'array':
        return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => fill(schema.items, text));
      case 'object':
        return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, property]) => [key, fill(property, text)]));
      default:
        return text;
    }
  }

  it('asks for a token on every route the API describes as secured', async () => {
    const spec = (await api('GET', '/openapi.json')).body as ApiDocument;
    const open: string[] = [];
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (!operation.security?.length) continue;
        const response = await fetch(documentedUrl(node.url, spec, operation, path.replace(/\{[^}]+\}/g, () => randomUUID())), { method: method.toUpperCase() });
        if (response.status !== 401) open.push(`${method.toUpperCase()} ${path} → ${response.status}`);
        await response.body?.cancel();
      }
    }
    expect(open).toEqual([]);
  });

  it('never answers 5xx to bad text, bad cursors, odd dates or a wrong content type', async () => {
    const spec = (await api('GET', '/openapi.json')).body as ApiDocument;
    const operations: Operation[] = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        url: (filledPath: string) => documentedUrl(node.url, spec, operation, filledPath),
        parameters: operation.parameters,
        body: operation.requestBody?.content['application/json']?.schema,
      })),
    );
    expect(operations.length).toBeGreaterThan(50);
    const therapist = await signUp(api, node.platform.database.owner, 'therapist');
    const [admin] = await createAccounts(node.platform, 'super_admin', 1);
    const tokens = [client.accessToken, therapist.accessToken, (admin as Account).token];
    // Erasing or signing out the accounts this test acts with would end the test early.
    const skipped = new Set(['POST /me/erase', 'POST /auth/logout']);

    const failures: string[] = [];
    const texts = [NUL, LONE_SURROGATE, '\\', '0000-01-01T00:00:00Z'];
    for (const operation of operations) {
      if (skipped.has(`${operation.method} ${operation.path}`)) continue;
      for (const text of texts) {
        const query = new URLSearchParams();
        for (const parameter of operation.parameters ?? []) if (parameter.in === 'query') query.set(parameter.name, String(fill(parameter.schema, text)));
        const path = operation.path.replace(/\{[^}]+\}/g, () => randomUUID());
        const url = `${path}${query.size > 0 ? `?${query}` : ''}`;
        for (const token of tokens) {
          const response = await fetch(operation.url(url), {
            method: operation.method,
            headers: { authorization: `Bearer ${token}`, ...(operation.body ? { 'content-type': 'application/json' } : {}) },
            body: operation.body ? JSON.stringify(fill(operation.body, text)) : undefined,
          });
          if (response.status >= 500) failures.push(`${operation.method} ${url} ${JSON.stringify(text)} → ${response.status} ${await response.text()}`);
          else await response.body?.cancel();
        }
      }
      if (operation.body) {
        const response = await fetch(operation.url(operation.path.replace(/\{[^}]+\}/g, () => randomUUID())), {
          method: operation.method,
          headers: { authorization: `Bearer ${client.accessToken}`, 'content-type': 'text/plain' },
          body: '{}',
        });
        if (response.status >= 500) failures.push(`${operation.method} ${operation.path} text/plain → ${response.status}`);
        else await response.body?.cancel();
      }
      const nulInPath = operation.path.replace(/\{[^}]+\}/g, '%00');
      if (nulInPath !== operation.path) {
        const response = await fetch(operation.url(nulInPath), { method: operation.method, headers: { authorization: `Bearer ${client.accessToken}` } });
        if (response.status >= 500) failures.push(`${operation.method} ${nulInPath} → ${response.status}`);
        else await response.body?.cancel();
      }
    }
    expect(failures).toEqual([]);
  }, 240_000);
});
