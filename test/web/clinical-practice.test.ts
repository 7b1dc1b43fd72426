import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { ensureWebAppBuilt } from '../../web/scripts/build-if-stale.js';
import { signUp, TEST_PASSWORD } from '../support/accounts.js';
import { createAppointment } from '../support/appointments.js';
import { launchChromium } from '../support/browser/chromium.js';
import { apiClient, type ApiRequest } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

/** Issue 12's pages in Chromium, used by role and label: consents, my record and its read log, a note's amendments. */
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

async function visible(locator: Locator, timeout = 20_000): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch (error) {
    await locator.page().screenshot({ path: new URL(`failed-clinical-${Date.now()}.png`, ARTIFACTS).pathname, fullPage: true });
    throw error;
  }
}

async function signIn(page: Page, email: string, labels: { email: string; password: string; submit: string }) {
  await page.goto(`${node.url}/`);
  await page.getByLabel(labels.email).fill(email);
  await page.getByLabel(labels.password).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: labels.submit }).click();
}

describe('clinical practice pages in Chromium', { timeout: 180_000 }, () => {
  it('a client gives and withdraws a consent, and sees who read their record', async () => {
    const client = await signUp(api, node.platform.database.owner, 'client', { language: 'en' });
    const therapist = await signUp(api, node.platform.database.owner, 'therapist');
    await createAppointment(node.platform.database.owner, { therapistId: therapist.id, clientId: client.id, startsInMinutes: -3 * 24 * 60, status: 'completed' });
    await api('PUT', `/clients/${client.id}/history/medical`, { token: therapist.accessToken, body: { allergies: 'Penicillin' } });
    await api('GET', `/clients/${client.id}/history`, { token: therapist.accessToken });

    const page = await newPage('en-GB');
    await signIn(page, client.email, { email: 'Email', password: 'Password', submit: 'Sign in' });
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Consents' }).click();
    await page.getByRole('button', { name: 'Give: Video sessions' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Consent recorded.' }));
    await page.getByRole('button', { name: 'Withdraw: Video sessions' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Consent withdrawn.' }));
    await visible(page.getByRole('button', { name: 'Give: Video sessions' }));
    await visible(page.getByRole('row').filter({ hasText: 'Video sessions' }));

    await nav.getByRole('link', { name: 'My record' }).click();
    await visible(page.getByText('Penicillin'));
    const reads = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Who' }) });
    await visible(reads.getByRole('row').filter({ hasText: 'Therapist' }).filter({ hasText: 'Medical history' }));
  });

  it('a therapist adds an amendment to a signed note, in Greek, and sees it beside the original', async () => {
    const therapist = await signUp(api, node.platform.database.owner, 'therapist', { language: 'el' });
    const client = await signUp(api, node.platform.database.owner, 'client');
    const appointmentId = await createAppointment(node.platform.database.owner, { therapistId: therapist.id, clientId: client.id, startsInMinutes: -2 * 24 * 60, status: 'completed' });
    const note = await api('POST', `/appointments/${appointmentId}/session-notes`, {
      token: therapist.accessToken,
      body: { noteType: 'soap', content: { subjective: 'Αϋπνία εδώ και δύο εβδομάδες', objective: '', assessment: '', plan: '' } },
    });
    await api('POST', `/session-notes/${note.body.id}/sign`, { token: therapist.accessToken });

    const page = await newPage('el-GR');
    await signIn(page, therapist.email, { email: 'Email', password: 'Κωδικός', submit: 'Σύνδεση' });
    await visible(page.getByRole('navigation', { name: 'Κύρια πλοήγηση' }));
    await page.goto(`${node.url}/notes/${note.body.id}`);
    await visible(page.getByText('Αϋπνία εδώ και δύο εβδομάδες'));
    await page.getByLabel('Είδος').selectOption('addendum');
    await page.getByLabel('Κείμενο', { exact: true }).fill('Ο θεραπευόμενος τηλεφώνησε μετά τη συνεδρία');
    await page.getByRole('button', { name: 'Καταχώριση' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Η τροποποίηση καταχωρίστηκε.' }));
    await visible(page.getByRole('listitem').filter({ hasText: 'Ο θεραπευόμενος τηλεφώνησε μετά τη συνεδρία' }).filter({ hasText: 'Προσθήκη' }));
    await visible(page.getByText('Αϋπνία εδώ και δύο εβδομάδες'));
  });
});
