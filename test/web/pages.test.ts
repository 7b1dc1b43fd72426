import type { Browser, Page } from 'playwright-core';
import { QueryTypes } from 'sequelize';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, DEMO_PASSWORD, seedDemoData } from '@therapy-field/server';
import { ensureWebAppBuilt } from '../../web/scripts/build-if-stale.js';
import { signUp, TEST_PASSWORD } from '../support/accounts.js';
import { launchChromium } from '../support/browser/chromium.js';
import { networkSwitch } from '../support/browser/network.js';
import { expectAccessible, screenshot, signIn, visible, WebAppPages } from '../support/browser/web-app.js';
import { apiClient } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { countSyncedRows } from '../sync/sync-fixtures.js';

/**
 * Every page of every role on the demo data, in Chromium: each one screenshotted (desktop and, for
 * the client, phone width) and checked with axe-core; the admin's queues; habits and goals offline.
 */
let node: TestPlatform;
let browser: Browser;
const pages = new WebAppPages(() => browser);
const ids: Record<'maria' | 'eleni', string> = { maria: '', eleni: '' };

beforeAll(async () => {
  await ensureWebAppBuilt();
  [node, browser] = await Promise.all([startTestPlatform(), launchChromium()]);
  const sequelize = node.platform.database.owner;
  await seedDemoData({ sequelize, cipher: node.platform.cipher, sync: node.platform.sync.service }, createLogger('silent'));
  for (const name of ['maria', 'eleni'] as const) {
    const [row] = await sequelize.query<{ id: string }>(`SELECT id FROM users WHERE email_normalized LIKE :email`, { type: QueryTypes.SELECT, replacements: { email: `${name}.%@demo.therapyfield.gr` } });
    ids[name] = row!.id;
  }
}, 300_000);
afterEach(() => pages.closeAll());
afterAll(async () => {
  await browser?.close();
  await node?.close();
});

const greek = { email: 'Email', password: 'Κωδικός', submit: 'Σύνδεση' };
const english = { email: 'Email', password: 'Password', submit: 'Sign in' };

/** Opens a page by its address, waits for its heading and `ready` content, keeps a screenshot and runs axe. */
async function visit(page: Page, path: string, name: string, heading: string | RegExp, ready?: (page: Page) => Promise<void>) {
  await page.goto(`${node.url}${path}`);
  await visible(page.getByRole('heading', { level: 1, name: heading }));
  await ready?.(page);
  await screenshot(page, name);
  await expectAccessible(page, name);
}

async function signedIn(locale: 'el-GR' | 'en-GB', email: string, home: string | RegExp, viewport?: { width: number; height: number }) {
  const page = await pages.newPage(locale, viewport);
  await signIn(page, node.url, email, DEMO_PASSWORD, locale === 'el-GR' ? greek : english);
  await visible(page.getByRole('heading', { level: 1, name: home }));
  return page;
}

