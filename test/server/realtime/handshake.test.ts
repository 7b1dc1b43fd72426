import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../support/accounts.js';
import { apiClient } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { connectSocket } from '../../support/socket.js';

let node: TestPlatform;
beforeAll(async () => {
  node = await startTestPlatform();
});
afterAll(() => node?.close());

describe('socket handshake', () => {
  it('accepts a valid access token on the HTTP port', async () => {
    const user = await signUp(apiClient(node.url), node.platform.database.owner);
    const socket = await connectSocket(node.url, { token: user.accessToken });
    expect(socket.connected).toBe(true);
    const sockets = await node.platform.realtime.io.in(`user:${user.id}`).fetchSockets();
    expect(sockets.map((remote) => remote.data.userId)).toEqual([user.id]);
    socket.close();
  });

  it('refuses a missing or forged token with { code, message }', async () => {
    await expect(connectSocket(node.url, {})).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
    await expect(connectSocket(node.url, { token: 'a.b.c' })).rejects.toMatchObject({ data: { code: 'TOKEN_INVALID' } });
  });
});
