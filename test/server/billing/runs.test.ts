import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice, Payout } from '@therapy-field/sync';
import { addRate, createBillingType, startedAppointment } from '../../support/billing.js';
import { apiClient, type ApiRequest, apiUrl } from '../../support/http.js';
import { pdfLines } from '../../support/pdf.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { createAccounts, createListedTherapist, sql, type Account } from '../../support/scheduling.js';

let node: TestPlatform;
let api: ApiRequest;
let admin: Account;
let therapist: Account;
let cheaperTherapist: Account;
let financeAdmin: Account;
let otherCompanyAdmin: Account;
let employees: Account[];
let client: Account;
let sessionType: string;
let businessId: string;

async function company(name: string, adminAccount: Account, role: string): Promise<string> {
  const [business] = await sql<{ id: string }>(node.platform, `INSERT INTO business_accounts (company_name, company_tax_id, plan_type, status) VALUES (:name, :taxId, 'professional', 'active') RETURNING id`, {
    name,
    taxId: String(Math.floor(100_000_000 + Math.random() * 899_999_999)),
  });
  await sql(node.platform, `INSERT INTO business_admins (business_id, user_id, role) VALUES (:business, :admin, CAST(:role AS business_admin_role_type)) RETURNING user_id`, {
    business: business!.id,
    admin: adminAccount.id,
    role,
  });
  return business!.id;
}

const pdfOf = async (path: string, who: Account) => pdfLines(new Uint8Array(await (await fetch(apiUrl(node.url, path), { headers: { authorization: `Bearer ${who.token}` } })).arrayBuffer()));

beforeAll(async () => {
  node = await startTestPlatform();
  api = apiClient(node.url);
  [admin] = (await createAccounts(node.platform, 'super_admin', 1)) as [Account];
  [financeAdmin, otherCompanyAdmin] = (await createAccounts(node.platform, 'business_admin', 2)) as [Account, Account];
  const clients = await createAccounts(node.platform, 'client', 4);
  client = clients[0]!;
  employees = clients.slice(1);
  sessionType = await createBillingType(api, admin, 'Συνεδρία');
  therapist = await createListedTherapist(api, node.platform, admin);
  cheaperTherapist = await createListedTherapist(api, node.platform, admin);
  await addRate(api, therapist, { appointmentTypeId: sessionType, amount: 60, corporateRate: 45, effectiveFrom: '2020-01-01' });
  await addRate(api, cheaperTherapist, { appointmentTypeId: sessionType, amount: 40, corporateRate: 35, effectiveFrom: '2020-01-01' });
  businessId = await company('Ναυτιλιακή Αιγαίου ΑΕ', financeAdmin, 'finance_admin');
  await company('Other Co', otherCompanyAdmin, 'hr_admin');
  for (const employee of employees) {
    await sql(node.platform, `INSERT INTO business_employees (business_id, user_id, enrollment_status, therapy_sessions_limit) VALUES (:businessId, :user, 'active', 10) RETURNING id`, { businessId, user: employee.id });
  }
});
afterAll(() => node?.close());

