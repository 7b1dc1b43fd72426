import type { Page } from 'playwright-core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, Database } from '@therapy-field/server';
import { signUp } from '../../support/accounts.js';
import { appointmentTimes, createAppointment } from '../../support/appointments.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { apiClient } from '../../support/http.js';
import type { NodeProcess } from '../../support/node-process.js';
import { startRedis, type TestRedis } from '../../support/redis.js';
import { launchVideoBrowser, type VideoBrowser } from '../../support/video/browser.js';
import { allReceiving, clientAdmittedThroughWaitingRoom, events, joinCall, state, stats } from '../../support/video/harness.js';
import { startVideoNode } from '../../support/video/node.js';
import { waitFor } from '../../support/wait.js';
import { testDatabaseRoles } from '../../support/database-roles.js';

/**
 * Two server processes sharing PostgreSQL and Redis, no sticky routing: the therapist's page talks
 * to node A, the client's to node B, and they meet in one session owned by one node.
 */
let redis: TestRedis;
let redisClient: Redis;
let testDatabase: TestDatabase;
let database: Database;
let nodeA: NodeProcess;
let nodeB: NodeProcess;
let browser: VideoBrowser;
let therapistPage: Page;
let clientPage: Page;
let appointmentId: string;
let therapist: Awaited<ReturnType<typeof signUp>>;
let client: Awaited<ReturnType<typeof signUp>>;

const bothReceiving = (what: string, bytes?: number, timeoutMs?: number) => allReceiving([therapistPage, clientPage], what, bytes, timeoutMs);

const startNode = (rtcMinPort: number) =>
  startVideoNode({ databaseUrl: testDatabase.url, redisUrl: redis.url, rtcMinPort, rejoinGraceSeconds: 30 });

beforeAll(async () => {
  [redis, testDatabase, browser] = await Promise.all([startRedis(), createTestDatabase(), launchVideoBrowser()]);
  redisClient = new Redis(redis.url);
  database = await Database.create({ databaseUrl: testDatabase.url, dataDir: '.', embeddedPostgresPort: 0, databaseRoles: testDatabaseRoles }, createLogger('silent'));
  [nodeA, nodeB] = await Promise.all([startNode(42000), startNode(43000)]);
  const api = apiClient(nodeA.url);
  [therapist, client] = await Promise.all([signUp(api, database.owner, 'therapist'), signUp(api, database.owner, 'client')]);
  appointmentId = await createAppointment(database.owner, { therapistId: therapist.id, clientId: client.id, startsInMinutes: 5 });
  [therapistPage, clientPage] = await Promise.all([browser.newPage(), browser.newPage()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([nodeA?.close(), nodeB?.close()]);
  redisClient?.disconnect();
  await database?.close();
  await testDatabase?.drop();
  await redis?.close();
});

describe('a 1:1 video session across two nodes', { timeout: 60_000 }, () => {
  it('connects a therapist on node A and a client on node B through the waiting room; media flows both ways', async () => {
    const therapistState = await joinCall(therapistPage, nodeA.url, therapist.accessToken, appointmentId, true);
    expect(therapistState).toBe('connected');
    const owner = await redisClient.get(`tf:video:owner:${appointmentId}`);
    expect(owner).toEqual(expect.any(String));

    await clientAdmittedThroughWaitingRoom({ client: clientPage, therapist: therapistPage }, nodeB.url, client, appointmentId);

    await bothReceiving('inbound-rtp bytes on both pages');
    const times = await appointmentTimes(database.owner, appointmentId);
    expect(times.actualStart).toBeInstanceOf(Date);
    expect(times.actualEnd).toBeNull();
    // One session, one owner throughout.
    expect(await redisClient.get(`tf:video:owner:${appointmentId}`)).toBe(owner);
  });

  it('keeps the place of a client whose socket on node B dropped, and takes it back', async () => {
    await clientPage.evaluate(() => (globalThis as any).harness.drop());
    await waitFor(async () => (await events(therapistPage)).some((event) => event.startsWith('peerleft:') && event.includes('"dropped"')), 10_000, 'the therapist told the client dropped');
    await waitFor(async () => (await state(clientPage)) === 'connected' && (await stats(clientPage)).remoteTracks === 2, 30_000, 'the client back in');
    await bothReceiving('media again after the rejoin');
  });

  it('moves the session to node B when its owner, node A, is killed, without a second admission', async () => {
    const ownerA = await redisClient.get(`tf:video:owner:${appointmentId}`);
    const clientEventsBefore = (await events(clientPage)).length;
    await nodeA.kill();
    // The client's media and socket were on A's worker and B: B tells it to rejoin, and B takes the session.
    await waitFor(async () => {
      const ownerB = await redisClient.get(`tf:video:owner:${appointmentId}`);
      return ownerB !== null && ownerB !== ownerA;
    }, 30_000, 'node B owning the session');
    // The therapist's node is gone: their page comes back through node B.
    const therapistState = await joinCall(therapistPage, nodeB.url, therapist.accessToken, appointmentId, true);
    expect(therapistState).toBe('connected');
    await bothReceiving('media through node B');
    // The admission is kept with the appointment: the client never went back to the waiting room.
    const clientEventsAfter = (await events(clientPage)).slice(clientEventsBefore);
    expect(clientEventsAfter).toContain('statechange:"reconnecting"');
    expect(clientEventsAfter).not.toContain('statechange:"waiting"');
    expect((await events(therapistPage)).filter((event) => event === `waiting:${client.id}`)).toHaveLength(1);
  });

  it('records actual_end and frees the session when both leave', async () => {
    await clientPage.evaluate(() => (globalThis as any).harness.leave());
    await therapistPage.evaluate(() => (globalThis as any).harness.leave());
    await waitFor(async () => (await appointmentTimes(database.owner, appointmentId)).actualEnd !== null, 10_000, 'actual_end');
    await waitFor(async () => (await redisClient.get(`tf:video:owner:${appointmentId}`)) === null, 10_000, 'the owner lease released');
  });
});
