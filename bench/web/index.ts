import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { QueryTypes } from 'sequelize';
import { AppError, createOnlineClient, type OnlineClient, type Session } from '@therapy-field/client-sdk';
import { createLogger, EmbeddedPostgresServer, loadConfig, Platform } from '@therapy-field/server';
import { launchChromium } from '../../test/support/browser/chromium.js';
import { freePort } from '../../test/support/free-port.js';
import { ensureWebAppBuilt } from '../../web/scripts/build-if-stale.js';
import { measureFirstLoadJs } from '../../web/scripts/first-load.js';
import { benchRolePasswords } from '../role-passwords.js';

const BOOKINGS = 50;
/** The budgets, reported beside what was measured. */
const BUDGET = { firstLoadJsGzipBytes: 200 * 1024, liveUpdateP95Ms: 300 };

/**
 * The web app in Chromium against a fresh platform: the first load (cold cache) of the client's
 * home and of the therapist's dashboard (JavaScript bytes, gzipped, and the time until the page's
 * heading is there and the main thread idle), then 50 bookings made through the SDK, each timed
 * from the booking's commit (the API's answer) and from its request to the moment the dashboard's
 * DOM shows it. The baseline beside it: the same bookings' `change` event reaching a Node SDK
 * client of the therapist (the server's part of the path, without the browser's pull and render).
 */
