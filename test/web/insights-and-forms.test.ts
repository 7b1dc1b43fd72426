import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { QueryTypes } from 'sequelize';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebAppBuilt } from '../../web/scripts/build-if-stale.js';
import { signUp, TEST_PASSWORD } from '../support/accounts.js';
import { createAppointment } from '../support/appointments.js';
import { launchChromium } from '../support/browser/chromium.js';
import { networkSwitch } from '../support/browser/network.js';
import { apiClient, type ApiRequest } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { waitFor } from '../support/wait.js';

/** Issue 12's insights and form pages in Chromium, by role and label: a form answered offline arrives once. */
const ARTIFACTS = new URL('../../test-artifacts/web/', import.meta.url);
let node: TestPlatform;
let browser: Browser;
let api: ApiRequest;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await ensureWebAppBuilt();
  [node, browser] = await Promise.all([startTestPlatform(), launchChromium()]);
  api = apiClient(node.url);
}, 300_000);
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(async () => {
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

async function visible(locator: Locator, timeout = 30_000): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch (error) {
    await locator.page().screenshot({ path: new URL(`failed-insights-forms-${Date.now()}.png`, ARTIFACTS).pathname, fullPage: true });
    throw error;
  }
}

async function signIn(page: Page, email: string, labels: { email: string; password: string; submit: string }) {
  await page.goto(`${node.url}/`);
  await page.getByLabel(labels.email).fill(email);
  await page.getByLabel(labels.password).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: labels.submit }).click();
}

const sql = <T extends object>(query: string, replacements: Record<string, unknown>) =>
  node.platform.database.owner.query<T>(query, { type: QueryTypes.SELECT, replacements });

describe('insights and intake form pages in Chromium', { timeout: 240_000 }, () => {
  it('a client sees their insights and answers an intake form offline; it reaches the server once and the therapist reads it in Greek', async () => {
    const client = await signUp(api, node.platform.database.owner, 'client', { language: 'en' });
    const therapist = await signUp(api, node.platform.database.owner, 'therapist', { language: 'el' });
    await createAppointment(node.platform.database.owner, { therapistId: therapist.id, clientId: client.id, startsInMinutes: 3 * 24 * 60, status: 'confirmed' });
    for (const [daysAgo, mood] of [[2, 4], [1, 6]] as const) {
      await sql(`INSERT INTO mood_entries (user_id, recorded_at, mood_score, sleep_quality, shared_with_therapist) VALUES (:id, now() - make_interval(days => :daysAgo), :mood, 5, TRUE) RETURNING id`, { id: client.id, daysAgo, mood });
    }
    const [intake] = (await api('GET', '/form-templates', { token: therapist.accessToken })).body;
    expect((await api('POST', `/form-templates/${intake.id}/send`, { token: therapist.accessToken, body: { clientId: client.id } })).status).toBe(201);

    const page = await newPage('en-GB');
    const network = await networkSwitch(page.context());
    await signIn(page, client.email, { email: 'Email', password: 'Password', submit: 'Sign in' });
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Insights' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'My insights' }));
    await visible(page.getByRole('img', { name: /Daily average mood from .* 2 days logged, average 5\.0 out of 10/ }));

    await nav.getByRole('link', { name: 'Forms' }).click();
    const form = page.getByRole('form', { name: 'Intake form' });
    await visible(form);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
    await network.setOffline(true);
    await form.getByLabel('What brings you to therapy? (required)').fill('Panic attacks on the metro');
    await form.getByLabel('Medications you take now').fill('Sertraline 50mg');
    await form.getByLabel('Employment').selectOption('student');
    await form.getByLabel('Do you have thoughts of harming yourself? (required)').selectOption('false');
    await form.getByRole('button', { name: 'Submit' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'The form is saved and goes out as soon as you are online.' }));
    await visible(page.getByText('Waiting to be sent'));
    expect(await sql(`SELECT id FROM form_responses WHERE user_id = :id`, { id: client.id })).toEqual([]);

    await network.setOffline(false);
    await waitFor(async () => (await sql(`SELECT id FROM form_responses WHERE user_id = :id`, { id: client.id })).length === 1, 60_000, 'the answers on the server');
    await waitFor(async () => (await sql(`SELECT 1 FROM form_responses WHERE user_id = :id AND applied_at IS NOT NULL`, { id: client.id })).length === 1, 30_000, 'the answers in the history');
    await visible(page.getByText('Submitted'));
    expect(await sql(`SELECT count(*)::int AS n FROM form_responses WHERE user_id = :id`, { id: client.id })).toEqual([{ n: 1 }]);

    const therapistPage = await newPage('el-GR');
    await signIn(therapistPage, therapist.email, { email: 'Email', password: 'Κωδικός', submit: 'Σύνδεση' });
    await visible(therapistPage.getByRole('navigation', { name: 'Κύρια πλοήγηση' }));
    await therapistPage.goto(`${node.url}/my-clients/${client.id}/forms`);
    await visible(therapistPage.getByRole('heading', { level: 1, name: 'Φόρμες θεραπευόμενου' }));
    await visible(therapistPage.getByText('Sertraline 50mg'));
    await visible(therapistPage.getByText('Σπουδάζω'));
    await therapistPage.goto(`${node.url}/my-clients/${client.id}/insights`);
    await visible(therapistPage.getByRole('heading', { level: 1, name: 'Πρόοδος θεραπευόμενου' }));
    await visible(therapistPage.getByRole('img', { name: /Μέση ημερήσια διάθεση από .* 2 μέρες με καταγραφή/ }));
  });
});
