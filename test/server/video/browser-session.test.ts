import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../support/accounts.js';
import { appointmentTimes, createAppointment } from '../../support/appointments.js';
import { apiClient } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { launchVideoBrowser, type VideoBrowser } from '../../support/video/browser.js';
import { allReceiving, clientAdmittedThroughWaitingRoom, events, joinCall, state, stats } from '../../support/video/harness.js';
import { waitFor } from '../../support/wait.js';

/**
 * A therapist and a client in two headless Chromium pages, through the real mediasoup worker:
 * one browser for the whole file, the same two pages throughout.
 */
let node: TestPlatform;
let browser: VideoBrowser;
let therapistPage: Page;
let clientPage: Page;
let appointmentId: string;
let therapist: Awaited<ReturnType<typeof signUp>>;
let client: Awaited<ReturnType<typeof signUp>>;

const bothReceiving = (what: string, bytes?: number, timeoutMs?: number) => allReceiving([therapistPage, clientPage], what, bytes, timeoutMs);

beforeAll(async () => {
  [node, browser] = await Promise.all([
    startTestPlatform({ VIDEO_WORKERS: '2', VIDEO_LISTEN_IP: '127.0.0.1', VIDEO_REJOIN_GRACE_SECONDS: '30' }),
    launchVideoBrowser(),
  ]);
  const api = apiClient(node.url);
  const sequelize = node.platform.database.owner;
  [therapist, client] = await Promise.all([signUp(api, sequelize, 'therapist'), signUp(api, sequelize, 'client')]);
  appointmentId = await createAppointment(sequelize, { therapistId: therapist.id, clientId: client.id, startsInMinutes: 5 });
  [therapistPage, clientPage] = await Promise.all([browser.newPage(), browser.newPage()]);
});
afterAll(async () => {
  await browser?.close();
  await node?.close();
});

// Each step waits for media with bounds of up to 40 s; under a loaded full run that needs room.
describe('a 1:1 video session in headless Chromium', { timeout: 60_000 }, () => {
  it('connects therapist and client through the waiting room; media flows both ways; actual_start is recorded', async () => {
    const therapistState = await joinCall(therapistPage, node.url, therapist.accessToken, appointmentId, true);
    expect(therapistState).toBe('connected');
    await clientAdmittedThroughWaitingRoom({ client: clientPage, therapist: therapistPage }, node.url, client, appointmentId);

    await bothReceiving('inbound-rtp bytes on both pages');
    const times = await appointmentTimes(node.platform.database.owner, appointmentId);
    expect(times.actualStart).toBeInstanceOf(Date);
    expect(times.actualEnd).toBeNull();
  });

  it('reports connection quality and shows the other side a mute', async () => {
    await waitFor(async () => (await events(clientPage)).some((event) => event.startsWith('quality:{"level":"good"')), 10_000, 'a good quality report');
    await clientPage.evaluate(() => (globalThis as any).harness.mute('video'));
    await waitFor(async () => (await events(therapistPage)).includes('remotemute:{"kind":"video","muted":true}'), 10_000, 'the therapist sees the camera off');
    await clientPage.evaluate(() => (globalThis as any).harness.unmute('video'));
    await waitFor(async () => (await events(therapistPage)).includes('remotemute:{"kind":"video","muted":false}'), 10_000, 'the camera back on');
  });

  it('lets a dropped peer rejoin the same session within the grace period', async () => {
    const startedAt = (await appointmentTimes(node.platform.database.owner, appointmentId)).actualStart;
    await clientPage.evaluate(() => (globalThis as any).harness.drop());
    await waitFor(async () => (await events(therapistPage)).some((event) => event.startsWith('peerleft:') && event.includes('"dropped"')), 10_000, 'the therapist told the client dropped');
    await waitFor(async () => (await state(clientPage)) === 'connected' && (await stats(clientPage)).remoteTracks === 2, 30_000, 'the client back in');
    await bothReceiving('media again after the rejoin');
    // Same session: the start is not moved and no end was recorded.
    expect(await appointmentTimes(node.platform.database.owner, appointmentId)).toEqual({ actualStart: startedAt, actualEnd: null });
  });

  it('moves both peers to a live worker when theirs is killed', async () => {
    const pid = node.platform.video.workerPidOf(appointmentId);
    expect(pid).toEqual(expect.any(Number));
    process.kill(pid!, 'SIGKILL');
    await waitFor(() => {
      const now = node.platform.video.workerPidOf(appointmentId);
      return now !== undefined && now !== pid;
    }, 20_000, 'the session on another worker');
    await bothReceiving('media again after the failover', 50_000, 40_000);
    expect(await state(therapistPage)).toBe('connected');
    expect(await state(clientPage)).toBe('connected');
  });

  it('records actual_end when both leave, and both parties get the appointment change', async () => {
    await clientPage.evaluate(() => (globalThis as any).harness.leave());
    await therapistPage.evaluate(() => (globalThis as any).harness.leave());
    const sequelize = node.platform.database.owner;
    await waitFor(async () => (await appointmentTimes(sequelize, appointmentId)).actualEnd !== null, 10_000, 'actual_end');
    const { actualStart, actualEnd } = await appointmentTimes(sequelize, appointmentId);
    expect(actualEnd!.getTime()).toBeGreaterThanOrEqual(actualStart!.getTime());

    // The change log carries the row to both dashboards (delivered live by the hub).
    await node.platform.changes.sequenceNow();
    for (const party of [therapist, client]) {
      const { changes } = await node.platform.changes.changesSince(party.id, 0);
      expect(changes.filter((change) => change.collection === 'appointments' && change.recordId === appointmentId).length).toBeGreaterThanOrEqual(3);
    }
  });
});