describe('company billing', () => {
  it('bills a month’s company-paid sessions to the company at the corporate rate, as counts per price with no names; a re-run issues nothing', async () => {
    const held: string[] = [];
    for (const [index, employee] of employees.entries()) {
      held.push(await startedAppointment(node.platform, therapist.id, employee.id, sessionType, 'completed'));
      if (index < 2) held.push(await startedAppointment(node.platform, cheaperTherapist.id, employee.id, sessionType, 'completed'));
    }
    const priced = await sql<{ billed_to: string; price_cents: number; month: string }>(
      node.platform,
      `SELECT billed_to, price_cents, to_char(scheduled_start AT TIME ZONE 'Europe/Athens', 'YYYY-MM') AS month FROM appointments WHERE id IN (:held)`,
      { held },
    );
    expect(new Set(priced.map((row) => row.billed_to))).toEqual(new Set(['company']));
    const months = [...new Set(priced.map((row) => row.month))];

    const run = await api('POST', '/billing/runs/company-invoices', { token: admin.token, body: { month: months[0] } });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    const ours = (run.body.invoices as Invoice[]).filter((invoice) => invoice.businessId === businessId);
    expect(ours).toHaveLength(1);
    const invoice = ours[0]!;
    const expected = priced.filter((row) => row.month === months[0]);
    expect(invoice).toMatchObject({ kind: 'invoice', series: 'I', clientId: null, therapistId: null, billingMonth: months[0], mydata: { invoiceType: '2.1' } });
    expect(invoice.lines.reduce((sum, line) => sum + line.quantity, 0)).toBe(expected.length);
    expect(invoice.subtotalCents).toBe(expected.reduce((sum, row) => sum + row.price_cents, 0));
    expect(invoice.lines.map((line) => line.unitCents).sort()).toEqual([...new Set(expected.map((row) => row.price_cents))].sort());
    expect(invoice.lines.every((line) => line.description === `Συνεδρίες εργαζομένων ${months[0]}`)).toBe(true);
    const text = JSON.stringify(invoice) + (await pdfOf(`/billing/invoices/${invoice.id}/pdf`, financeAdmin)).join('\n');
    expect(text).toContain('Ναυτιλιακή Αιγαίου ΑΕ');
    expect(text).not.toMatch(/Νίκος|Γεωργίου/);
    for (const employee of employees) expect(text).not.toContain(employee.id);

    const again = await api('POST', '/billing/runs/company-invoices', { token: admin.token, body: { month: months[0] } });
    expect(again.body.invoices).toEqual([]);
    expect((await api('POST', '/billing/runs/company-invoices', { token: financeAdmin.token, body: { month: months[0] } })).status).toBe(403);

    // The company's finance admin reads it; another company's admin and the employees do not.
    const listed = await api('GET', `/billing/invoices?businessId=${businessId}`, { token: financeAdmin.token });
    expect(listed.body.invoices.map((document: Invoice) => document.id)).toEqual([invoice.id]);
    expect((await api('GET', `/billing/invoices?businessId=${businessId}`, { token: otherCompanyAdmin.token })).body.invoices).toEqual([]);
    expect((await api('GET', `/billing/invoices/${invoice.id}`, { token: otherCompanyAdmin.token })).status).toBe(404);
    expect((await api('GET', `/billing/invoices/${invoice.id}`, { token: employees[0]!.token })).status).toBe(404);
    const outstanding = await api('GET', `/billing/reports/outstanding?businessId=${businessId}`, { token: financeAdmin.token });
    expect(outstanding.body.invoices.map((document: Invoice) => document.id)).toEqual([invoice.id]);
  });
});

