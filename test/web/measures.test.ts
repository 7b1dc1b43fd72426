import { mkdirSync } from 'node:fs';
import { QueryTypes } from 'sequelize';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebAppBuilt } from '../../web/scripts/build-if-stale.js';
import { signUp, TEST_PASSWORD } from '../support/accounts.js';
import { createAppointment } from '../support/appointments.js';
import { launchChromium } from '../support/browser/chromium.js';
import { networkSwitch } from '../support/browser/network.js';
import { apiClient, type ApiRequest } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { waitFor } from '../support/wait.js';

/** The measures pages in Chromium, used by role and label: assign, answer offline, see the score, the live alert and its acknowledgement. */
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

async function newPage(locale: 'en-GB' | 'el-GR', viewport = { width: 1200, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ locale, viewport });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.stack));
  return page;
}

async function visible(locator: Locator, timeout = 20_000): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch (error) {
    await locator.page().screenshot({ path: new URL(`failed-measures-${Date.now()}.png`, ARTIFACTS).pathname, fullPage: true });
    throw error;
  }
}

async function signIn(page: Page, email: string, labels: { email: string; password: string; submit: string }) {
  await page.goto(`${node.url}/`);
  await page.getByLabel(labels.email).fill(email);
  await page.getByLabel(labels.password).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: labels.submit }).click();
}

const answersOf = (clientId: string) =>
  node.platform.database.owner.query<{ calculated_score: string }>('SELECT calculated_score FROM questionnaire_responses WHERE client_id = :clientId', {
    type: QueryTypes.SELECT,
    replacements: { clientId },
  });

describe('measures pages in Chromium', { timeout: 240_000 }, () => {
  it('a therapist assigns PHQ-9; the client answers it offline (on a phone), it arrives once and scored; the therapist gets the risk alert live and acknowledges it', async () => {
    const therapist = await signUp(api, node.platform.database.owner, 'therapist', { language: 'el' });
    const client = await signUp(api, node.platform.database.owner, 'client', { language: 'en' });
    await createAppointment(node.platform.database.owner, { therapistId: therapist.id, clientId: client.id, startsInMinutes: -3 * 24 * 60, status: 'completed' });

    // The therapist, in Greek, gives the client a PHQ-9 from the client's page.
    const therapistPage = await newPage('el-GR');
    await signIn(therapistPage, therapist.email, { email: 'Email', password: 'Κωδικός', submit: 'Σύνδεση' });
    await visible(therapistPage.getByRole('navigation', { name: 'Κύρια πλοήγηση' }));
    await therapistPage.goto(`${node.url}/my-clients/${client.id}`);
    await therapistPage.getByRole('link', { name: 'Ερωτηματολόγια και βαθμολογίες' }).click();
    await visible(therapistPage.getByRole('heading', { level: 1, name: 'Ερωτηματολόγια πελάτη' }));
    await therapistPage.getByLabel('Ερωτηματολόγιο').first().selectOption('PHQ-9');
    await therapistPage.getByLabel('Συχνότητα').selectOption('once');
    await therapistPage.getByRole('button', { name: 'Ανάθεση', exact: true }).click();
    await visible(therapistPage.getByRole('status').filter({ hasText: 'Το ερωτηματολόγιο ανατέθηκε' }));
    await visible(therapistPage.getByRole('list', { name: 'Αναθέσεις' }).getByText(/PHQ-9 .* Εκκρεμεί/));

    // The client, in English on a phone, opens it online, then loses the connection and answers.
    const clientPage = await newPage('en-GB', { width: 390, height: 844 });
    const network = await networkSwitch(clientPage.context());
    await signIn(clientPage, client.email, { email: 'Email', password: 'Password', submit: 'Sign in' });
    await clientPage.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Questionnaires' }).click();
    await visible(clientPage.getByRole('status').filter({ hasText: 'Online' }));
    await clientPage.getByRole('button', { name: 'Fill in: PHQ-9' }).click();
    await network.setOffline(true);
    await visible(clientPage.getByRole('status').filter({ hasText: 'Offline' }), 30_000);
    const form = clientPage.getByRole('form', { name: 'PHQ-9 Depression Scale' });
    const groups = form.getByRole('group');
    expect(await groups.count()).toBe(9);
    for (let item = 0; item < 8; item += 1) await groups.nth(item).getByLabel('Several days').check();
    await clientPage.getByRole('button', { name: 'Send answers' }).click();
    await visible(clientPage.getByRole('alert').filter({ hasText: 'Please answer every question.' }));
    await groups.nth(8).getByLabel('Several days').check();
    await clientPage.getByRole('button', { name: 'Send answers' }).click();
    await visible(clientPage.getByRole('status').filter({ hasText: 'saved on this device' }));
    const answer = clientPage.getByRole('list', { name: 'My answers' }).getByRole('listitem').filter({ hasText: 'PHQ-9' });
    await visible(answer.getByText('Pending'));
    expect(await answersOf(client.id)).toEqual([]);

    // Back online: it reaches the server once, scored there, and the score comes back to the phone.
    await network.setOffline(false);
    await visible(answer.getByText('Synced'), 60_000);
    await visible(answer.getByText('Score 9/27'), 30_000);
    await visible(answer.getByText('Mild depression'));
    await visible(clientPage.getByRole('img', { name: 'PHQ-9: scores over time' }));
    await waitFor(async () => (await answersOf(client.id)).length > 0, 10_000, 'the answer on the server');
    expect((await answersOf(client.id)).map((row) => Number(row.calculated_score))).toEqual([9]);

    // Item 9 above 0: the therapist's open page hears of it live and acknowledges it.
    await visible(therapistPage.getByRole('status').filter({ hasText: 'Νέα ειδοποίηση κινδύνου: PHQ-9' }), 30_000);
    const alerts = therapistPage.getByRole('list', { name: 'Ειδοποιήσεις κινδύνου' });
    await visible(alerts.getByText(/Απάντηση σε ερώτηση κινδύνου \(phq9_9\)/));
    await alerts.getByRole('button', { name: /Επιβεβαίωση ειδοποίησης PHQ-9/ }).click();
    await visible(alerts.getByText(/Επιβεβαιώθηκε/));
    await visible(therapistPage.getByRole('img', { name: 'PHQ-9: βαθμολογίες στον χρόνο' }));
    const [acknowledged] = await node.platform.database.owner.query<{ acknowledged_by: string }>('SELECT acknowledged_by FROM measure_risk_alerts WHERE client_id = :clientId', {
      type: QueryTypes.SELECT,
      replacements: { clientId: client.id },
    });
    expect(acknowledged!.acknowledged_by).toBe(therapist.id);
    expect(await answersOf(client.id)).toHaveLength(1);
  });
});
