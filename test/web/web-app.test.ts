import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebAppBuilt } from '../../web/scripts/build-if-stale.js';
import { signUp, TEST_PASSWORD } from '../support/accounts.js';
import { launchChromium } from '../support/browser/chromium.js';
import { networkSwitch } from '../support/browser/network.js';
import { screenshot, signIn as signInAs, visible, WebAppPages } from '../support/browser/web-app.js';
import { apiClient } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { createAccounts, createAppointmentType, createListedTherapist, everyDay } from '../support/scheduling.js';
import { waitFor } from '../support/wait.js';
import { runAsSystem } from '@therapy-field/server';
import { countSyncedRows } from '../sync/sync-fixtures.js';

/**
 * The built web app, served by a real node on its own origin (http://127.0.0.1, a secure context),
 * driven in Debian's Chromium the way a person uses it: by role and label.
 */
let node: TestPlatform;
let browser: Browser;
const pages = new WebAppPages(() => browser);

beforeAll(async () => {
  await ensureWebAppBuilt(); // before the node starts: it serves what web/dist holds then
  [node, browser] = await Promise.all([startTestPlatform(), launchChromium()]);
}, 300_000);
afterEach(() => pages.closeAll());
afterAll(async () => {
  await browser?.close();
  await node?.close();
});

const newPage = (locale: 'en-GB' | 'el-GR', viewport?: { width: number; height: number }) => pages.newPage(locale, viewport);
const signIn = (page: Page, email: string, labels: { email: string; password: string; submit: string }) => signInAs(page, node.url, email, TEST_PASSWORD, labels);

