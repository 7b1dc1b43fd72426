import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { API_BASE_PATH } from '@therapy-field/sync';
import { signUp } from '../support/accounts.js';
import { apiClient } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { waitFor } from '../support/wait.js';
import { countSyncedRows, moodEntry } from '../sync/sync-fixtures.js';
import { Devices, newDatabaseName } from './devices.js';

const CYCLES = 300;

/** Resolves with `promise`, or fails after `timeoutMs` naming what it waited for. */
async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The device's real fetch, watched: a test learns the moment a push goes out or is answered (so
 * it can stop sync right then), can drop pushes as a lost connection does, and can wait until
 * nothing is in flight.
 */
class WatchedNetwork {
  private inFlight = 0;
  private dropping = false;
  private readonly waiters = new Set<{ event: 'sent' | 'answered'; wake: () => void }>();

  readonly fetch: typeof fetch = async (input, init) => {
    const isPush = new URL(input instanceof Request ? input.url : String(input)).pathname === `${API_BASE_PATH}/sync/push`;
    if (isPush) this.notify('sent');
    if (isPush && this.dropping) throw new TypeError('fetch failed: the connection dropped');
    this.inFlight++;
    try {
      const response = await fetch(input, init);
      if (isPush) this.notify('answered');
      return response;
    } finally {
      this.inFlight--;
    }
  };

  /** Drops every push from now on (false: lets them through again). */
  dropPushes(dropping: boolean): void {
    this.dropping = dropping;
  }

  /** Resolves the moment the next push goes out, or is answered. */
  next(event: 'sent' | 'answered'): Promise<void> {
    return within(new Promise<void>((wake) => this.waiters.add({ event, wake })), 20_000, `a push ${event}`);
  }

  idle(): Promise<void> {
    return waitFor(() => this.inFlight === 0, 60_000, 'no request in flight');
  }

  private notify(event: 'sent' | 'answered'): void {
    for (const waiter of this.waiters) {
      if (waiter.event !== event) continue;
      this.waiters.delete(waiter);
      waiter.wake();
    }
  }
}

const withoutDeleted = <T extends { _deleted?: boolean }>(doc: T) => {
  const { _deleted, ...rest } = doc;
  return rest;
};

let node: TestPlatform;
const devices = new Devices();
const sequelize = () => node.platform.database.owner;

beforeAll(async () => {
  node = await startTestPlatform();
});
afterEach(async () => {
  await devices.closeAll();
});
afterAll(async () => {
  await node?.close();
});

describe('nothing a device writes is lost', () => {
  it(`${CYCLES} cycles of stop → write offline → start, stopped mid-push and mid-retry: every entry on the server once, pendingPushes 0 only then, and all on a second device`, async () => {
    const user = await signUp(apiClient(node.url), sequelize());
    const network = new WatchedNetwork();
    const databaseName = newDatabaseName();
    const phone = await devices.signedIn(node.url, user.email, ['mood_entries'], {
      databaseName,
      realtime: false,
      pushBatchSize: 2,
      // Small pulls: a device stopped before its first pull finished pulls from the start again.
      pullBatchSize: 10,
      retryTimeMs: 200,
      fetch: network.fetch,
    });

    const written: string[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      // Offline: three entries, two push batches.
      const entries = [moodEntry(), moodEntry(), moodEntry()].map(withoutDeleted);
      await phone.db.mood_entries.bulkInsert(entries);
      written.push(...entries.map((entry) => entry.id));
      // The requests of the last cycle have reached the server (a stopped device does not abort them).
      await network.idle();
      if (cycle % 3 === 0) {
        // Stop while a push is in flight.
        const sent = network.next('sent');
        phone.sync.start();
        await sent;
      } else if (cycle % 3 === 1) {
        // Stop while a dropped push waits for its retry.
        network.dropPushes(true);
        const errors = phone.sync.state.errors;
        phone.sync.start();
        await waitFor(() => phone.sync.state.errors !== errors, 10_000, `a push of cycle ${cycle}'s new entries (none going out means they were lost)`);
      } else {
        // Stop the moment a push is answered, with more still to push.
        const answered = network.next('answered');
        phone.sync.start();
        await answered;
      }
      await phone.sync.stop();
      network.dropPushes(false);
    }

    // The app restarts (default batch size) and syncs: it counts what is pending from storage.
    await phone.close();
    const restarted = await devices.signedIn(node.url, user.email, ['mood_entries'], { databaseName, realtime: false });
    expect(await restarted.db.mood_entries.count().exec()).toBe(written.length);
    restarted.sync.start();
    await waitFor(() => restarted.sync.state.pendingPushes === 0, 60_000, 'nothing pending on the phone');
    // pendingPushes reads 0 only once the server has everything: no waiting from here on.
    expect(await countSyncedRows(sequelize(), 'mood_entries', user.id)).toEqual({ rows: written.length, ids: written.length });
    const stored = await sequelize().query<{ id: string }>('SELECT id FROM mood_entries WHERE user_id = :userId', { type: QueryTypes.SELECT, replacements: { userId: user.id } });
    expect(stored.map((row) => row.id).sort()).toEqual([...written].sort());

    const laptop = await devices.signedIn(node.url, user.email, ['mood_entries']);
    laptop.sync.start();
    await waitFor(async () => (await laptop.db.mood_entries.count().exec()) === written.length, 60_000, 'the second device has every entry');
  }, 600_000);
});
