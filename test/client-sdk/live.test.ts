import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '@therapy-field/sync';
import { signUp } from '../support/accounts.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { freePort } from '../support/free-port.js';
import { apiClient } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { waitFor } from '../support/wait.js';
import { countSyncedRows, moodEntry } from '../sync/sync-fixtures.js';
import { Devices } from './devices.js';

let database: TestDatabase;
let port: number;
let server: TestPlatform | undefined;
const devices = new Devices();

const url = () => server!.url;
const sequelize = () => server!.platform.database.owner;

async function startServer(): Promise<void> {
  server = await startTestPlatform({ PORT: String(port) }, database);
}

beforeAll(async () => {
  database = await createTestDatabase();
  port = await freePort();
  await startServer();
});
afterEach(async () => {
  await devices.closeAll();
  if (!server) await startServer();
});
afterAll(async () => {
  await server?.close();
  await database?.drop();
});

describe('the SDK on the live stream', () => {
  it('brings a mood logged on one device to the other by itself', async () => {
    const user = await signUp(apiClient(url()), sequelize());
    const phone = await devices.signedIn(url(), user.email, ['mood_entries']);
    const laptop = await devices.signedIn(url(), user.email, ['mood_entries']);
    phone.sync.start();
    laptop.sync.start();
    await Promise.all([phone.sync.awaitInSync(), laptop.sync.awaitInSync()]);

    const id = randomUUID();
    await phone.db.mood_entries.insert(moodEntry({ id, moodScore: 8 }));
    await waitFor(async () => (await laptop.db.mood_entries.findOne(id).exec()) !== null, 10_000, 'the mood on the laptop');
    expect((await laptop.db.mood_entries.findOne(id).exec())!.moodScore).toBe(8);
  });

  it('splits a push batch that is bigger than the server takes in one request', async () => {
    const small = await startTestPlatform({ BODY_LIMIT_BYTES: '131072' });
    try {
      const user = await signUp(apiClient(small.url), small.platform.database.owner);
      const phone = await devices.signedIn(small.url, user.email, ['mood_entries']);
      let socketUp = false;
      phone.on('connected', () => void (socketUp = true));
      phone.sync.start();
      await waitFor(() => socketUp && phone.sync.state.online, 10_000, 'the phone on the socket');

      // One push batch (100 rows) of about 180 KB, over the 128 KiB limit: refused with an ack, then pushed in halves.
      await phone.db.mood_entries.bulkInsert(Array.from({ length: 100 }, () => moodEntry({ notes: 'ύπνος '.repeat(150) })));
      const stored = () => countSyncedRows(small.platform.database.owner, 'mood_entries', user.id);
      await waitFor(async () => (await stored()).rows === 100, 10_000, 'every row on the server');
      await waitFor(() => phone.sync.state.pendingPushes === 0, 10_000, 'nothing pending');
      expect(await stored()).toEqual({ rows: 100, ids: 100 });
      expect(phone.sync.state.errors.map((error) => error.message)).toEqual([]);
    } finally {
      await devices.closeAll();
      await small.close();
    }
  });

  it('resumes after the server was gone and hands over every change once, in order', async () => {
    const user = await signUp(apiClient(url()), sequelize());
    const device = await devices.signedIn(url(), user.email, ['notifications']);
    const received: ChangeEvent[] = [];
    device.on('change', (event) => void received.push(event));
    device.sync.start();
    await waitFor(() => device.sync.state.online, 10_000, 'the device online');

    const notify = (message: string) =>
      sequelize().query(`INSERT INTO notifications (user_id, type, message) VALUES (:id, 'test', :message)`, { replacements: { id: user.id, message } });
    await notify('before');
    await waitFor(() => received.length === 1, 10_000, 'the first change live');

    await server!.close();
    server = undefined;
    const offline = await startTestPlatform({ PORT: String(await freePort()) }, database);
    for (const message of ['while away 1', 'while away 2', 'while away 3']) {
      await offline.platform.database.owner.query(`INSERT INTO notifications (user_id, type, message) VALUES (:id, 'test', :message)`, {
        replacements: { id: user.id, message },
      });
    }
    await offline.close();
    await startServer();

    await waitFor(() => received.length >= 4, 15_000, 'the missed changes after reconnecting');
    await notify('after');
    await waitFor(() => received.length >= 5, 10_000, 'a live change after the resume');
    expect(received.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(received.map((event) => (event.data as { message: string } | null)?.message)).toEqual([
      'before',
      'while away 1',
      'while away 2',
      'while away 3',
      'after',
    ]);
  });

  it('keeps the live stream across access-token expiries: refreshes, reconnects, misses nothing, twice nothing', async () => {
    // One node alone: without Redis, a second node on the database could be the one delivering.
    await server?.close();
    server = undefined;
    const shortLived = await startTestPlatform({ ACCESS_TOKEN_TTL_SECONDS: '2' }, database);
    try {
      const user = await signUp(apiClient(shortLived.url), shortLived.platform.database.owner);
      const device = await devices.signedIn(shortLived.url, user.email, ['notifications']);
      const received: ChangeEvent[] = [];
      let closedByServer = 0;
      device.on('change', (event) => void received.push(event));
      device.on('disconnected', (reason) => void (reason === 'io server disconnect' && (closedByServer += 1)));
      device.sync.start();
      await waitFor(() => device.sync.state.online, 10_000, 'the device online');

      // A change at a time, each written whether or not the socket is up, until two sockets expired.
      let sent = 0;
      while (closedByServer < 2 && sent < 500) {
        sent += 1;
        await shortLived.platform.database.owner.query(`INSERT INTO notifications (user_id, type, message) VALUES (:id, 'test', :message)`, {
          replacements: { id: user.id, message: `note ${sent}` },
        });
        await waitFor(() => received.length >= sent, 10_000, `change ${sent}`);
      }
      expect(closedByServer).toBe(2);
      expect(received.map((event) => event.seq)).toEqual(Array.from({ length: sent }, (_, index) => index + 1));
      expect(received.map((event) => (event.data as { message: string }).message)).toEqual(Array.from({ length: sent }, (_, index) => `note ${index + 1}`));
      await waitFor(() => device.sync.state.online, 10_000, 'the device online again');
    } finally {
      await devices.closeAll();
      await shortLived.close();
    }
  });
});
