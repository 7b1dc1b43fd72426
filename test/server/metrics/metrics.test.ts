import { readFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, Platform } from '@therapy-field/server';
import { signUp } from '../../support/accounts.js';
import { createAppointment } from '../../support/appointments.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { RecordingTransport } from '../../support/delivery.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { testConfig } from '../../support/platform.js';
import { createAccounts } from '../../support/scheduling.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';

/** Every JSON line the platform logs, as written. */
const logLines: Array<Record<string, unknown>> = [];
const captured = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

let database: TestDatabase;
let platform: Platform;
let url: string;
let api: ApiRequest;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'info', VIDEO_WORKERS: '1', VIDEO_LISTEN_IP: '127.0.0.1' });
  platform = await Platform.create(config, createLogger('info', captured), { emailTransport: new RecordingTransport() });
  url = await platform.listen();
  api = apiClient(url);
});
afterAll(async () => {
  sockets.forEach((socket) => socket.close());
  await platform?.close();
  await database?.drop();
});

async function scrape(): Promise<string> {
  const response = await fetch(new URL('/metrics', url));
  expect(response.status).toBe(200);
  return response.text();
}

/** The samples of one metric: its labels and value. */
function samples(text: string, name: string): Array<{ labels: Record<string, string>; value: number }> {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => {
      const labels = Object.fromEntries([...(/\{(.*)\}/.exec(line)?.[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value!]));
      return { labels, value: Number(line.slice(line.lastIndexOf(' ') + 1)) };
    });
}

describe('GET /metrics', () => {
  it('counts requests per route pattern, method and status, with latency, and never by the raw path', async () => {
    const secret = 'feed-secret-that-must-not-be-a-label';
    for (let index = 0; index < 3; index += 1) expect((await api('GET', '/health')).status).toBe(200);
    // A path with a parameter (and a secret in it, as the ICS feed's) counts under its pattern.
    expect((await api('GET', `/calendar/${secret}.ics?token=${secret}`)).status).toBe(404);
    const text = await scrape();

    const requests = samples(text, 'tf_http_requests_total');
    const health = requests.find(({ labels }) => labels.route!.endsWith('/health') && labels.method === 'GET' && labels.status === '200');
    expect(health?.value).toBe(3);
    const feed = requests.find(({ labels }) => labels.route!.endsWith('/calendar/:file'));
    expect(feed).toMatchObject({ labels: { method: 'GET', status: '404' }, value: 1 });
    expect(text).not.toContain(secret);
    const latency = samples(text, 'tf_http_request_duration_seconds_count').find(({ labels }) => labels.route === health!.labels.route);
    expect(latency?.value).toBe(3);
  });

  it('shows the database pools, the health checks, job queues, sockets and video of this node', async () => {
    const text = await scrape();
    const pools = samples(text, 'tf_db_pool_connections');
    expect(new Set(pools.map(({ labels }) => labels.pool))).toEqual(new Set(['app', 'system', 'owner']));
    expect(samples(text, 'tf_db_pool_max_connections').find(({ labels }) => labels.pool === 'app')?.value).toBe(20);
    expect(samples(text, 'tf_db_pool_acquire_seconds_count').find(({ labels }) => labels.pool === 'system')?.value).toBeGreaterThan(0);

    const healthValues = samples(text, 'tf_database_health_value');
    expect(healthValues.map(({ labels }) => labels.check).sort()).toEqual(['active_connections', 'database_size', 'default_partition_rows', 'long_queries', 'table_bloat']);
    expect(healthValues.find(({ labels }) => labels.check === 'database_size')).toMatchObject({ labels: { unit: 'bytes' } });
    expect(healthValues.find(({ labels }) => labels.check === 'database_size')!.value).toBeGreaterThan(1_000_000);
    expect(healthValues.find(({ labels }) => labels.check === 'active_connections')!.value).toBeGreaterThan(0);
    expect(samples(text, 'tf_database_health_status').every(({ value }) => [0, 1, 2].includes(value))).toBe(true);

    expect(samples(text, 'tf_job_queue_depth').map(({ labels }) => labels.job)).toEqual(expect.arrayContaining(['delivery-drain', 'database-backup']));
  });

  it('shows a query waiting for a connection while the owner pool (2) is held', async () => {
    const owner = platform.database.owner;
    const poolGauge = async (name: string, labels: Record<string, string>) =>
      samples(await scrape(), name).find((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value))?.value;
    const held = [await owner.transaction(), await owner.transaction()];
    const waiting = owner.query('SELECT 1');
    try {
      expect(await poolGauge('tf_db_pool_connections', { pool: 'owner', state: 'in_use' })).toBe(2);
      expect(await poolGauge('tf_db_pool_waiting', { pool: 'owner' })).toBe(1);
    } finally {
      await Promise.all(held.map((transaction) => transaction.commit()));
    }
    await waiting;
    expect(await poolGauge('tf_db_pool_waiting', { pool: 'owner' })).toBe(0);
  });

  it('counts this node\'s sockets, and its video sessions and workers once a call starts', async () => {
    const gauge = (text: string, name: string) => samples(text, name)[0]?.value;
    const before = await scrape();
    expect([gauge(before, 'tf_socket_connections'), gauge(before, 'tf_video_sessions'), gauge(before, 'tf_video_workers')]).toEqual([0, 0, 0]);

    const [therapist, client] = [await signUp(api, platform.database.owner, 'therapist'), await signUp(api, platform.database.owner, 'client')];
    const appointmentId = await createAppointment(platform.database.owner, { therapistId: therapist.id, clientId: client.id, durationMinutes: 50, startsInMinutes: 5 });
    const socket = await connectSocket(url, { token: therapist.accessToken });
    sockets.push(socket);
    expect(await socket.timeout(10_000).emitWithAck('video.join', { appointmentId })).toMatchObject({ ok: true });
    const during = await scrape();
    expect([gauge(during, 'tf_socket_connections'), gauge(during, 'tf_video_sessions'), gauge(during, 'tf_video_workers')]).toEqual([1, 1, 1]);
  });

  it('exports every metric the Grafana dashboard in the repository queries', async () => {
    const dashboard = JSON.parse(await readFile(new URL('../../../ops/grafana/therapy-field.json', import.meta.url), 'utf8')) as { panels: Array<{ targets?: Array<{ expr: string }> }> };
    const queried = new Set(dashboard.panels.flatMap((panel) => panel.targets ?? []).flatMap(({ expr }) => metricNames(expr)));
    expect(queried.size).toBeGreaterThan(15);
    // Job metrics have samples once a job ran on this node.
    await platform.jobs.runNow('delivery-drain');
    const exported = new Set(
      (await scrape())
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('#'))
        .map((line) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)![0]),
    );
    expect([...queried].filter((name) => !exported.has(name))).toEqual([]);
  });
});

