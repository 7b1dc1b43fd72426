import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../support/accounts.js';
import { apiClient } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { waitFor } from '../support/wait.js';
import { countSyncedRows, moodEntry } from '../sync/sync-fixtures.js';
import { Devices } from './devices.js';

const PROXY_BODY_LIMIT = 48 * 1024;

/**
 * A reverse proxy in front of the platform, as nginx with `client_max_body_size` is: a larger
 * request gets the proxy's own HTML 413 page, never reaching the server.
 */
function startProxy(target: URL): Promise<Server> {
  const proxy = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      if (body.length > PROXY_BODY_LIMIT) {
        outgoing.writeHead(413, { 'content-type': 'text/html' }).end('<html><body><h1>413 Request Entity Too Large</h1></body></html>');
        return;
      }
      const forwarded = request(new URL(incoming.url!, target), { method: incoming.method, headers: { ...incoming.headers, host: target.host } }, (answer) => {
        outgoing.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(outgoing);
      });
      forwarded.end(body);
    });
  });
  return new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve(proxy)));
}

let node: TestPlatform;
let proxy: Server;
const devices = new Devices();

beforeAll(async () => {
  node = await startTestPlatform();
  proxy = await startProxy(new URL(node.url));
});
afterAll(async () => {
  await devices.closeAll();
  await new Promise((resolve) => proxy?.close(resolve));
  await node?.close();
});

describe('the SDK behind a proxy with a smaller body limit', () => {
  it('splits a push the proxy refuses with its own page, and loses nothing', async () => {
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const user = await signUp(apiClient(proxyUrl), node.platform.database.owner);
    const phone = await devices.signedIn(proxyUrl, user.email, ['mood_entries'], { realtime: false });
    // 100 rows of about 1.8 KB each: one push batch far over the proxy's limit.
    await phone.db.mood_entries.bulkInsert(Array.from({ length: 100 }, () => moodEntry({ notes: 'ύπνος '.repeat(150) })));
    phone.sync.start();
    const stored = () => countSyncedRows(node.platform.database.owner, 'mood_entries', user.id);
    await waitFor(async () => (await stored()).rows === 100, 15_000, 'every row on the server');
    await waitFor(() => phone.sync.state.pendingPushes === 0, 10_000, 'nothing pending');
    expect(await stored()).toEqual({ rows: 100, ids: 100 });
    expect(phone.sync.state.errors.map((error) => error.message)).toEqual([]);
  });
});