describe('therapist payouts', () => {
  it('pays out the period’s paid sessions less refunds: gross, the platform fee (20% or the therapist’s), net; a re-run changes nothing', async () => {
    const fee = await api('PUT', `/billing/therapists/${cheaperTherapist.id}/platform-fee`, { token: admin.token, body: { platformFeePercentage: 15 } });
    expect(fee.status, JSON.stringify(fee.body)).toBe(200);
    expect(fee.body.platformFeePercentage).toBe(15);
    expect((await api('PUT', `/billing/therapists/${cheaperTherapist.id}/platform-fee`, { token: cheaperTherapist.token, body: { platformFeePercentage: 0 } })).status).toBe(403);

    const issued: Invoice[] = [];
    for (const who of [therapist, therapist, therapist, cheaperTherapist]) {
      const appointmentId = await startedAppointment(node.platform, who.id, client.id, sessionType, 'completed');
      issued.push((await node.platform.billing.service.invoices.issueForAppointment(appointmentId, 'session'))!);
    }
    // Paid by card (the payments test covers the provider); one gets €12.34 back.
    await sql(node.platform, `UPDATE invoices SET status = 'paid', paid_at = now() WHERE id IN (:ids) RETURNING id`, { ids: issued.slice(0, 3).concat(issued[3]!).map((invoice) => invoice.id) });
    await sql(node.platform, `INSERT INTO transactions (user_id, invoice_id, amount, type, status, provider, provider_transaction_id) VALUES (:client, :invoice, 12.34, 'refund', 'completed', 'stripe', 're_test_payout') RETURNING id`, {
      client: client.id,
      invoice: issued[0]!.id,
    });

    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Athens' }).format(new Date());
    const period = { periodStart: `${today.slice(0, 7)}-01`, periodEnd: today };
    const run = await api('POST', '/billing/runs/payouts', { token: admin.token, body: period });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    const byTherapist = new Map((run.body.payouts as Payout[]).map((payout) => [payout.therapistId, payout]));
    expect(byTherapist.get(therapist.id)).toMatchObject({ sessions: 3, grossCents: 3 * 6000 - 1234, platformFeeRate: 2000, platformFeeCents: 3353, netCents: 16766 - 3353, status: 'pending' });
    expect(byTherapist.get(cheaperTherapist.id)).toMatchObject({ sessions: 1, grossCents: 4000, platformFeeRate: 1500, platformFeeCents: 600, netCents: 3400 });

    const rerun = await api('POST', '/billing/runs/payouts', { token: admin.token, body: period });
    expect(rerun.body.payouts).toEqual([]);
    const [{ count }] = (await sql<{ count: number }>(node.platform, `SELECT count(*)::int AS count FROM therapist_payouts`)) as [{ count: number }];
    expect(count).toBe(2);

    const mine = await api('GET', '/billing/payouts', { token: therapist.token });
    expect(mine.body.payouts.map((payout: Payout) => payout.therapistId)).toEqual([therapist.id]);
    const payoutId = byTherapist.get(therapist.id)!.id;
    expect((await fetch(apiUrl(node.url, `/billing/payouts/${payoutId}/pdf`), { headers: { authorization: `Bearer ${cheaperTherapist.token}` } })).status).toBe(404);
    const statement = await pdfOf(`/billing/payouts/${payoutId}/pdf?lang=el`, therapist);
    expect(statement).toContain('ΚΑΤΑΣΤΑΣΗ ΠΛΗΡΩΜΗΣ ΘΕΡΑΠΕΥΤΗ');
    expect(statement).toContain('Συνεδρίες: 3');
    expect(statement).toContain('Ακαθάριστα: 167,66 €');
    expect(statement).toContain('Προμήθεια πλατφόρμας (20%): 33,53 €');
    expect(statement).toContain('Καθαρό ποσό: 134,13 €');

    expect((await api('POST', `/billing/payouts/${payoutId}/status`, { token: admin.token, body: { status: 'completed' } })).status).toBe(409);
    expect((await api('POST', `/billing/payouts/${payoutId}/status`, { token: admin.token, body: { status: 'processing', reference: 'SEPA-1' } })).body.status).toBe('processing');
    const done = await api('POST', `/billing/payouts/${payoutId}/status`, { token: admin.token, body: { status: 'completed' } });
    expect(done.body).toMatchObject({ status: 'completed', paidAt: expect.any(String) });
  });

  it('reports a therapist’s income by month and a client’s statement, each to its owner only', async () => {
    const income = await api('GET', '/billing/reports/income', { token: therapist.token });
    expect(income.status).toBe(200);
    const month = income.body.months[0];
    expect(month.documents).toBeGreaterThanOrEqual(3);
    expect(month.paidCents).toBeGreaterThanOrEqual(3 * 6000);
    expect((await api('GET', '/billing/reports/income', { token: client.token })).status).toBe(403);
    const statement = await api('GET', '/billing/reports/statement', { token: client.token });
    expect(statement.body.invoices.every((invoice: Invoice) => invoice.clientId === client.id)).toBe(true);
    expect(statement.body.refundedCents).toBe(1234);
    expect((await api('GET', '/billing/reports/statement', { token: employees[0]!.token })).body.invoices).toEqual([]);
  });
});