/** The metric names in a PromQL expression: identifiers that are not functions, keywords, labels or durations. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)].map(([, name]) => name!).filter((name) => !['and', 'or', 'unless', 'offset', 'bool'].includes(name));
}

describe('GET /admin/database-health', () => {
  it('answers super admins with each check and the worst status, and refuses everyone else', async () => {
    expect((await api('GET', '/admin/database-health')).status).toBe(401);
    const client = await signUp(api, platform.database.owner, 'client');
    const refused = await api('GET', '/admin/database-health', { token: client.accessToken });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');

    const [admin] = await createAccounts(platform, 'super_admin', 1);
    const health = await api('GET', '/admin/database-health', { token: admin!.token });
    expect(health.status).toBe(200);
    expect(health.body.checks).toHaveLength(5);
    expect(health.body.checks).toContainEqual({ name: 'long_queries', value: 0, unit: 'queries', status: 'ok' });
    const worst = Math.max(...health.body.checks.map((check: { status: string }) => ['ok', 'warning', 'critical'].indexOf(check.status)));
    expect(health.body.status).toBe(['ok', 'warning', 'critical'][worst]);
  });
});

describe('the request log', () => {
  it('writes one info line per request with route, status, duration and request id, and nothing personal', async () => {
    const secret = 'reset-token-in-a-query-string';
    const response = await api('POST', `/auth/login?token=${secret}`, { body: { email: 'maria@example.gr', password: 'a secret password' } });
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    const line = logLines.find((entry) => entry.msg === 'request' && entry.requestId === requestId);
    expect(line).toBeDefined();
    expect(Object.keys(line!).sort()).toEqual(['durationMs', 'hostname', 'level', 'method', 'module', 'msg', 'pid', 'requestId', 'route', 'status', 'time']);
    expect(line).toMatchObject({ level: 30, module: 'http', method: 'POST', status: response.status });
    expect(line!.route).toMatch(/\/auth\/login$/);
    expect(line!.durationMs).toEqual(expect.any(Number));
    const everything = JSON.stringify(logLines);
    for (const personal of [secret, 'maria@example.gr', 'a secret password']) expect(everything).not.toContain(personal);
  });
});
