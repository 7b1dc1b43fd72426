import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, Database } from '@therapy-field/server';
import type { ChangeEvent, PresenceState } from '@therapy-field/sync';
import { signUp, TEST_PASSWORD } from '../../support/accounts.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { apiClient } from '../../support/http.js';
import { startNodeProcess, type NodeProcess } from '../../support/node-process.js';
import { collectChanges, insertAppointment, insertNotification, request } from '../../support/realtime.js';
import { startRedis, type TestRedis } from '../../support/redis.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';
import { waitFor } from '../../support/wait.js';
import { Devices } from '../../client-sdk/devices.js';
import { testDatabaseRoles } from '../../support/database-roles.js';

type Account = Awaited<ReturnType<typeof signUp>>;

let redis: TestRedis;
let testDatabase: TestDatabase;
let database: Database;
let nodeA: NodeProcess;
let nodeB: NodeProcess | undefined;
let client: Account;
let therapist: Account;
const sockets: ClientSocket[] = [];

const startNode = () => startNodeProcess({ DATABASE_URL: testDatabase.url, REDIS_URL: redis.url, PRESENCE_TTL_MS: '1500' });

beforeAll(async () => {
  [redis, testDatabase] = await Promise.all([startRedis(), createTestDatabase()]);
  database = await Database.create({ databaseUrl: testDatabase.url, dataDir: '.', embeddedPostgresPort: 0, databaseRoles: testDatabaseRoles }, createLogger('silent'));
  nodeA = await startNode();
  const api = apiClient(nodeA.url);
  client = await signUp(api, database.owner, 'client');
  therapist = await signUp(api, database.owner, 'therapist');
});
beforeEach(async () => {
  nodeB ??= await startNode();
});
const devices = new Devices();
afterEach(async () => {
  sockets.splice(0).forEach((socket) => socket.close());
  await devices.closeAll();
});
afterAll(async () => {
  await Promise.all([nodeA?.close(), nodeB?.close()]);
  await database?.close();
  await testDatabase?.drop();
  await redis?.close();
});

async function connect(url: string, user: Account): Promise<ClientSocket> {
  const socket = await connectSocket(url, { token: user.accessToken });
  sockets.push(socket);
  return socket;
}

async function killNodeB(): Promise<void> {
  await nodeB!.kill();
  nodeB = undefined;
}

/**
 * A device as the SDK behaves: applies changes in seq order, fills a gap with `changes.since`,
 * and reconnects with the last seq it applied.
 */
function resumingDevice(user: Account) {
  const applied: number[] = [];
  const received: number[] = [];
  // Gap fills still in flight when a socket closes reject; `settle` waits for them before asserting.
  const gapFills: Promise<void>[] = [];
  const device = {
    applied,
    current: undefined as ClientSocket | undefined,
    open: (url: string) =>
      new Promise<ClientSocket>((resolve) => {
        const socket: ClientSocket = io(url, { auth: { token: user.accessToken, lastSeq: applied.at(-1) ?? 0 }, transports: ['websocket'], reconnection: false, forceNew: true });
        sockets.push(socket);
        socket.on('change', apply);
        socket.once('connect', () => resolve((device.current = socket)));
      }),
    settle: () => Promise.allSettled(gapFills),
    duplicates: () => received.filter((seq, index) => received.indexOf(seq) !== index),
  };
  const fillGap = async () => {
    const response = await request(device.current!, 'changes.since', { afterSeq: applied.at(-1) ?? 0 });
    if (response.ok) for (const change of response.data.changes) if (change.seq === (applied.at(-1) ?? 0) + 1) applied.push(change.seq);
  };
  function apply(change: ChangeEvent) {
    received.push(change.seq);
    if (change.seq === (applied.at(-1) ?? 0) + 1) applied.push(change.seq);
    else if (change.seq > (applied.at(-1) ?? 0) + 1) gapFills.push(fillGap());
  }
  return device;
}

