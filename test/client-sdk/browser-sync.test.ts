import type { Browser, BrowserContext, Page } from 'playwright-core';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, TEST_PASSWORD } from '../support/accounts.js';
import { bundlePageScript, harnessLoaded, launchChromium, routeTestPage } from '../support/browser/chromium.js';
import { networkSwitch, type NetworkSwitch } from '../support/browser/network.js';
import { apiClient } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { waitFor } from '../support/wait.js';
import { countSyncedRows, journalEntry, moodEntry } from '../sync/sync-fixtures.js';
import type { BrowserSyncHarness, PageSyncState } from './browser-sync-page.js';
import { Devices } from './devices.js';

/**
 * The SDK inside headless Chromium on RxDB's Dexie storage (the browser's real IndexedDB): the
 * page is served on the platform's own origin, http://127.0.0.1 (a secure context), and goes
 * offline with Playwright's network emulation.
 */
const PAGE_PATH = '/browser-sync-test';
let node: TestPlatform;
let browser: Browser;
let context: BrowserContext;
let network: NetworkSwitch;
const devices = new Devices();

type Harness = { harness: BrowserSyncHarness };
const pageState = (page: Page): Promise<PageSyncState> => page.evaluate(() => (globalThis as unknown as Harness).harness.state());
const pageCount = (page: Page, collection: 'mood_entries' | 'journal_entries') =>
  page.evaluate((name) => (globalThis as unknown as Harness).harness.count(name), collection);
const openHarness = (page: Page, url: string) => page.evaluate((base) => (globalThis as unknown as Harness).harness.open(base), url);

beforeAll(async () => {
  let script: string;
  [node, browser, script] = await Promise.all([startTestPlatform(), launchChromium(), bundlePageScript(new URL('./browser-sync-page.ts', import.meta.url))]);
  context = await browser.newContext();
  network = await networkSwitch(context);
  await routeTestPage(context, node.url, PAGE_PATH, script);
});
afterAll(async () => {
  await devices.closeAll();
  await context?.close();
  await browser?.close();
  await node?.close();
});

// Each step waits with bounds of up to 20 s; under a loaded run the whole scenario needs room.
describe('offline-first sync in a real browser (Chromium, IndexedDB)', { timeout: 90_000 }, () => {
  it('keeps entries logged offline across a reload, pushes each once when back online, and a second device gets them', async () => {
    const sequelize = node.platform.database.owner;
    const user = await signUp(apiClient(node.url), sequelize);
    const page = await context.newPage();
    await page.goto(`${node.url}${PAGE_PATH}`);
    await harnessLoaded(page);
    await openHarness(page, node.url);
    await page.evaluate(([email, password]) => (globalThis as unknown as Harness).harness.login(email, password), [user.email, TEST_PASSWORD] as const);
    await page.evaluate(() => (globalThis as unknown as Harness).harness.startSync());
    await waitFor(async () => (await pageState(page)).online, 10_000, 'the page online');

    await network.setOffline(true);
    const moods = Array.from({ length: 5 }, (_, index) => moodEntry({ moodScore: index + 3, notes: `offline mood ${index}` }));
    const journal = journalEntry({ content: 'Γράφτηκε χωρίς δίκτυο: άγχος πριν τη συνεδρία.' });
    await page.evaluate((entries) => (globalThis as unknown as Harness).harness.logMoods(entries), moods);
    await page.evaluate((entry) => (globalThis as unknown as Harness).harness.logJournalEntry(entry), journal);
    await waitFor(async () => {
      const state = await pageState(page);
      return !state.online && state.errors > 0 && state.pendingPushes === 6;
    }, 20_000, 'the page offline with 6 pending pushes after a failed push');
    expect(await countSyncedRows(sequelize, 'mood_entries', user.id)).toEqual({ rows: 0, ids: 0 });
    expect(await countSyncedRows(sequelize, 'journal_entries', user.id)).toEqual({ rows: 0, ids: 0 });

    // The app restarts without a network: the entries and what is pending come from IndexedDB.
    await page.reload();
    await harnessLoaded(page);
    await openHarness(page, node.url);
    expect(await pageCount(page, 'mood_entries')).toBe(5);
    expect(await pageCount(page, 'journal_entries')).toBe(1);
    await page.evaluate(() => (globalThis as unknown as Harness).harness.startSync());
    await waitFor(async () => {
      const state = await pageState(page);
      return state.running && !state.online && state.errors > 0 && state.pendingPushes === 6;
    }, 20_000, '6 pending pushes after the offline restart');
    expect(await countSyncedRows(sequelize, 'mood_entries', user.id)).toEqual({ rows: 0, ids: 0 });

    await network.setOffline(false);
    await waitFor(async () => {
      const state = await pageState(page);
      return state.online && state.pendingPushes === 0;
    }, 20_000, 'the page online with nothing pending');
    expect(await countSyncedRows(sequelize, 'mood_entries', user.id)).toEqual({ rows: 5, ids: 5 });
    expect(await countSyncedRows(sequelize, 'journal_entries', user.id)).toEqual({ rows: 1, ids: 1 });
    const stored = await sequelize.query<{ id: string; mood_score: number }>('SELECT id, mood_score FROM mood_entries WHERE user_id = :userId ORDER BY mood_score', {
      type: QueryTypes.SELECT,
      replacements: { userId: user.id },
    });
    expect(stored).toEqual(moods.map((mood) => ({ id: mood.id, mood_score: mood.moodScore })));
    const [raw] = await sequelize.query<{ id: string; key_id: string; plaintext_found: boolean; bytes: number }>(
      `SELECT id, encryption_key_id AS key_id, position(convert_to(:content, 'UTF8') IN content) > 0 AS plaintext_found, length(content) AS bytes
       FROM journal_entries WHERE user_id = :userId`,
      { type: QueryTypes.SELECT, replacements: { userId: user.id, content: journal.content } },
    );
    expect(raw).toMatchObject({ id: journal.id, key_id: 'test1', plaintext_found: false });
    expect(raw!.bytes).toBeGreaterThan(0);

    const laptop = await devices.signedIn(node.url, user.email, ['mood_entries', 'journal_entries']);
    laptop.sync.start();
    await waitFor(
      async () => (await laptop.db.mood_entries.count().exec()) === 5 && (await laptop.db.journal_entries.count().exec()) === 1,
      20_000,
      'the second device has every entry',
    );
    const laptopMoods = (await laptop.db.mood_entries.find().exec()).map((doc) => ({ id: doc.id, notes: doc.notes })).sort((a, b) => a.notes!.localeCompare(b.notes!));
    expect(laptopMoods).toEqual(moods.map((mood) => ({ id: mood.id, notes: mood.notes })));
    expect((await laptop.db.journal_entries.findOne(journal.id).exec())?.content).toBe(journal.content);
    await page.close();
  });
});
