import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebAppBuilt } from '../../web/scripts/build-if-stale.js';
import { signUp, TEST_PASSWORD } from '../support/accounts.js';
import { addRate, createBillingType, startedAppointment } from '../support/billing.js';
import { launchChromium } from '../support/browser/chromium.js';
import { expectAccessible, signIn, visible, WebAppPages } from '../support/browser/web-app.js';
import { apiClient, type ApiRequest } from '../support/http.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { createAccounts, type Account } from '../support/scheduling.js';
import { waitFor } from '../support/wait.js';

/** The billing pages in Chromium, used by role and label: a client's documents and statement, a therapist's income. */
let node: TestPlatform;
let browser: Browser;
let api: ApiRequest;
const pages = new WebAppPages(() => browser);

beforeAll(async () => {
  await ensureWebAppBuilt();
  [node, browser] = await Promise.all([startTestPlatform(), launchChromium()]);
  api = apiClient(node.url);
}, 300_000);
afterEach(() => pages.closeAll());
afterAll(async () => {
  await browser?.close();
  await node?.close();
});

describe('billing pages in Chromium', { timeout: 240_000 }, () => {
  it('a client sees their receipt and statement in Greek; the therapist sees the month’s income in English', async () => {
    const [admin] = (await createAccounts(node.platform, 'super_admin', 1)) as [Account];
    const typeId = await createBillingType(api, admin, 'Συνεδρία');
    const therapist = await signUp(api, node.platform.database.owner, 'therapist', { language: 'en' });
    await api('POST', `/admin/therapists/${therapist.id}/verify`, { token: admin.token });
    await addRate(api, { id: therapist.id, token: therapist.accessToken }, { appointmentTypeId: typeId, amount: 60, effectiveFrom: '2020-01-01' });
    const client = await signUp(api, node.platform.database.owner, 'client', { language: 'el' });
    const appointmentId = await startedAppointment(node.platform, therapist.id, client.id, typeId);
    expect((await api('POST', `/appointments/${appointmentId}/complete`, { token: therapist.accessToken })).status).toBe(200);
    let number = '';
    await waitFor(async () => {
      const { invoices } = (await api('GET', '/billing/invoices', { token: client.accessToken })).body;
      number = invoices[0]?.number ?? '';
      return number !== '';
    }, 20_000, 'the receipt');

    const page = await pages.newPage('el-GR');
    await signIn(page, node.url, client.email, TEST_PASSWORD, { email: 'Email', password: 'Κωδικός', submit: 'Σύνδεση' });
    await page.getByRole('navigation', { name: 'Κύρια πλοήγηση' }).getByRole('link', { name: 'Πληρωμές' }).click();
    const row = page.getByRole('row', { name: new RegExp(number) });
    await visible(row);
    await visible(row.getByRole('cell', { name: '60,00 €' }));
    await visible(row.getByRole('cell', { name: 'Εκδόθηκε' }));
    await visible(row.getByRole('button', { name: `PDF ${number}` }));
    await visible(row.getByRole('button', { name: `Πληρωμή ${number}` }));
    await visible(page.getByLabel('Κατάσταση λογαριασμού').getByText('60,00 €'));
    await expectAccessible(page, 'billing-client-el');

    const therapistPage = await pages.newPage('en-GB');
    await signIn(therapistPage, node.url, therapist.email, TEST_PASSWORD, { email: 'Email', password: 'Password', submit: 'Sign in' });
    await therapistPage.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Billing' }).click();
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Athens', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
    const income = therapistPage.getByRole('row', { name: new RegExp(month) });
    await visible(income);
    await visible(income.getByRole('cell', { name: '€60.00' }).first());
    await visible(therapistPage.getByText('No payouts yet.'));
    await expectAccessible(therapistPage, 'billing-therapist-en');
  });
});
