import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runAsSystem } from '@therapy-field/server';
import { ensureWebAppBuilt } from '../../web/scripts/build-if-stale.js';
import { TEST_PASSWORD, uniqueEmail } from '../support/accounts.js';
import { launchChromium } from '../support/browser/chromium.js';
import { screenshot, signIn, visible, WebAppPages } from '../support/browser/web-app.js';
import { RecordingTransport } from '../support/delivery.js';
import { freePort } from '../support/free-port.js';
import { apiClient } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { createAccounts, createAppointmentType, createListedTherapist, everyDay } from '../support/scheduling.js';
import { waitFor } from '../support/wait.js';

/**
 * A new client's whole way in, in Chromium, with the therapist's dashboard open in another browser
 * context at the same time. SMTP is the one stand-in: a recording transport receives the
 * verification email, and the test opens the link it carries (PUBLIC_URL is this node's origin).
 */
const mailbox = new RecordingTransport();
let node: TestPlatform;
let browser: Browser;
const pages = new WebAppPages(() => browser);

beforeAll(async () => {
  await ensureWebAppBuilt(); // before the node starts: it serves what web/dist holds then
  const port = await freePort();
  [node, browser] = await Promise.all([
    startTestPlatform({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, JOBS_POLL_INTERVAL_SECONDS: '0.5' }, undefined, { emailTransport: mailbox }),
    launchChromium(),
  ]);
}, 300_000);
afterEach(() => pages.closeAll());
afterAll(async () => {
  await browser?.close();
  await node?.close();
});

/** Set on the page's window: still there later means the page was never reloaded. */
const markPage = (page: Page) => page.evaluate(() => Object.assign(window, { notReloaded: true }));
const stillSamePage = (page: Page) => page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

describe('a client from registration to a confirmed session, with the therapist live in another context', { timeout: 300_000 }, () => {
  it('registers through the email link, signs in, finds a therapist, books a free slot; the dashboard and then the client page change live', async () => {
    const api = apiClient(node.url);
    const [admin] = await createAccounts(node.platform, 'super_admin', 1);
    await createAppointmentType(api, admin!);
    const therapist = await createListedTherapist(api, node.platform, admin!, { templates: everyDay('08:00', '20:00') });
    // A name in Latin script reads the same in both languages (the directory transliterates Greek).
    const surname = 'Vlachopoulou';
    await node.platform.database.owner.query(`UPDATE user_profiles SET first_name = 'Aglaia', last_name = :surname WHERE user_id = :id`, { replacements: { id: therapist.id, surname } });
    await runAsSystem(() => node.platform.search.nextSlots.refreshStale());
    const [therapistEmail] = (await node.platform.database.owner.query<{ email: string }>(`SELECT email FROM users WHERE id = :id`, { type: 'SELECT' as never, replacements: { id: therapist.id } })).map((row) => row.email);

    // The therapist's dashboard, open before anything is booked, in Greek (their profile's language).
    const dashboard = await pages.newPage('el-GR');
    await signIn(dashboard, node.url, therapistEmail!, TEST_PASSWORD, { email: 'Email', password: 'Κωδικός', submit: 'Σύνδεση' });
    await visible(dashboard.getByRole('heading', { name: 'Πρόγραμμα' }));
    await visible(dashboard.getByText('Δεν υπάρχουν αιτήματα που περιμένουν.'));
    await visible(dashboard.getByRole('status').filter({ hasText: 'Συνδεδεμένο' }));
    await markPage(dashboard);

    // Registration in English, and the link from the verification email.
    const email = uniqueEmail('journey');
    const page = await pages.newPage('en-GB');
    await page.goto(`${node.url}/register`);
    await page.getByLabel('First name').fill('Ελπίδα');
    await page.getByLabel('Last name').fill('Σταυράκη');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('New password (at least 10 characters)').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Register' }).click();
    await visible(page.getByText(`We sent an email to ${email}.`));
    await waitFor(() => mailbox.emails.some((sent) => sent.to === email), 30_000, 'the verification email sent');
    const link = mailbox.emails.find((sent) => sent.to === email)!.text.match(/https?:\/\/\S+\/verify-email\?token=[\w-]+/)?.[0];
    expect(link, 'a verification link to this app').toMatch(new RegExp(`^${node.url}/verify-email\\?token=`));
    await page.goto(link!);
    await visible(page.getByText('Your email is confirmed. You can sign in now.'));
    await screenshot(page, 'journey-email-confirmed');

    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByRole('heading', { name: 'Welcome, Ελπίδα' }));
    await visible(page.getByText('You have no session booked.'));

    // Find the therapist and book the first free slot.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Find a therapist' }).click();
    await page.getByLabel('Search (e.g. anxiety, CBT, Athens)').fill(surname);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: `Book a session: Aglaia ${surname}` }).click();
    await visible(page.getByRole('heading', { name: `Aglaia ${surname}`, level: 1 }));
    const slot = page.getByRole('button', { name: /^Book: / }).first();
    await visible(slot);
    await slot.click();
    await visible(page.getByText(/^Session requested for /));
    await screenshot(page, 'journey-booked');
    const [booked] = await node.platform.database.owner.query<{ id: string; status: string }>(
      `SELECT a.id, a.status FROM appointments a JOIN users u ON u.id = a.client_id WHERE u.email = :email`,
      { type: 'SELECT' as never, replacements: { email } },
    );
    expect(booked?.status).toBe('requested');

    // The therapist's dashboard shows the request without a reload.
    const confirm = dashboard.getByRole('button', { name: /^Επιβεβαίωση: / });
    await visible(confirm);
    expect(await stillSamePage(dashboard)).toBe(true);
    await screenshot(dashboard, 'journey-dashboard-request');

    // The client waits on their home page; the therapist confirms in the other context.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Home' }).click();
    const upcoming = page.getByRole('list', { name: 'Upcoming sessions' });
    await visible(upcoming.getByText('Requested'));
    await markPage(page);
    await confirm.click();
    await visible(dashboard.getByRole('status').filter({ hasText: 'Η συνεδρία επιβεβαιώθηκε.' }));
    await visible(upcoming.getByText('Confirmed'));
    expect(await upcoming.getByText('Requested').count()).toBe(0);
    expect(await stillSamePage(page)).toBe(true);
    await screenshot(page, 'journey-client-confirmed');
    const [after] = await node.platform.database.owner.query<{ status: string }>(`SELECT status FROM appointments WHERE id = :id`, { type: 'SELECT' as never, replacements: { id: booked!.id } });
    expect(after?.status).toBe('confirmed');
  });
});