describe('every page in Chromium, on the demo data', { timeout: 600_000 }, () => {
  it('shows the public pages in both languages, accessible', async () => {
    const page = await pages.newPage('en-GB');
    await visit(page, '/sign-in', 'public-sign-in-en', 'Sign in');
    await visit(page, '/register', 'public-register-en', 'Create an account');
    await visit(page, '/forgot-password', 'public-forgot-password-en', 'Forgot your password');
    const greekPage = await pages.newPage('el-GR');
    await visit(greekPage, '/sign-in', 'public-sign-in-el', 'Σύνδεση');
    await visit(greekPage, '/register', 'public-register-el', 'Δημιουργία λογαριασμού');
  });

  for (const [width, viewport] of [['desktop', undefined], ['phone', { width: 390, height: 844 }]] as const) {
    it(`shows the client every page with real data (Greek, ${width})`, async () => {
      const page = await signedIn('el-GR', 'maria.client@demo.therapyfield.gr', 'Καλώς ήρθατε, Μαρία', viewport);
      const shot = (name: string) => `client-${name}-${width}`;
      await visit(page, '/home', shot('home'), 'Καλώς ήρθατε, Μαρία', (p) => visible(p.getByRole('list', { name: 'Προηγούμενες συνεδρίες' })));
      await visit(page, '/mood', shot('mood'), 'Διάθεση', (p) => visible(p.getByRole('img', { name: /Μέση ημερήσια διάθεση/ })));
      await visit(page, '/journal', shot('journal'), 'Ημερολόγιο', (p) => visible(p.getByText('Τρεις νύχτες χωρίς κινητό πριν τον ύπνο. Κοιμάμαι καλύτερα.')));
      await visit(page, '/habits', shot('habits'), 'Συνήθειες', (p) => visible(p.getByText('Άσκηση αναπνοής 4-7-8')));
      await visit(page, '/goals', shot('goals'), 'Στόχοι', (p) => visible(p.getByText('Να κοιμάμαι 7 ώρες τις καθημερινές')));
      await visit(page, '/find-therapist', shot('find-therapist'), 'Εύρεση θεραπευτή');
      await visit(page, `/find-therapist/${ids.eleni}`, shot('therapist-profile'), /Ελένη Παπαδάκη/);
      await visit(page, '/my-notifications', shot('notifications'), 'Ειδοποιήσεις', (p) => visible(p.getByText('Υπενθύμιση συνεδρίας')));
      await visit(page, '/privacy', shot('privacy'), 'Απόρρητο και λογαριασμός');
    });
  }

  it("shows the therapist every page: schedule, hours, clients (who is online), a client's record, messages", async () => {
    const page = await signedIn('el-GR', 'eleni.therapist@demo.therapyfield.gr', 'Πρόγραμμα');
    await visit(page, '/schedule', 'therapist-schedule', 'Πρόγραμμα');
    await visit(page, '/availability', 'therapist-availability', 'Ώρες διαθεσιμότητας', (p) => visible(p.getByRole('list', { name: 'Εβδομαδιαίο ωράριο' })));
    await visit(page, '/my-clients', 'therapist-clients', 'Πελάτες', (p) => visible(p.getByRole('heading', { name: 'Ποιοι είναι συνδεδεμένοι' })));
    // The shared entries arrive with the therapist's first sync of them: give it time on a loaded machine.
    await visit(page, `/my-clients/${ids.maria}`, 'therapist-client-record', /Μαρία|Maria/, async (p) => {
      await visible(p.getByText('Ψυχοεκπαίδευση, γνωστική αναδόμηση, τεχνικές χαλάρωσης, εκπαίδευση διεκδικητικότητας.'), 60_000);
      await visible(p.getByRole('img', { name: /Μέση ημερήσια διάθεση/ }), 60_000);
      await visible(p.getByText('Η παρουσίαση πήγε καλά. Το άγχος ήταν εκεί αλλά δεν με σταμάτησε.'), 60_000);
    });
    // Maria's private page never reaches her therapist's device.
    expect(await page.getByText('Πρόσεξα ότι όταν κουράζομαι κάνω πιο αρνητικές σκέψεις για τον εαυτό μου.').count()).toBe(0);
    await visit(page, '/inbox', 'therapist-messages', 'Μηνύματα');
    await visit(page, '/my-notifications', 'therapist-notifications', 'Ειδοποιήσεις');
  });

  it('shows the company its aggregates only', async () => {
    const page = await signedIn('el-GR', 'hr@demo.therapyfield.gr', 'Χρήση εταιρείας');
    await visit(page, '/company', 'company-usage', 'Χρήση εταιρείας');
    await expect.poll(() => page.getByText('Μαρία').count()).toBe(0);
  });

  it('lets the admin verify a waiting therapist and approve a review (English)', async () => {
    const page = await signedIn('en-GB', 'admin@demo.therapyfield.gr', 'Review moderation');
    await visit(page, '/verification', 'admin-verification', 'License verification', (p) => visible(p.getByText('ΨΥΧ-ΑΘ-55120')));
    await page.getByRole('button', { name: 'Verify the license of Χριστίνα Αλεξίου' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Χριστίνα Αλεξίου is verified' }));
    await visible(page.getByText('No therapist is waiting.'));
    const [profile] = await node.platform.database.owner.query<{ is_verified: boolean }>(
      `SELECT tp.is_verified FROM therapist_profiles tp JOIN users u ON u.id = tp.user_id WHERE u.email_normalized = 'christina.therapist@demo.therapyfield.gr'`,
      { type: QueryTypes.SELECT },
    );
    expect(profile!.is_verified).toBe(true);

    await visit(page, '/moderation', 'admin-moderation', 'Review moderation', (p) => visible(p.getByText('Κάθε συνεδρία μού δίνει κάτι χρήσιμο για την εβδομάδα.')));
    await page.getByRole('button', { name: /^Approve the review of / }).first().click();
    await visible(page.getByRole('status').filter({ hasText: 'The review is published.' }));
    const [reviews] = await node.platform.database.owner.query<{ pending: string }>(`SELECT count(*) FILTER (WHERE status = 'pending') AS pending FROM reviews`, { type: QueryTypes.SELECT });
    expect(Number(reviews!.pending)).toBe(1);
    await screenshot(page, 'admin-moderation-approved');
  });

  it('keeps a habit, its log and a goal made offline across an offline reload, then syncs each once', async () => {
    const user = await signUp(apiClient(node.url), node.platform.database.owner, 'client', { language: 'en' });
    const page = await pages.newPage('en-GB');
    const network = await networkSwitch(page.context());
    await signIn(page, node.url, user.email, TEST_PASSWORD, english);
    await visible(page.getByRole('heading', { name: 'Welcome, Μαρία' }));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Habits' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Habits' }));
    await visible(page.getByRole('status').filter({ hasText: 'Online' }));

    await network.setOffline(true);
    await page.getByLabel('Name').fill('Evening walk');
    await page.getByRole('button', { name: 'Add habit' }).click();
    const habit = page.getByRole('listitem').filter({ hasText: 'Evening walk' });
    await visible(habit.getByText('Pending'));
    await habit.getByRole('button', { name: 'Done: Evening walk' }).click();
    await visible(habit.getByText('Today: 1 of 1'));
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Goals' }).click();
    await page.getByLabel('Goal', { exact: true }).fill('Sleep before midnight');
    await page.getByRole('button', { name: 'Add goal' }).click();
    const goal = page.getByRole('listitem').filter({ hasText: 'Sleep before midnight' });
    await visible(goal.getByText('Pending'));
    await goal.getByRole('button', { name: '+10%: Sleep before midnight' }).click();
    await visible(goal.getByText('Progress: 10%'));
    await visible(page.getByRole('status').filter({ hasText: '3 changes waiting to sync' }));

    await page.reload();
    await visible(goal.getByText('Pending'));
    await visible(goal.getByText('Progress: 10%'));
    await visible(page.getByRole('status').filter({ hasText: 'Offline' }));
    await screenshot(page, 'client-goals-offline');
    for (const table of ['habit_definitions', 'habit_logs', 'goals']) expect(await countSyncedRows(node.platform.database.owner, table, user.id)).toEqual({ rows: 0, ids: 0 });

    await network.setOffline(false);
    await visible(goal.getByText('Synced'), 30_000);
    await visible(page.getByRole('status').filter({ hasText: 'Everything synced' }));
    for (const table of ['habit_definitions', 'habit_logs', 'goals']) expect(await countSyncedRows(node.platform.database.owner, table, user.id)).toEqual({ rows: 1, ids: 1 });
    const [stored] = await node.platform.database.owner.query<{ current_progress: string }>(`SELECT current_progress FROM goals WHERE user_id = :id`, { type: QueryTypes.SELECT, replacements: { id: user.id } });
    expect(Number(stored!.current_progress)).toBe(10);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Habits' }).click();
    await visible(page.getByRole('listitem').filter({ hasText: 'Evening walk' }).getByText('Synced'));
    await screenshot(page, 'client-habits-synced');
  });
});
