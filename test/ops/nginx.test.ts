import { spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, Database } from '@therapy-field/server';
import type { ChangeEvent, ClientToServerEvents, ServerToClientEvents } from '@therapy-field/sync';
import { signUp } from '../support/accounts.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { testDatabaseRoles } from '../support/database-roles.js';
import { apiClient } from '../support/http.js';
import { startNginx, type TestNginx } from '../support/nginx.js';
import { startNodeProcess, type NodeProcess } from '../support/node-process.js';
import { insertNotification, request } from '../support/realtime.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import type { ClientSocket } from '../support/socket.js';
import { waitFor } from '../support/wait.js';

type Account = Awaited<ReturnType<typeof signUp>>;

let redis: TestRedis;
let testDatabase: TestDatabase;
let database: Database;
const nodes: NodeProcess[] = [];
let nginx: TestNginx;
const sockets: Socket[] = [];

beforeAll(async () => {
  [redis, testDatabase] = await Promise.all([startRedis(), createTestDatabase()]);
  database = await Database.create({ databaseUrl: testDatabase.url, dataDir: '.', embeddedPostgresPort: 0, databaseRoles: testDatabaseRoles }, createLogger('silent'));
  for (let index = 0; index < 2; index += 1) nodes.push(await startNodeProcess({ DATABASE_URL: testDatabase.url, REDIS_URL: redis.url }));
  nginx = await startNginx(nodes.map((node) => node.port));
});
afterEach(() => {
  sockets.splice(0).forEach((socket) => socket.close());
});
afterAll(async () => {
  await nginx?.close();
  await Promise.all(nodes.map((node) => node.close()));
  await database?.close();
  await testDatabase?.drop();
  await redis?.close();
});

/** A socket.io-client through nginx, as a browser would open it. */
function openSocket(user: Account, options: { transports: Array<'polling' | 'websocket'>; reconnection?: boolean; lastSeq?: () => number }): ClientSocket {
  const socket: ClientSocket = io(nginx.url, {
    transports: options.transports,
    reconnection: options.reconnection ?? false,
    reconnectionDelay: 100,
    forceNew: true,
    auth: (send) => send({ token: user.accessToken, lastSeq: options.lastSeq?.() ?? 0 }),
  });
  sockets.push(socket);
  return socket;
}

const connected = (socket: Socket) => new Promise<void>((resolve, reject) => {
  socket.once('connect', () => resolve());
  socket.once('connect_error', reject);
});

/** A node's own metric, read from the node directly (nginx does not serve /metrics). */
async function nodeMetric(node: NodeProcess, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  return text.split('\n').filter((line) => pattern.test(line)).reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
const socketsOn = (node: NodeProcess) => nodeMetric(node, /^tf_socket_connections /);

/** Sends a change through the API-side path (the change log) and waits for this socket to get it. */
async function receivesAChange(socket: ClientSocket, user: Account): Promise<void> {
  const received: ChangeEvent[] = [];
  socket.on('change', (change) => received.push(change));
  const id = await insertNotification(database.owner, user.id, 'through nginx');
  await waitFor(() => received.some((change) => change.recordId === id), 10_000, 'the change through nginx');
}

describe('two nodes behind nginx with ops/nginx/therapy-field.conf', () => {
  it('serves HTTP from both nodes, passes its request id and hides /metrics', async () => {
    for (let index = 0; index < 8; index += 1) {
      const response = await fetch(`${nginx.url}/health`);
      expect(response.status).toBe(200);
      // nginx's $request_id (32 hex digits) is the id the node logs.
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    }
    for (const node of nodes) expect(await nodeMetric(node, /^tf_http_requests_total\{.*route="[^"]*\/health".*status="200"/)).toBeGreaterThan(0);
    expect((await fetch(`${nginx.url}/metrics`)).status).toBe(404);
  });

  it('carries Socket.IO over long-polling: the session stays on one node for every request', async () => {
    const user = await signUp(apiClient(nginx.url), database.owner, 'client');
    const socket = openSocket(user, { transports: ['polling'] });
    await connected(socket);
    expect(socket.io.engine.transport.name).toBe('polling');
    for (let index = 0; index < 5; index += 1) expect(await request(socket, 'changes.since', { afterSeq: 0 })).toMatchObject({ ok: true });
    await receivesAChange(socket, user);
    expect(socket.connected).toBe(true);
  });

  it('carries Socket.IO over WebSocket, opened directly or upgraded from polling', async () => {
    const user = await signUp(apiClient(nginx.url), database.owner, 'client');
    const direct = openSocket(user, { transports: ['websocket'] });
    await connected(direct);
    expect(direct.io.engine.transport.name).toBe('websocket');
    await receivesAChange(direct, user);

    const upgrading = openSocket(user, { transports: ['polling', 'websocket'] });
    const upgraded = new Promise<string>((resolve) => upgrading.io.engine.once('upgrade', (transport) => resolve(transport.name)));
    await connected(upgrading);
    expect(await upgraded).toBe('websocket');
    expect(await request(upgrading, 'changes.since', { afterSeq: 0 })).toMatchObject({ ok: true });
  });

  it('runs for an ordinary user as for root: from a root test, an nginx started as nobody carries HTTP and WebSocket too', async () => {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'nobody']).stdout.toString());
    const ordinary = userInfo().uid === 0 ? await startNginx(nodes.map((node) => node.port), { user: { uid: id('-u'), gid: id('-g') } }) : nginx;
    let socket: ClientSocket | undefined;
    try {
      expect((await fetch(`${ordinary.url}/health`)).status).toBe(200);
      const user = await signUp(apiClient(ordinary.url), database.owner, 'client');
      socket = io(ordinary.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: user.accessToken } });
      await connected(socket);
      await receivesAChange(socket, user);
    } finally {
      // nginx's graceful stop waits for open WebSockets.
      socket?.close();
      if (ordinary !== nginx) await ordinary.close();
    }
  });

  it('when a node is killed, its socket reconnects through nginx to the other node and gets what it missed, once each', async () => {
    const user = await signUp(apiClient(nginx.url), database.owner, 'client');
    const received: number[] = [];
    const socket = openSocket(user, { transports: ['websocket'], reconnection: true, lastSeq: () => received.at(-1) ?? 0 });
    (socket as Socket<ServerToClientEvents, ClientToServerEvents>).on('change', (change) => void received.push(change.seq));
    await connected(socket);
    for (let index = 0; index < 3; index += 1) await insertNotification(database.owner, user.id, `before ${index}`);
    await waitFor(() => received.length === 3, 10_000, 'the first three changes');

    const counts = await Promise.all(nodes.map(socketsOn));
    const hostIndex = counts.indexOf(1);
    expect(counts.sort()).toEqual([0, 1]);
    const [host] = nodes.splice(hostIndex, 1);
    const survivor = nodes[0]!;
    const reconnected = new Promise<void>((resolve) => socket.io.once('reconnect', () => resolve()));
    await host!.kill();
    for (let index = 0; index < 4; index += 1) await insertNotification(database.owner, user.id, `while moving ${index}`);

    await reconnected;
    await waitFor(() => received.length >= 7, 15_000, 'the changes written while the socket moved');
    expect(received).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await socketsOn(survivor)).toBe(1);
    expect((await fetch(`${nginx.url}/health`)).status).toBe(200);
  });
});
