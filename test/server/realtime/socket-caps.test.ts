import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../support/accounts.js';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { request } from '../../support/realtime.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';
import { waitFor } from '../../support/wait.js';

let node: TestPlatform;
let api: ApiRequest;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  node = await startTestPlatform({ SOCKETS_PER_USER: '3', SOCKET_CONCURRENT_REQUESTS_PER_USER: '1', SOCKET_EVENTS_PER_SECOND: '1000' });
  api = apiClient(node.url);
});
afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
afterAll(() => node?.close());

async function connect(token: string): Promise<ClientSocket> {
  const socket = await connectSocket(node.url, { token });
  sockets.push(socket);
  return socket;
}

describe('sockets per account', () => {
  it('refuses one more than SOCKETS_PER_USER with TOO_MANY_CONNECTIONS, and takes one again when one closes', async () => {
    const [user, other] = [await signUp(api, node.platform.database.owner), await signUp(api, node.platform.database.owner)];
    const open = await Promise.all([1, 2, 3].map(() => connect(user.accessToken)));
    await expect(connectSocket(node.url, { token: user.accessToken })).rejects.toMatchObject({ data: { code: 'TOO_MANY_CONNECTIONS', details: { limit: 3 } } });
    await connect(other.accessToken);

    open[0]!.close();
    let reopened: ClientSocket | undefined;
    await waitFor(async () => (reopened = await connectSocket(node.url, { token: user.accessToken }).catch(() => undefined)) !== undefined, 5_000, 'a place for a new socket');
    sockets.push(reopened!);
    expect(await request(reopened!, 'changes.since', { afterSeq: 0 })).toMatchObject({ ok: true });
  });
});

describe('expensive requests per account', () => {
  it('run one at a time across the account\'s sockets, 64 wait in line, the rest are refused', async () => {
    const user = await signUp(api, node.platform.database.owner);
    const [phone, laptop] = [await connect(user.accessToken), await connect(user.accessToken)];
    // Holds every read of the change log, so the first changes.since stays running.
    const sequelize = node.platform.database.owner;
    const lock = await sequelize.transaction();
    try {
      await sequelize.query('LOCK TABLE change_log IN ACCESS EXCLUSIVE MODE', { transaction: lock });
      // Generous timeout: the 65th waits for 64 requests run one after the other.
      const answers = Array.from({ length: 70 }, (_, index) => request(index % 2 === 0 ? phone : laptop, 'changes.since', { afterSeq: 0 }, 60_000));
      const refused: unknown[] = [];
      answers.forEach((answer) => void answer.then((ack) => !ack.ok && refused.push(ack), () => undefined));
      await waitFor(() => refused.length === 5, 5_000, 'the requests beyond the line refused');
      expect(refused[0]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      await lock.commit();
      const acks = await Promise.all(answers);
      expect(acks.filter((ack) => ack.ok)).toHaveLength(65);
      expect(refused).toHaveLength(5);
    } finally {
      if (!(lock as unknown as { finished?: string }).finished) await lock.rollback();
    }
  });
  it('share the line with the account\'s HTTP sync pulls, which are refused with 429 RATE_LIMITED beyond it', async () => {
    const user = await signUp(api, node.platform.database.owner);
    const sequelize = node.platform.database.owner;
    const lock = await sequelize.transaction();
    try {
      await sequelize.query('LOCK TABLE change_log IN ACCESS EXCLUSIVE MODE', { transaction: lock });
      const pulls = Array.from({ length: 70 }, () => api('POST', '/sync/pull', { token: user.accessToken, body: { collection: 'mood_entries', checkpoint: null, limit: 10 } }));
      const refused: Array<{ status: number; body: { error: { code: string } } }> = [];
      pulls.forEach((pull) => void pull.then((answer) => answer.status !== 200 && refused.push(answer), () => undefined));
      await waitFor(() => refused.length === 5, 10_000, 'the pulls beyond the line refused');
      expect(refused.map((answer) => [answer.status, answer.body.error.code])).toEqual(Array(5).fill([429, 'RATE_LIMITED']));
      await lock.commit();
      const answers = await Promise.all(pulls);
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(65);
      expect(answers.filter((answer) => answer.status >= 500)).toHaveLength(0);
    } finally {
      if (!(lock as unknown as { finished?: string }).finished) await lock.rollback();
    }
  });
});