export default async function run() {
  const loadBefore = loadavg();
  await ensureWebAppBuilt();
  // The budget's measure: the entry HTML's scripts and their static imports, from the build.
  const entry = measureFirstLoadJs();
  const logger = createLogger('silent');
  const root = await mkdtemp(join(tmpdir(), 'tf-bench-web-'));
  await chmod(root, 0o755);
  const server = await EmbeddedPostgresServer.create({ dataDir: join(root, 'data'), port: await freePort(), logger });
  let platform: Platform | undefined;
  let browser: Browser | undefined;
  const sdkClients: OnlineClient[] = [];
  try {
    await server.createDatabaseIfMissing('bench');
    platform = await Platform.create(
      loadConfig({
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: server.url('bench'),
        JWT_SECRET: randomBytes(32).toString('hex'),
        ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
        LOG_LEVEL: 'silent',
        ...benchRolePasswords(),
      }),
      logger,
    );
    const url = await platform.listen();
    const query = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) =>
      platform!.database.owner.query<T>(sql, { type: QueryTypes.SELECT, replacements });
    const account = async (role: 'client' | 'therapist') => {
      const email = `${role}.${randomBytes(6).toString('hex')}@bench.gr`;
      const [user] = await query<{ id: string }>(
        `INSERT INTO users (email, email_normalized, password_hash, role, status, email_verified) VALUES (:email, :email, 'x', :role, 'active', TRUE) RETURNING id`,
        { email, role },
      );
      await query(`INSERT INTO user_profiles (user_id, first_name, last_name) VALUES (:id, 'Bench', 'User') RETURNING user_id`, { id: user!.id });
      if (role === 'client') await query(`INSERT INTO client_profiles (user_id) VALUES (:id) RETURNING user_id`, { id: user!.id });
      // The page resumes this session as it would a saved one; no refresh happens within the run.
      const session: Session = { userId: user!.id, role, accessToken: await platform!.auth.tokens.signAccessToken({ id: user!.id, role }), refreshToken: 'unused' };
      return session;
    };
    /** An SDK client (no local database) signed in as `session`. */
    const sdk = (session: Session, realtime = false) => {
      const client = createOnlineClient({ url, realtime });
      client.auth.resume(session);
      sdkClients.push(client);
      return client;
    };

    const therapist = await account('therapist');
    await query(
      `INSERT INTO therapist_profiles (user_id, license_number, is_verified, min_notice_minutes, buffer_minutes, booking_horizon_days)
       VALUES (:id, :license, TRUE, 0, 0, 730) RETURNING user_id`,
      { id: therapist.userId, license: `BENCH-${randomBytes(4).toString('hex')}` },
    );
    for (let day = 0; day < 7; day += 1) {
      await query(`INSERT INTO availability_templates (therapist_id, day_of_week, start_time, end_time) VALUES (:id, :day, '00:00', '23:59') RETURNING id`, { id: therapist.userId, day });
    }
    const [type] = await query<{ id: string }>(`INSERT INTO appointment_types (name, duration_minutes) VALUES ('Bench', 50) RETURNING id`);
    const clients = [];
    for (let index = 0; index < BOOKINGS; index += 1) clients.push(await account('client'));
    // Within the dashboard's coming week: it lists requests from now on.
    const from = new Date(Date.now() + 86_400_000).toISOString();
    const to = new Date(Date.now() + 6 * 86_400_000).toISOString();
    const slots = (await sdk(clients[0]!).api.slots(therapist.userId, { from, to, type: type!.id })).slots.map((slot) => slot.start);
    // The baseline's listener: the therapist's own SDK client, live events only.
    const therapistSdk = sdk(therapist, true);
    const changeSeen: Record<string, number> = {};
    therapistSdk.on('change', (change) => {
      if (change.collection === 'appointments') changeSeen[change.recordId] ??= Date.now();
    });
    const connected = new Promise<void>((resolve) => therapistSdk.on('connected', () => resolve()));
    therapistSdk.live.connect();
    await connected;

    browser = await launchChromium();
    const clientLoad = await firstLoad(browser, url, clients[0]!, '/home');
    const { page: dashboard, ...dashboardLoad } = await firstLoad(browser, url, therapist, '/schedule', true);

    // Every <time dateTime> the dashboard adds, by its instant (the page writes UTC, the API answers
    // in the therapist's zone), with the wall clock when it appeared.
    await dashboard!.evaluate(() => {
      const seen: Record<number, number> = {};
      (window as unknown as { seen: Record<number, number> }).seen = seen;
      new MutationObserver(() => {
        for (const element of document.querySelectorAll('time[datetime]')) seen[Date.parse(element.getAttribute('datetime')!)] ??= Date.now();
      }).observe(document.body, { childList: true, subtree: true });
    });
    const fromCommit: number[] = [];
    const fromRequest: number[] = [];
    const baselineFromCommit: number[] = [];
    const failures = { refused: 0, serverErrors: 0, requestErrors: 0, notShown: 0 };
    for (let index = 0; index < BOOKINGS; index += 1) {
      const start = slots[index * 2]!;
      const sent = Date.now();
      const booked = await sdk(clients[index]!)
        .api.appointments.book({ therapistId: therapist.userId, appointmentTypeId: type!.id, start, isOnline: true })
        .catch((error: unknown) => error as Error);
      const committed = Date.now();
      if (booked instanceof AppError) failures[booked.status >= 500 ? 'serverErrors' : 'refused'] += 1;
      else if (booked instanceof Error) failures.requestErrors += 1;
      if (booked instanceof Error) continue;
      const shownAt = await dashboard!
        .waitForFunction((instant) => (window as unknown as { seen: Record<number, number> }).seen[instant], Date.parse(booked.scheduledStart), { timeout: 10_000, polling: 5 })
        .then((handle) => handle.jsonValue() as Promise<number>)
        .catch(() => null);
      if (changeSeen[booked.id] !== undefined) baselineFromCommit.push(Math.max(0, changeSeen[booked.id]! - committed));
      if (shownAt === null) {
        failures.notShown += 1;
        continue;
      }
      fromCommit.push(Math.max(0, shownAt - committed));
      fromRequest.push(shownAt - sent);
    }

    return {
      budget: BUDGET,
      machineLoad: { before: loadBefore, after: loadavg() },
      // One entry HTML serves every role: the client app's and the dashboard's first load alike.
      firstLoadJsFromBuild: { files: entry.files.length, bytes: entry.bytes, gzipBytes: entry.gzipBytes },
      // Everything the page fetched until interactive: the first load plus its route's lazy chunks.
      clientFirstLoad: clientLoad.metrics,
      dashboardFirstLoad: dashboardLoad.metrics,
      liveUpdate: {
        bookings: BOOKINGS,
        shown: fromCommit.length,
        commitToDomP50Ms: percentile(fromCommit, 50),
        commitToDomP95Ms: percentile(fromCommit, 95),
        requestToDomP50Ms: percentile(fromRequest, 50),
        requestToDomP95Ms: percentile(fromRequest, 95),
        ...failures,
      },
      baselineLiveEventInNode: {
        received: baselineFromCommit.length,
        commitToEventP50Ms: percentile(baselineFromCommit, 50),
        commitToEventP95Ms: percentile(baselineFromCommit, 95),
      },
      withinBudget: {
        firstLoadJs: entry.gzipBytes < BUDGET.firstLoadJsGzipBytes,
        liveUpdateP95: fromCommit.length === BOOKINGS && percentile(fromCommit, 95) < BUDGET.liveUpdateP95Ms,
      },
    };
  } finally {
    await Promise.all(sdkClients.map((client) => client.close()));
    await browser?.close();
    await platform?.close();
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * A cold load of `path` by a signed-in user (session saved as the app saves it): the JavaScript the
 * page fetched, gzipped as a server would send it, and the time from navigation until the heading
 * is shown and the main thread has an idle moment (time to interactive, as close as a page can say).
 */
async function firstLoad(browser: Browser, url: string, session: object, path: string, keep = false): Promise<{ metrics: { jsFiles: number; jsBytes: number; jsGzipBytes: number; timeToInteractiveMs: number }; page?: Page }> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.addInitScript((saved) => localStorage.setItem('tf.session', saved), JSON.stringify(session));
  const page = await context.newPage();
  const scripts: Array<Promise<Buffer>> = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script' || response.url().endsWith('.js')) scripts.push(response.body().catch(() => Buffer.alloc(0)));
  });
  const started = Date.now();
  await page.goto(`${url}${path}`);
  await page.getByRole('heading', { level: 1 }).first().waitFor({ state: 'visible', timeout: 30_000 });
  await page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => resolve())));
  const timeToInteractiveMs = Date.now() - started;
  const bodies = await Promise.all(scripts);
  const metrics = {
    jsFiles: bodies.length,
    jsBytes: bodies.reduce((sum, body) => sum + body.length, 0),
    jsGzipBytes: bodies.reduce((sum, body) => sum + gzipSync(body).length, 0),
    timeToInteractiveMs,
  };
  if (!keep) await context.close();
  return keep ? { metrics, page } : { metrics };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0) * 10) / 10;
}