describe('two nodes sharing Redis and the database', () => {
  it('brings an appointment written through node A to the therapist on node B, and a SQL update once', async () => {
    const onB = await connect(nodeB!.url, therapist);
    await connect(nodeA.url, client);
    const changes = collectChanges(onB);
    const appointmentId = await insertAppointment(database.owner, client.id, therapist.id);
    await waitFor(() => changes.some((c) => c.recordId === appointmentId));

    await database.owner.query(`UPDATE appointments SET status = 'confirmed' WHERE id = :appointmentId`, { replacements: { appointmentId } });
    // A later change for the same user arrives after every delivery of the earlier one (per-user order).
    const marker = await insertNotification(database.owner, therapist.id, 'marker');
    await waitFor(() => changes.some((c) => c.recordId === marker));
    const confirmed = changes.filter((c) => c.recordId === appointmentId && (c.data as { status: string }).status === 'confirmed');
    expect(confirmed).toHaveLength(1);
    const seqs = changes.map((c) => c.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('after kill -9 of a node, its clients resume on the other node and miss nothing, twice nothing', async () => {
    const user = await signUp(apiClient(nodeA.url), database.owner, 'client');
    const device = resumingDevice(user);

    await device.open(nodeB!.url);
    for (let index = 0; index < 3; index += 1) await insertNotification(database.owner, user.id, `before ${index}`);
    await waitFor(() => device.applied.length === 3);

    const disconnected = new Promise((resolve) => device.current!.once('disconnect', resolve));
    await killNodeB();
    await disconnected;
    for (let index = 0; index < 4; index += 1) await insertNotification(database.owner, user.id, `meanwhile ${index}`);
    await device.open(nodeA.url);
    for (let index = 0; index < 2; index += 1) await insertNotification(database.owner, user.id, `after ${index}`);

    await waitFor(() => device.applied.length === 9, 10_000, 'all nine changes');
    await device.settle();
    expect(device.applied).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(device.duplicates()).toEqual([]);
  });

  it('closes an account\'s sockets on both nodes when its password changes through one, and counts its sockets on both', async () => {
    const user = await signUp(apiClient(nodeA.url), database.owner, 'client');
    const [onA, onB] = [await connect(nodeA.url, user), await connect(nodeB!.url, user)];
    const closed = Promise.all([onA, onB].map((socket) => new Promise((resolve) => socket.once('disconnect', resolve))));
    const changed = await apiClient(nodeA.url)('POST', '/auth/password/change', { token: user.accessToken, body: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new password' } });
    expect(changed.status).toBe(200);
    await waitFor(() => !onA.connected && !onB.connected, 5_000, 'both sockets closed');
    expect(await closed).toEqual(['io server disconnect', 'io server disconnect']);

    // SOCKETS_PER_USER (10) counts the account's sockets on both nodes together.
    const signedIn = { ...user, accessToken: changed.body.accessToken as string };
    for (let index = 0; index < 10; index += 1) await connect(index % 2 === 0 ? nodeA.url : nodeB!.url, signedIn);
    for (const url of [nodeA.url, nodeB!.url]) {
      await expect(connectSocket(url, { token: signedIn.accessToken })).rejects.toMatchObject({ data: { code: 'TOO_MANY_CONNECTIONS' } });
    }
  });

  it('keeps presence right with three devices on two nodes, and after a node dies', async () => {
    // Presence is watched within care, as messages are: a confirmed appointment.
    const appointmentId = await insertAppointment(database.owner, client.id, therapist.id, 7);
    await database.owner.query(`UPDATE appointments SET status = 'confirmed' WHERE id = :appointmentId`, { replacements: { appointmentId } });
    const watcher = await connect(nodeA.url, therapist);
    const states: PresenceState[] = [];
    watcher.on('presence', (state) => states.push(state));
    const latest = () => states.filter((state) => state.userId === client.id).at(-1)?.status;

    const phone = await connect(nodeA.url, client);
    const laptop = await connect(nodeB!.url, client);
    const tablet = await connect(nodeB!.url, client);
    expect(await request(watcher, 'presence.subscribe', { userIds: [client.id] })).toMatchObject({ ok: true, data: [{ status: 'online' }] });

    for (const device of [phone, laptop, tablet]) await request(device, 'presence.set', { status: 'away' });
    await waitFor(() => latest() === 'away', 5_000, 'away on every device');
    await request(laptop, 'presence.set', { status: 'online' });
    await waitFor(() => latest() === 'online', 5_000, 'online again');

    // Node B dies silently with two of the devices; the phone on A is idle, so the user is away.
    await killNodeB();
    await waitFor(() => latest() === 'away', 5_000, 'the dead node\'s devices to expire');
    phone.close();
    await waitFor(() => latest() === 'offline', 5_000, 'offline');
    expect(await request(watcher, 'presence.subscribe', { userIds: [client.id] })).toMatchObject({ ok: true, data: [{ status: 'offline' }] });
  });
  it('after a Redis restart, an SDK device on the other node gets what the outage dropped, once, with nothing sent after', async () => {
    const user = await signUp(apiClient(nodeA.url), database.owner, 'client');
    const device = await devices.signedIn(nodeB!.url, user.email, ['notifications']);
    const seqs: number[] = [];
    device.on('change', (change) => void seqs.push(change.seq));
    let connected = false;
    device.on('connected', () => void (connected = true));
    device.sync.start();
    await waitFor(() => connected, 10_000, 'the device on node B');
    for (let index = 0; index < 2; index += 1) await insertNotification(database.owner, user.id, `before ${index}`);
    await waitFor(() => seqs.length === 2, 10_000, 'the first two changes');

    await redis.kill();
    for (let index = 0; index < 3; index += 1) await insertNotification(database.owner, user.id, `while Redis is down ${index}`);
    redis = await startRedis(redis.port);
    // Nothing is written after the restart: only the nodes' change-log heads can tell the device.
    await waitFor(() => seqs.length === 5, 20_000, 'the changes written while Redis was down');
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
  });
});
