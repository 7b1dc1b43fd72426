import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../support/accounts.js';
import { apiClient } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { request } from '../../support/realtime.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';

let node: TestPlatform;
let socket: ClientSocket;

beforeAll(async () => {
  node = await startTestPlatform();
  const user = await signUp(apiClient(node.url), node.platform.database.owner, 'client');
  socket = await connectSocket(node.url, { token: user.accessToken });
});
afterAll(async () => {
  socket?.close();
  await node?.close();
});

// Before: every capability added its own listener (and zod schemas, a child logger) to every
// socket, ~26 per connection; now the events are registered once and dispatched by one middleware.
describe('what one connected socket costs the server', () => {
  it('carries no listener per client event, only the hub-wide disconnect hooks, and every event is still answered', async () => {
    const [serverSocket] = node.platform.realtime.io.of('/').sockets.values();
    expect(serverSocket).toBeDefined();
    // Socket.IO's own no-op 'error' listener aside.
    expect(serverSocket!.eventNames().filter((name) => name !== 'disconnect' && name !== 'error')).toEqual([]);
    expect(serverSocket!.listenerCount('disconnect')).toBeLessThanOrEqual(2);
    const events = ['changes.since', 'room.join', 'room.leave', 'notifications.list', 'notifications.read', 'presence.set', 'presence.subscribe', 'typing', 'sync.pull', 'sync.push', 'video.join'];
    for (const name of events) expect(node.platform.realtime.events.has(name), name).toBe(true);
    expect(await request(socket, 'presence.set', { status: 'away' })).toMatchObject({ ok: true, data: { status: 'away' } });
    expect(await request(socket, 'notifications.unreadCount', {})).toMatchObject({ ok: true, data: { count: 0 } });
  });
});
