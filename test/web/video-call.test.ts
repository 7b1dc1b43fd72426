import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebAppBuilt } from '../../web/scripts/build-if-stale.js';
import { signUp, TEST_PASSWORD } from '../support/accounts.js';
import { createAppointment } from '../support/appointments.js';
import { launchChromium } from '../support/browser/chromium.js';
import { apiClient } from '../support/http.js';
import { requireMediasoupWorker } from '../support/prerequisites.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { waitFor } from '../support/wait.js';

/**
 * The web app's video call in Debian's Chromium with fake camera and microphone: a therapist and a
 * client in two browser contexts, each signed in through the app, meet through the waiting room
 * over the real mediasoup worker.
 */
const ARTIFACTS = new URL('../../test-artifacts/web/', import.meta.url);
let node: TestPlatform;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requireMediasoupWorker();
  mkdirSync(ARTIFACTS, { recursive: true });
  await ensureWebAppBuilt();
  [node, browser] = await Promise.all([
    startTestPlatform({ VIDEO_WORKERS: '1', VIDEO_LISTEN_IP: '127.0.0.1' }),
    launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required']),
  ]);
}, 600_000);
afterAll(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  await browser?.close();
  await node?.close();
});

async function newPage(locale: 'en-GB' | 'el-GR'): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1200, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.stack));
  return page;
}

const screenshot = (page: Page, name: string) => page.screenshot({ path: new URL(`${name}.png`, ARTIFACTS).pathname, fullPage: true });

async function visible(locator: Locator, timeout = 30_000): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch (error) {
    await screenshot(locator.page(), `video-failed-${Date.now()}`);
    throw error;
  }
}

async function signIn(page: Page, email: string, labels: { password: string; submit: string }) {
  await page.goto(`${node.url}/`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(labels.password).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: labels.submit }).click();
}

/** Frames decoded by the page's video of the other party (a black or frozen track decodes none). */
const remoteFramesDecoded = (page: Page, label: string) =>
  page.getByRole('figure').filter({ has: page.getByLabel(label, { exact: true }) }).locator('video').evaluate((video: HTMLVideoElement) => video.getVideoPlaybackQuality().totalVideoFrames);

describe('a video call in the web app', { timeout: 240_000 }, () => {
  it('the client waits, the therapist admits, both see each other, mute and camera toggle, both leave', async () => {
    const api = apiClient(node.url);
    const sequelize = node.platform.database.owner;
    const [therapist, client] = await Promise.all([signUp(api, sequelize, 'therapist', { language: 'el' }), signUp(api, sequelize, 'client', { language: 'en' })]);
    await createAppointment(sequelize, { therapistId: therapist.id, clientId: client.id, startsInMinutes: 5 });
    const [therapistPage, clientPage] = await Promise.all([newPage('el-GR'), newPage('en-GB')]);

    // The client joins from the appointment on their home page, inside its window.
    await signIn(clientPage, client.email, { password: 'Password', submit: 'Sign in' });
    await clientPage.getByRole('link', { name: 'Join the video call' }).first().click({ timeout: 60_000 });
    await visible(clientPage.getByRole('heading', { name: 'Camera and microphone check' }));
    await waitFor(async () => (await clientPage.getByLabel('Camera', { exact: true }).locator('option').count()) > 0, 20_000, 'the cameras listed');
    await waitFor(() => clientPage.getByLabel('Your camera').evaluate((video: HTMLVideoElement) => video.videoWidth > 0), 20_000, 'the camera preview');
    await screenshot(clientPage, 'video-client-device-check');
    await clientPage.getByRole('button', { name: 'Join the session' }).click();
    await visible(clientPage.getByRole('heading', { name: 'Waiting room' }));
    await screenshot(clientPage, 'video-client-waiting-room');

    // The therapist starts the session from the schedule and admits the client from the waiting room.
    await signIn(therapistPage, therapist.email, { password: 'Κωδικός', submit: 'Σύνδεση' });
    await therapistPage.getByRole('link', { name: 'Έναρξη βιντεοκλήσης' }).first().click({ timeout: 60_000 });
    await visible(therapistPage.getByRole('heading', { name: 'Έλεγχος κάμερας και μικροφώνου' }));
    await therapistPage.getByRole('button', { name: 'Έναρξη συνεδρίας' }).click();
    await visible(therapistPage.getByRole('heading', { name: 'Στην αίθουσα αναμονής' }));
    await therapistPage.getByRole('button', { name: /^Αποδοχή/ }).click({ timeout: 30_000 });

    // Media both ways: each page's video of the other party decodes frames, and keeps doing so.
    await visible(clientPage.getByRole('status').filter({ hasText: 'Connected' }), 90_000);
    await visible(therapistPage.getByRole('status').filter({ hasText: 'Συνδεδεμένοι' }), 90_000);
    await waitFor(async () => (await remoteFramesDecoded(clientPage, 'The other party')) > 10, 40_000, "the client decodes the therapist's video");
    await waitFor(async () => (await remoteFramesDecoded(therapistPage, 'Ο συνομιλητής σας')) > 10, 40_000, "the therapist decodes the client's video");
    const before = await remoteFramesDecoded(therapistPage, 'Ο συνομιλητής σας');
    await waitFor(async () => (await remoteFramesDecoded(therapistPage, 'Ο συνομιλητής σας')) > before + 10, 20_000, 'frames keep arriving');
    await screenshot(clientPage, 'video-client-in-call');
    await screenshot(therapistPage, 'video-therapist-in-call');

    // The client turns the camera off: the therapist is told; on again.
    await clientPage.getByRole('button', { name: 'Turn camera off' }).click();
    await visible(clientPage.getByRole('button', { name: 'Turn camera on' }));
    await visible(therapistPage.getByText('Η κάμερα του συνομιλητή είναι κλειστή'));
    await screenshot(therapistPage, 'video-therapist-client-camera-off');
    await clientPage.getByRole('button', { name: 'Turn camera on' }).click();
    await therapistPage.getByText('Η κάμερα του συνομιλητή είναι κλειστή').waitFor({ state: 'hidden', timeout: 20_000 });
    await clientPage.getByRole('button', { name: 'Mute microphone' }).click();
    await visible(clientPage.getByRole('button', { name: 'Unmute microphone' }));

    await clientPage.getByRole('button', { name: 'Leave' }).click();
    await visible(clientPage.getByText('The session has ended.'));
    await therapistPage.getByRole('button', { name: 'Αποχώρηση' }).click();
    await visible(therapistPage.getByText('Η συνεδρία τελείωσε.'));
    expect(await clientPage.evaluate(() => document.querySelectorAll('video').length)).toBe(0);
  });
});