describe('the web app in Chromium', { timeout: 180_000 }, () => {
  it('is served at / beside the API: pages for browsers, JSON for API callers, docs and probes untouched', async () => {
    const html = await fetch(`${node.url}/`);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('<div id="root">');
    const link = await fetch(`${node.url}/verify-email?token=abc`, { headers: { accept: 'text/html' } });
    expect(link.status).toBe(200);
    expect(link.headers.get('content-type')).toContain('text/html');
    const apiMiss = await fetch(`${node.url}/verify-email`, { headers: { accept: 'application/json' } });
    expect(apiMiss.status).toBe(404);
    expect((await apiMiss.json()).error.code).toBe('NOT_FOUND');
    expect((await fetch(`${node.url}/health`)).status).toBe(200);
    expect((await fetch(`${node.url}/api/v1/openapi.json`, { headers: { accept: 'text/html' } })).headers.get('content-type')).toContain('application/json');
    expect(await (await fetch(`${node.url}/api/v1/docs`, { headers: { accept: 'text/html' } })).text()).not.toContain('<div id="root">');
    expect((await fetch(`${node.url}/api/v1/therapists`, { headers: { accept: 'text/html' } })).headers.get('content-type')).toContain('application/json');
    // Under /api nothing is the web app's, not even a browser navigation that no route answers.
    const apiNavigationMiss = await fetch(`${node.url}/api/v1/no-such-page`, { headers: { accept: 'text/html' } });
    expect(apiNavigationMiss.status).toBe(404);
    expect((await apiNavigationMiss.json()).error.code).toBe('NOT_FOUND');
    // The API's old unprefixed paths are the web app's now: a page for a browser, never JSON data.
    for (const oldPath of ['/therapists', '/me', '/openapi.json', '/docs']) {
      const page = await fetch(`${node.url}${oldPath}`, { headers: { accept: 'text/html' } });
      expect(page.headers.get('content-type'), oldPath).toContain('text/html');
      expect(await page.text()).toContain('<div id="root">');
    }
  });

  it('logs a mood offline, keeps it pending across an offline reload, and syncs it once when back online', async () => {
    const user = await signUp(apiClient(node.url), node.platform.database.owner, 'client', { language: 'en' });
    const page = await newPage('en-GB');
    const network = await networkSwitch(page.context());
    await signIn(page, user.email, { email: 'Email', password: 'Password', submit: 'Sign in' });
    await visible(page.getByRole('heading', { name: 'Welcome, Μαρία' }));
    // The service worker has the app shell before the network goes away.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Mood' }).click();
    await visible(page.getByRole('heading', { name: 'How are you feeling?' }));
    await visible(page.getByRole('status').filter({ hasText: 'Online' }));

    await network.setOffline(true);
    const note = `Offline evening walk ${Date.now()}`;
    await page.getByRole('slider', { name: 'Mood' }).fill('8');
    await page.getByRole('checkbox', { name: 'Calm' }).check();
    await page.getByLabel('Note (optional)').fill(note);
    await page.getByRole('button', { name: 'Log mood' }).click();
    const entry = page.getByRole('listitem').filter({ hasText: note });
    await visible(entry.getByText('Pending'));
    await visible(page.getByRole('status').filter({ hasText: '1 change waiting to sync' }));

    await page.reload();
    await visible(page.getByRole('heading', { name: 'How are you feeling?' }));
    await visible(entry.getByText('Pending'));
    await visible(page.getByRole('status').filter({ hasText: 'Offline' }));
    expect(await countSyncedRows(node.platform.database.owner, 'mood_entries', user.id)).toEqual({ rows: 0, ids: 0 });
    await screenshot(page, 'client-mood-offline');

    await network.setOffline(false);
    await visible(entry.getByText('Synced'), 30_000);
    await visible(page.getByRole('status').filter({ hasText: 'Everything synced' }));
    expect(await countSyncedRows(node.platform.database.owner, 'mood_entries', user.id)).toEqual({ rows: 1, ids: 1 });
    const stored = await node.platform.database.owner.query<{ mood_score: number; emotions: Buffer }>(
      `SELECT mood_score, emotions FROM mood_entries WHERE user_id = :userId`,
      { type: 'SELECT' as never, replacements: { userId: user.id } },
    );
    // Emotions are sealed at rest (migration 0651).
    expect(stored.map((row) => ({ mood_score: row.mood_score, emotions: JSON.parse(node.platform.cipher.decrypt(row.emotions)) }))).toEqual([{ mood_score: 8, emotions: ['calm'] }]);
    await screenshot(page, 'client-mood-synced');

    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'client-mood-phone');
  });

  it("changes the therapist's schedule live when a client books, and the therapist confirms from it", async () => {
    const api = apiClient(node.url);
    const [admin] = await createAccounts(node.platform, 'super_admin', 1);
    const typeId = await createAppointmentType(api, admin!);
    const therapist = await createListedTherapist(api, node.platform, admin!, { templates: everyDay('08:00', '20:00') });
    const [therapistEmail] = (await node.platform.database.owner.query<{ email: string }>(`SELECT email FROM users WHERE id = :id`, {
      type: 'SELECT' as never,
      replacements: { id: therapist.id },
    })).map((row) => row.email);
    const client = await signUp(api, node.platform.database.owner, 'client');

    const page = await newPage('el-GR');
    await signIn(page, therapistEmail!, { email: 'Email', password: 'Κωδικός', submit: 'Σύνδεση' });
    await visible(page.getByRole('heading', { name: 'Πρόγραμμα' }));
    await visible(page.getByText('Δεν υπάρχουν αιτήματα που περιμένουν.'));
    await visible(page.getByRole('status').filter({ hasText: 'Συνδεδεμένο' }));

    // Two days ahead: after today in Athens whatever the hour, within the coming week.
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const slots = await api('GET', `/therapists/${therapist.id}/slots?from=${day}&to=${day}&type=${typeId}`, { token: client.accessToken });
    expect(slots.status).toBe(200);
    const booked = await api('POST', '/appointments', { token: client.accessToken, body: { therapistId: therapist.id, appointmentTypeId: typeId, start: slots.body.slots[0].start } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(booked.body.status).toBe('requested');

    const confirm = page.getByRole('button', { name: /^Επιβεβαίωση: / });
    await visible(confirm);
    await screenshot(page, 'therapist-schedule-request');
    await confirm.click();
    await visible(page.getByRole('status').filter({ hasText: 'Η συνεδρία επιβεβαιώθηκε.' }));
    await visible(page.getByRole('list', { name: 'Τις επόμενες 7 μέρες' }).getByText('Επιβεβαιωμένη'));
    await visible(page.getByText('Δεν υπάρχουν αιτήματα που περιμένουν.'));
    const after = await api('GET', `/appointments/${booked.body.id}`, { token: client.accessToken });
    expect(after.body.status).toBe('confirmed');
    await screenshot(page, 'therapist-schedule-confirmed');
  });

  it('finds a therapist by a Greeklish word, filters by facet and shows price, next free time and photo', async () => {
    const api = apiClient(node.url);
    const owner = node.platform.database.owner;
    const [admin] = await createAccounts(node.platform, 'super_admin', 1);
    const typeId = await createAppointmentType(api, admin!);
    const therapist = await createListedTherapist(api, node.platform, admin!, { profile: { professionalTitle: 'Κλινική Ψυχολόγος' }, templates: everyDay('08:00', '20:00') });
    const anxiety = await api('POST', '/specializations', { token: admin!.token, body: { nameEn: `Anxiety ${Date.now()}`, nameEl: `Αγχώδεις διαταραχές ${Date.now()}` } });
    expect((await api('PUT', `/therapists/${therapist.id}/specializations`, { token: therapist.token, body: [{ id: anxiety.body.id }] })).status).toBe(200);
    expect((await api('POST', `/therapists/${therapist.id}/rates`, { token: therapist.token, body: { appointmentTypeId: typeId, amount: 65, effectiveFrom: '2026-01-01' } })).status).toBe(200);
    await owner.query(`UPDATE user_profiles SET first_name = 'Ευανθία', last_name = 'Ζαχαρίου', profile_photo_url = '/icon-192.png' WHERE user_id = :id`, { replacements: { id: therapist.id } });
    await runAsSystem(() => node.platform.search.nextSlots.refreshStale());
    const client = await signUp(api, owner, 'client', { language: 'en' });

    const page = await newPage('en-GB');
    await signIn(page, client.email, { email: 'Email', password: 'Password', submit: 'Sign in' });
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Find a therapist' }).click();
    await page.getByLabel('Search (e.g. anxiety, CBT, Athens)').fill('zaxariou agxodeis');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Evanthia Zachariou' }) });
    await visible(card);
    await visible(card.getByText('From €65'));
    await visible(card.getByText(/^Next free time: /));
    await visible(card.getByRole('img', { name: 'Photo: Evanthia Zachariou' }));
    await visible(page.getByRole('heading', { name: '1 therapist' }));
    await page.getByLabel('Sort by').selectOption('price');
    await page.getByLabel('Highest price (€)').fill('50');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await visible(page.getByText('No therapists found. Try another search.'));
    await screenshot(page, 'client-find-therapist');
  });

  it('switches between Greek and English, and follows the browser before anyone signs in', async () => {
    const page = await newPage('el-GR');
    await page.goto(`${node.url}/sign-in`);
    await visible(page.getByRole('heading', { name: 'Σύνδεση' }));
    expect(await page.locator('html').getAttribute('lang')).toBe('el');
    await page.getByLabel('Γλώσσα').selectOption('en');
    await visible(page.getByRole('heading', { name: 'Sign in' }));
    await visible(page.getByRole('link', { name: 'Forgot your password?' }));
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await screenshot(page, 'sign-in-en');
    await page.reload();
    await visible(page.getByRole('heading', { name: 'Sign in' }));
    await page.getByLabel('Language').selectOption('el');
    await visible(page.getByRole('heading', { name: 'Σύνδεση' }));
    await screenshot(page, 'sign-in-el');
  });
});
