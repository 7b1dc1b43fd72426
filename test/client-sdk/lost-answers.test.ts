import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Transaction } from 'sequelize';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import type { TherapyFieldClient } from '@therapy-field/client-sdk';
import { signUp } from '../support/accounts.js';
import { apiClient } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { waitFor } from '../support/wait.js';
import { journalEntry } from '../sync/sync-fixtures.js';
import { Devices, newDatabaseName } from './devices.js';

/**
 * A TCP proxy in front of the platform that can lose everything the server sends (HTTP answers,
 * socket acks) while requests still arrive, as a network that drops a response does.
 */
class AnswerLosingProxy {
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  private losing = false;
  private readonly server: Server;

  private constructor(target: URL) {
    this.server = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      const pair = { client, upstream };
      this.pairs.add(pair);
      client.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk) => {
        if (!this.losing) client.write(chunk);
      });
      const end = () => {
        client.destroy();
        upstream.destroy();
        this.pairs.delete(pair);
      };
      for (const socket of [client, upstream]) socket.on('close', end).on('error', end);
    });
  }

  static async start(target: URL): Promise<AnswerLosingProxy> {
    const proxy = new AnswerLosingProxy(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** From now on every answer is lost on the way; requests still reach the server. */
  loseAnswers(): void {
    this.losing = true;
  }

  /** Cuts every open connection (what was lost stays lost) and lets answers through again. */
  restore(): void {
    this.losing = false;
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.restore();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const BASE = 'Monday.';
const FIRST_EDIT = 'Monday. Slept badly.';
const EXPECTED = 'Monday. Slept badly. Therapy at 6.';

let node: TestPlatform;
let proxy: AnswerLosingProxy;
const devices = new Devices();
const sequelize = () => node.platform.database.owner;

beforeAll(async () => {
  node = await startTestPlatform();
  proxy = await AnswerLosingProxy.start(new URL(node.url));
});
afterEach(async () => {
  proxy.restore();
  await devices.closeAll();
});
afterAll(async () => {
  await proxy?.close();
  await node?.close();
});

/** How an answer gets lost: set up before the first edit, undone once the app has closed. */
interface LostAnswer {
  /** The first edit's push has reached the server (or is stuck there) and its answer will never come. */
  lost(phone: TherapyFieldClient<'journal_entries'>, serverContent: () => Promise<string | undefined>): Promise<void>;
  /** The network or the server is fine again. */
  restore(serverContent: () => Promise<string | undefined>): Promise<void>;
}

/**
 * One device, no other editor: "Monday." is synced; the user adds " Slept badly.", whose push is
 * stored (or held) while its answer is lost; the user adds " Therapy at 6." and closes the app;
 * the app opens again and syncs. Server and device must say the text once.
 */
async function writeThroughLostAnswer(realtime: boolean, cause: (id: string) => Promise<LostAnswer>, options: { requestTimeoutMs?: number } = {}) {
  const user = await signUp(apiClient(node.url), sequelize());
  const databaseName = newDatabaseName();
  const open = () => devices.signedIn(proxy.url, user.email, ['journal_entries'], { databaseName, realtime, ...options });
  const observer = await devices.signedIn(node.url, user.email, ['journal_entries']);
  const id = randomUUID();
  const serverContent = async () => {
    const { documents } = await observer.api.sync.pull({ collection: 'journal_entries', checkpoint: null, limit: 10 });
    return documents.find((doc) => doc.id === id)?.content as string | undefined;
  };
  const localContent = async (device: TherapyFieldClient<'journal_entries'>) => (await device.db.journal_entries.findOne(id).exec())?.content;

  let phone = await open();
  let connected = false;
  if (realtime) phone.on('connected', () => (connected = true));
  const { _deleted, ...entry } = journalEntry({ id, content: BASE });
  await phone.db.journal_entries.insert(entry);
  phone.sync.start();
  await waitFor(async () => (await serverContent()) === BASE && phone.sync.state.pendingPushes === 0 && (!realtime || connected), 10_000, 'the entry synced');

  const lostAnswer = await cause(id);
  await (await phone.db.journal_entries.findOne(id).exec())!.incrementalPatch({ content: FIRST_EDIT });
  await lostAnswer.lost(phone, serverContent);
  await (await phone.db.journal_entries.findOne(id).exec())!.incrementalPatch({ content: EXPECTED });
  await phone.close();
  await lostAnswer.restore(serverContent);

  phone = await reopen(open);
  expect(await localContent(phone)).toBe(EXPECTED);
  phone.sync.start();
  await waitFor(async () => phone.sync.state.pendingPushes === 0 && (await serverContent()) !== FIRST_EDIT, 15_000, 'the second edit pushed');
  expect(await serverContent()).toBe(EXPECTED);
  phone.sync.resync();
  await phone.sync.awaitInSync();
  expect(await localContent(phone)).toBe(EXPECTED);
  // The server's text was the device's own first edit: no conflict to resolve.
  expect(phone.sync.state.conflicts).toEqual([]);
}

/**
 * Opens the app again. Its first request may go out on a kept-alive connection that the proxy
 * cut a moment ago (the SDK's NetworkError, "other side closed"); the next one opens a new connection.
 */
async function reopen<T>(open: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (error) {
      if (attempt === 3 || (error as { code?: string }).code !== 'NETWORK_ERROR') throw error;
    }
  }
}

/** The proxy loses the answer of the push that stores the first edit. */
const lostOnTheWay = (): LostAnswer => ({
  lost: async (_phone, serverContent) => {
    await waitFor(async () => (await serverContent()) === FIRST_EDIT, 10_000, 'the first edit stored');
  },
  restore: async () => proxy.restore(),
});

describe('a push whose answer never arrives', () => {
  it('lost HTTP response: the server stored the first edit, the device pushes the second against the old base; the text is written once', async () => {
    await writeThroughLostAnswer(false, async () => {
      proxy.loseAnswers();
      return lostOnTheWay();
    });
  });

  it('lost socket ack: the same over the socket', async () => {
    await writeThroughLostAnswer(true, async () => {
      proxy.loseAnswers();
      return lostOnTheWay();
    });
  });

  it('slow server past the socket timeout: the push commits after the device gave up on it; the text is written once', async () => {
    let locked: Transaction | undefined;
    await writeThroughLostAnswer(
      true,
      async (id) => {
        // A transaction holds the entry's row: the push waits for it past the device's timeout.
        locked = await sequelize().transaction();
        await sequelize().query('SELECT id FROM journal_entries WHERE id = :id FOR UPDATE', { replacements: { id }, transaction: locked });
        return {
        lost: async (phone) => {
          const errors = phone.sync.state.errors;
          await waitFor(() => phone.sync.state.errors !== errors, 10_000, 'the push timed out on the device');
        },
        restore: async (serverContent) => {
          await locked!.commit();
          await waitFor(
            async () =>
              (await serverContent()) === FIRST_EDIT &&
              (await sequelize().query<{ waiting: string }>('SELECT count(*) AS waiting FROM pg_locks WHERE NOT granted', { type: QueryTypes.SELECT }))[0]!.waiting === '0',
            10_000,
            'the held pushes committed',
          );
        },
        };
      },
      { requestTimeoutMs: 500 },
    ).finally(() => locked?.rollback().catch(() => undefined));
  });
});
