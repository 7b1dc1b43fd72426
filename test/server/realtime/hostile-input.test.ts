import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../support/accounts.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { deeplyNested, request, requestRaw } from '../../support/realtime.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';
import { waitFor } from '../../support/wait.js';

// Before the fix, the first of these events threw inside Socket.IO's middleware, outside any
// try: an uncaught exception that ends a server process (here: no ack, and the runner reports it).
let node: TestPlatform;
let api: ApiRequest;
let user: Awaited<ReturnType<typeof signUp>>;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  node = await startTestPlatform({ SOCKET_EVENTS_PER_SECOND: '200' });
  api = apiClient(node.url);
  user = await signUp(api, node.platform.database.owner, 'client');
});
afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
afterAll(() => node?.close());

async function connect(): Promise<ClientSocket> {
  const socket = await connectSocket(node.url, { token: user.accessToken });
  sockets.push(socket);
  return socket;
}

async function stillServing(): Promise<void> {
  expect((await api('GET', '/health')).status).toBe(200);
  const fresh = await connect();
  expect(await request(fresh, 'presence.set', { status: 'online' })).toMatchObject({ ok: true });
}

/** 20,000 levels in 40 KB: JSON.stringify, zod and socket.io's own walkers overflow their stack on it. */
const deep = deeplyNested(20_000);

describe('a payload nested 20,000 levels deep', () => {
  it('is refused with an error ack on presence.set and sync.push; the socket and the server carry on', async () => {
    const socket = await connect();
    expect(await requestRaw(socket, 'presence.set', deep)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_DEEP', details: { maxDepth: 32 } } });
    const push = `{"collection":"mood_entries","rows":[{"newDocumentState":{"id":"${randomUUID()}","notes":${deep}}}]}`;
    expect(await requestRaw(socket, 'sync.push', push)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_DEEP' } });

    expect(socket.connected).toBe(true);
    expect(await request(socket, 'presence.set', { status: 'away' })).toMatchObject({ ok: true, data: { userId: user.id, status: 'away' } });
    await stillServing();
  });

  it('is refused on every other event too (rooms, typing, video, change stream, notifications)', async () => {
    const socket = await connect();
    const events = ['room.join', 'typing', 'video.join', 'video.produce', 'changes.since', 'sync.pull', 'notifications.list', 'presence.subscribe'];
    for (const event of events) {
      expect(await requestRaw(socket, event, `{"a":${deep}}`), event).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_DEEP' } });
    }
    // Shallow enough to be walked, still not what the schema wants: refused by validation.
    expect(await requestRaw(socket, 'presence.set', `{"status":${deeplyNested(30, '"online"')}}`)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await request(socket, 'changes.since', { afterSeq: 0 })).toMatchObject({ ok: true });
  });

  it('in a binary frame ends that connection only', async () => {
    const socket = await connect();
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    // A binary event: socket.io rebuilds its placeholders recursively before any middleware runs.
    socket.io.engine.write(`51-["presence.set",${deeplyNested(20_000, '{"_placeholder":true,"num":0}')}]`);
    socket.io.engine.write(Buffer.from([1, 2, 3]));
    await closed;
    await stillServing();
  });

  it('is answered 4xx over HTTP, the server still serving', async () => {
    const signedIn = { token: user.accessToken };
    const attempts: Array<[string, string, string, { token?: string }]> = [
      ['POST', '/auth/login', `{"email":${deep},"password":"x"}`, {}],
      ['POST', '/auth/register', deep, {}],
      ['POST', '/sync/pull', `{"collection":"mood_entries","checkpoint":${deep}}`, signedIn],
      ['PATCH', '/me', `{"firstName":${deep}}`, signedIn],
    ];
    for (const [method, path, rawBody, options] of attempts) {
      const response = await api(method, path, { ...options, rawBody });
      expect(response.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${method} ${path}`).toBeLessThan(500);
    }
    // A push answers per row: the deep one is rejected, nothing stored.
    const push = await api('POST', '/sync/push', { ...signedIn, rawBody: `{"collection":"mood_entries","rows":[{"newDocumentState":{"id":"${randomUUID()}","notes":${deep}}}]}` });
    expect(push.status).toBe(200);
    expect(push.body.rejected).toHaveLength(1);
    await stillServing();
  });
});

describe('event names chosen by a client', () => {
  it('are refused as unknown and counted under one metrics label, so they cannot grow the metrics', async () => {
    const socket = await connect();
    const names = Array.from({ length: 20 }, () => `made.up.${randomUUID()}`);
    for (const name of names) expect(await request(socket, name as never, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
    let metrics = '';
    await waitFor(async () => (metrics = await fetch(`${node.url}/metrics`).then((response) => response.text())).includes('event="unknown"'), 5_000, 'the unknown events counted');
    expect(metrics).not.toContain('made.up.');
  });
});
