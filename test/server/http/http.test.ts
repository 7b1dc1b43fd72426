import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../support/accounts.js';
import { API_BASE_PATH } from '@therapy-field/sync';
import { apiClient, apiUrl, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { startRedis, type TestRedis } from '../../support/redis.js';

let node: TestPlatform;
let api: ApiRequest;

beforeAll(async () => {
  node = await startTestPlatform({ BODY_LIMIT_BYTES: '4096' });
  api = apiClient(node.url);
});
afterAll(() => node?.close());

describe('operations', () => {
  it('answers /health and /ready', async () => {
    expect((await api('GET', '/health')).body).toMatchObject({ status: 'ok' });
    const ready = await api('GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });
  });

  it('is not ready when the database is gone', async () => {
    const other = await startTestPlatform();
    await other.database.drop();
    const ready = await apiClient(other.url)('GET', '/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error.code).toBe('NOT_READY');
    await other.platform.close();
  });

  it('answers CORS only for the web app origins in CORS_ORIGINS', async () => {
    const app = 'https://app.therapyfield.gr';
    const withCors = await startTestPlatform({ CORS_ORIGINS: app }, node.database);
    try {
      const preflight = (base: string, origin: string) =>
        fetch(apiUrl(base, '/me'), { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
      const allowed = await preflight(withCors.url, app);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(app);
      expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      expect((await preflight(withCors.url, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
      const health = await fetch(new URL('/health', withCors.url), { headers: { origin: app } });
      expect(health.headers.get('access-control-allow-origin')).toBe(app);
      // Without CORS_ORIGINS a browser on another origin gets no CORS headers at all.
      expect((await preflight(node.url, app)).headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await withCors.platform.close();
    }
  });

  it('serves the OpenAPI 3.1 document and a docs page under the API prefix', async () => {
    const spec = await fetch(new URL(`${API_BASE_PATH}/openapi.json`, node.url)).then((response) => response.json());
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.servers).toEqual([expect.objectContaining({ url: '/api/v1' })]);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/auth/login', '/auth/register', '/me', '/ready']));
    expect(spec.paths['/auth/register'].post.requestBody.content['application/json'].schema).toBeDefined();
    // The probes stay at the root: their operations say so.
    expect(spec.paths['/ready'].get.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(spec.paths['/me'].get.servers).toBeUndefined();
    const docs = await fetch(new URL('/api/v1/docs', node.url));
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });
});

describe('the OpenAPI document of the contract', () => {
  it('names operations, shares schemas, lists the error codes and says what the server refuses', async () => {
    const spec = (await api('GET', '/openapi.json')).body;
    const send = spec.paths['/conversations/{peerId}/messages'].post;
    expect(send.operationId).toBe('sendMessage');
    expect(send.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SendMessageRequest' });
    expect(send.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Message' });
    // A blank message is refused, and the document says so.
    expect(spec.components.schemas.SendMessageRequest.properties.body).toMatchObject({ type: 'string', minLength: 1, maxLength: 5000, pattern: '\\S' });
    expect(spec.components.schemas.MessagePage.properties.messages.items).toEqual({ $ref: '#/components/schemas/Message' });
    // Every error is the Error component, its code one of the registered codes.
    expect(spec.components.schemas.Error.properties.error.properties.code.enum).toEqual(expect.arrayContaining(['NOT_FOUND', 'METHOD_NOT_ALLOWED', 'PAYLOAD_TOO_LARGE']));
    expect(send.responses['403'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(send.responses['403'].description).toContain('FORBIDDEN');
    // Every route that takes a body answers an oversized one with 413 (the body limit stands before all), converted or not.
    const operations = Object.values(spec.paths).flatMap((methods: any) => Object.values(methods)) as Array<{ requestBody?: unknown; responses: Record<string, unknown>; operationId?: string }>;
    const withBody = operations.filter((operation) => operation.requestBody);
    expect(withBody.length).toBeGreaterThan(20);
    expect(withBody.filter((operation) => !operation.responses['413'] || !operation.responses['415'])).toEqual([]);
    const operationIds = operations.flatMap((operation) => (operation.operationId ? [operation.operationId] : []));
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });
});

describe('the API prefix', () => {
  it('serves the API under /api/v1 and the probes at the root', async () => {
    const user = await signUp(api, node.platform.database.owner);
    const me = await fetch(new URL('/api/v1/me', node.url), { headers: { authorization: `Bearer ${user.accessToken}` } });
    expect(me.status).toBe(200);
    expect((await me.json()).id).toBe(user.id);
    for (const probe of ['/health', '/ready']) expect((await fetch(new URL(probe, node.url))).status, probe).toBe(200);
    expect((await fetch(new URL('/api/v1/health', node.url))).status).toBe(404);
  });

  it('answers an old unprefixed API path with a 404, never with the data', async () => {
    const user = await signUp(api, node.platform.database.owner);
    for (const [method, path] of [['GET', '/me'], ['GET', '/appointments'], ['GET', '/openapi.json'], ['POST', '/auth/login'], ['GET', '/docs']]) {
      const response = await fetch(new URL(path!, node.url), { method, headers: { authorization: `Bearer ${user.accessToken}`, accept: 'application/json' } });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: `Route ${method} ${path} not found` } });
    }
  });
});

describe('a wrong method', () => {
  it('is a 405 with Allow listing the methods the path takes, in the error shape', async () => {
    const user = await signUp(api, node.platform.database.owner);
    const deleteMe = await api('DELETE', '/me', { token: user.accessToken });
    expect(deleteMe.status).toBe(405);
    expect(deleteMe.headers.get('allow')).toBe('GET, HEAD, PATCH');
    expect(deleteMe.body).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: expect.stringContaining('/api/v1/me'), details: { allow: ['GET', 'HEAD', 'PATCH'] } } });
    // A path with a parameter, and one only posted to.
    const login = await api('GET', '/auth/login');
    expect(login.status).toBe(405);
    expect(login.headers.get('allow')).toBe('POST');
    const therapist = await api('DELETE', `/therapists/${user.id}/slots`);
    expect(therapist.status).toBe(405);
    expect(therapist.headers.get('allow')).toBe('GET, HEAD');
    // The probes too; and a path that does not exist stays a 404.
    const health = await api('POST', '/health');
    expect(health.status).toBe(405);
    expect(health.headers.get('allow')).toBe('GET, HEAD');
    expect((await api('DELETE', '/no/such/route')).status).toBe(404);
  });
});

describe('security headers', () => {
  it('sends a same-origin Content-Security-Policy and the usual hardening headers on API answers and the docs', async () => {
    for (const path of ['/health', '/no/such/route', '/api/v1/docs']) {
      const response = await fetch(new URL(path, node.url));
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy, path).toContain("default-src 'self'");
      expect(policy).toContain("script-src 'self'");
      expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(policy).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
    // The docs page starts Swagger UI from a file of this origin, not an inline script.
    expect(await (await fetch(new URL('/api/v1/docs', node.url))).text()).not.toMatch(/<script>/);
  });
});

describe('errors', () => {
  it('answers an unknown route with a JSON 404', async () => {
    const missing = await api('GET', '/no/such/route');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Route GET /api/v1/no/such/route not found' } });
  });

  it('answers malformed JSON with 400', async () => {
    const malformed = await api('POST', '/auth/login', { rawBody: '{"email": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('answers an oversized body with 413 and stores nothing', async () => {
    const huge = await api('POST', '/auth/register', {
      body: { role: 'client', email: 'big@example.gr', password: 'x'.repeat(10_000), firstName: 'A', lastName: 'B' },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const [rows] = await node.platform.database.owner.query(`SELECT 1 FROM users WHERE email = 'big@example.gr'`);
    expect(rows).toHaveLength(0);
  });

  it('keeps stored data when an update is invalid', async () => {
    const user = await signUp(api, node.platform.database.owner);
    const bad = await api('PATCH', '/me', { token: user.accessToken, body: { firstName: 'Ελένη', birthDate: 'yesterday' } });
    expect(bad.status).toBe(400);
    expect((await api('GET', '/me', { token: user.accessToken })).body.profile.firstName).toBe('Μαρία');
  });
});

describe('auth rate limits', () => {
  it('limits auth requests per client in memory', async () => {
    const limited = await startTestPlatform({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    const limitedApi = apiClient(limited.url);
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await limitedApi('POST', '/auth/password/forgot', { body: { email: 'a@example.gr' } })).status);
      expect(statuses).toEqual([202, 202, 202, 429]);
      const blocked = await limitedApi('POST', '/auth/login', { body: { email: 'a@example.gr', password: 'x' } });
      expect(blocked.body.error.code).toBe('RATE_LIMITED');
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('shares the limit between two nodes through Redis', async () => {
    const redis: TestRedis = await startRedis();
    const a = await startTestPlatform({ AUTH_RATE_LIMIT_PER_MINUTE: '3', REDIS_URL: redis.url });
    const b = await startTestPlatform({ AUTH_RATE_LIMIT_PER_MINUTE: '3', REDIS_URL: redis.url }, a.database);
    try {
      const forgot = (url: string) => apiClient(url)('POST', '/auth/password/forgot', { body: { email: 'a@example.gr' } });
      const statuses = [(await forgot(a.url)).status, (await forgot(b.url)).status, (await forgot(a.url)).status, (await forgot(b.url)).status];
      expect(statuses).toEqual([202, 202, 202, 429]);
    } finally {
      await b.close();
      await a.close();
      await redis.close();
    }
  });
});
