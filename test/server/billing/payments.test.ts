import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice } from '@therapy-field/sync';
import { addRate, createBillingType, startedAppointment } from '../../support/billing.js';
import { apiClient, type ApiRequest, apiUrl } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { createAccounts, createListedTherapist, everyDay, sql, type Account } from '../../support/scheduling.js';
import { STAND_IN_SECRET_KEY, STAND_IN_WEBHOOK_SECRET, StripeStandIn } from '../../support/stripe-stand-in.js';
import { waitFor } from '../../support/wait.js';

// Stripe cannot be reached from here: the platform's stripe client talks to a local stand-in that
// speaks Stripe's API shape, and webhooks are signed with the stripe library's own test-header helper.
let stripe: StripeStandIn;
let node: TestPlatform;
let api: ApiRequest;
let admin: Account;
let therapist: Account;
let client: Account;
let otherClient: Account;
let sessionType: string;
let upfrontType: string;

async function receiptFor(appointmentId: string, reader: Account = client): Promise<Invoice> {
  let invoice: Invoice | undefined;
  await waitFor(async () => {
    const charge = await api('GET', `/billing/appointments/${appointmentId}`, { token: reader.token });
    if (!charge.body?.invoiceId) return false;
    invoice = (await api('GET', `/billing/invoices/${charge.body.invoiceId}`, { token: reader.token })).body;
    return true;
  }, 20_000, 'the appointment’s document');
  return invoice!;
}

async function completedReceipt(): Promise<Invoice> {
  const appointmentId = await startedAppointment(node.platform, therapist.id, client.id, sessionType);
  expect((await api('POST', `/appointments/${appointmentId}/complete`, { token: therapist.token })).status).toBe(200);
  return receiptFor(appointmentId);
}

async function savedCard(who: Account, options: { threeDSecure?: boolean; last4?: string } = {}): Promise<string> {
  const setup = await api('POST', '/billing/payment-methods/setup', { token: who.token });
  expect(setup.status, JSON.stringify(setup.body)).toBe(200);
  expect(setup.body.clientSecret).toMatch(/^seti_.+_secret_/);
  const providerPaymentMethodId = stripe.confirmCard(stripe.customerOf(who.id)!.id, options);
  const saved = await api('POST', '/billing/payment-methods', { token: who.token, body: { providerPaymentMethodId } });
  expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  return saved.body.id;
}

const transactions = (invoiceId: string) =>
  sql<{ type: string; status: string; amount: string; provider_transaction_id: string }>(
    node.platform,
    `SELECT type, status, amount::text, provider_transaction_id FROM transactions WHERE invoice_id = :invoiceId ORDER BY created_at, type`,
    { invoiceId },
  );
const webhook = (event: { payload: string; signature: string }) =>
  fetch(apiUrl(node.url, '/billing/webhooks/stripe'), { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': event.signature }, body: event.payload });

beforeAll(async () => {
  stripe = await StripeStandIn.start();
  node = await startTestPlatform({ STRIPE_SECRET_KEY: STAND_IN_SECRET_KEY, STRIPE_WEBHOOK_SECRET: STAND_IN_WEBHOOK_SECRET, STRIPE_API_URL: stripe.url });
  api = apiClient(node.url);
  [admin] = (await createAccounts(node.platform, 'super_admin', 1)) as [Account];
  [client, otherClient] = (await createAccounts(node.platform, 'client', 2)) as [Account, Account];
  sessionType = await createBillingType(api, admin, 'Συνεδρία');
  upfrontType = await createBillingType(api, admin, 'Πρώτη συνάντηση', true);
  therapist = await createListedTherapist(api, node.platform, admin, { templates: everyDay('00:00', '23:59'), settings: { instantConfirmation: true } });
  for (const type of [sessionType, upfrontType]) await addRate(api, therapist, { appointmentTypeId: type, amount: 50, effectiveFrom: '2020-01-01' });
});
afterAll(async () => {
  await node?.close();
  await stripe?.close();
});

describe('cards', () => {
  it('saves only the provider’s ids and the last four digits; a card of another customer is not taken', async () => {
    const id = await savedCard(client, { last4: '4242' });
    const listed = await api('GET', '/billing/payment-methods', { token: client.token });
    expect(listed.body.paymentMethods).toEqual([{ id, brand: 'visa', lastFour: '4242', expiryMonth: 12, expiryYear: 2030, isDefault: true }]);
    const [stored] = await sql<Record<string, unknown>>(node.platform, `SELECT * FROM payment_methods WHERE id = :id`, { id });
    expect(stored).toMatchObject({ provider: 'stripe', provider_customer_id: stripe.customerOf(client.id)!.id, last_four: '4242' });
    expect(String(stored!.provider_payment_method_id)).toMatch(/^pm_/);
    expect(JSON.stringify(stored)).not.toMatch(/4242424242424242/);

    const someoneElses = stripe.confirmCard(stripe.customerOf(client.id)!.id);
    const taken = await api('POST', '/billing/payment-methods', { token: otherClient.token, body: { providerPaymentMethodId: someoneElses } });
    expect(taken.status).toBe(404);
    expect((await api('POST', '/billing/payment-methods', { token: client.token, body: { providerPaymentMethodId: '4242424242424242' } })).status).toBe(400);
  });
});

describe('paying a document', () => {
  it('charges a saved card end to end; the signed webhook applies once, a replay and a forgery change nothing', async () => {
    const card = (await api('GET', '/billing/payment-methods', { token: client.token })).body.paymentMethods[0].id;
    const receipt = await completedReceipt();
    expect((await api('POST', `/billing/invoices/${receipt.id}/pay`, { token: otherClient.token, body: { paymentMethodId: card } })).status).toBe(404);
    const paid = await api('POST', `/billing/invoices/${receipt.id}/pay`, { token: client.token, body: { paymentMethodId: card } });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body).toMatchObject({ status: 'succeeded', clientSecret: null, invoice: { id: receipt.id, status: 'paid' } });
    const intent = [...stripe.intents.values()].find((candidate) => candidate.metadata.invoiceId === receipt.id)!;
    expect(intent).toMatchObject({ amount: 5000, currency: 'eur', customer: stripe.customerOf(client.id)!.id });
    expect(stripe.requests.find((request) => request.path === '/v1/payment_intents')?.idempotencyKey).toBe(`invoice-${receipt.id}-attempt-1`);

    const event = stripe.signedEvent('payment_intent.succeeded', intent);
    const first = await webhook(event);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, duplicate: false });
    const replay = await webhook(event);
    expect(await replay.json()).toEqual({ received: true, duplicate: true });
    expect(await transactions(receipt.id)).toEqual([{ type: 'payment', status: 'completed', amount: '50.00', provider_transaction_id: intent.id }]);

    const forged = stripe.signedEvent('charge.refunded', { id: 'ch_forged', refunds: { data: [{ id: 're_forged', amount: 5000, payment_intent: intent.id, status: 'succeeded' }] } }, { secret: 'whsec_notoursatall' });
    const refused = await webhook(forged);
    expect(refused.status).toBe(400);
    const tampered = await webhook({ payload: event.payload.replace('"amount":5000', '"amount":1'), signature: event.signature });
    expect(tampered.status).toBe(400);
    expect(await transactions(receipt.id)).toHaveLength(1);
    // Paying twice is refused.
    expect((await api('POST', `/billing/invoices/${receipt.id}/pay`, { token: client.token, body: { paymentMethodId: card } })).status).toBe(409);
  });

  it('hands 3-D Secure to the browser (requires_action), then the webhook settles it; an older failure arriving late changes nothing', async () => {
    const card = await savedCard(client, { threeDSecure: true, last4: '3155' });
    const receipt = await completedReceipt();
    const answered = await api('POST', `/billing/invoices/${receipt.id}/pay`, { token: client.token, body: { paymentMethodId: card } });
    expect(answered.body).toMatchObject({ status: 'requires_action', invoice: { status: 'issued' } });
    expect(answered.body.clientSecret).toMatch(/^pi_.+_secret_/);
    const intent = [...stripe.intents.values()].find((candidate) => candidate.metadata.invoiceId === receipt.id)!;

    const succeeded = stripe.signedEvent('payment_intent.succeeded', { ...intent, status: 'succeeded' }, { created: 2_000_000_000 });
    const failedEarlier = stripe.signedEvent('payment_intent.payment_failed', { ...intent, status: 'requires_payment_method', last_payment_error: { message: 'authentication failed' } }, { created: 1_999_999_000 });
    expect((await webhook(succeeded)).status).toBe(200);
    expect((await webhook(failedEarlier)).status).toBe(200);
    expect((await api('GET', `/billing/invoices/${receipt.id}`, { token: client.token })).body.status).toBe('paid');
    expect(await transactions(receipt.id)).toEqual([expect.objectContaining({ type: 'payment', status: 'completed' })]);
  });
});

describe('refunds and chargebacks', () => {
  it('refunds part, then the rest (the document is cancelled with a credit note); chargebacks are transactions; replays add nothing', async () => {
    const card = (await api('GET', '/billing/payment-methods', { token: client.token })).body.paymentMethods.find((method: { lastFour: string }) => method.lastFour === '4242').id;
    const receipt = await completedReceipt();
    await api('POST', `/billing/invoices/${receipt.id}/pay`, { token: client.token, body: { paymentMethodId: card } });
    expect((await api('POST', `/billing/invoices/${receipt.id}/refunds`, { token: client.token, body: { amountCents: 1000 } })).status).toBe(403);
    const partial = await api('POST', `/billing/invoices/${receipt.id}/refunds`, { token: therapist.token, body: { amountCents: 1500 } });
    expect(partial.status, JSON.stringify(partial.body)).toBe(200);
    expect(partial.body.status).toBe('paid');
    expect((await api('POST', `/billing/invoices/${receipt.id}/refunds`, { token: therapist.token, body: { amountCents: 3501 } })).status).toBe(400);
    const rest = await api('POST', `/billing/invoices/${receipt.id}/refunds`, { token: therapist.token, body: {} });
    expect(rest.status, JSON.stringify(rest.body)).toBe(200);
    expect(rest.body).toMatchObject({ kind: 'credit_note', creditedInvoiceId: receipt.id, totalCents: 5000 });
    expect((await api('GET', `/billing/invoices/${receipt.id}`, { token: client.token })).body.status).toBe('cancelled');

    const refunds = [...stripe.refunds.values()].filter((refund) => refund.metadata.invoiceId === receipt.id);
    expect(refunds.map((refund) => refund.amount).sort()).toEqual([1500, 3500]);
    expect((await webhook(stripe.signedEvent('charge.refunded', { id: 'ch_1', refunds: { data: refunds } }))).status).toBe(200);
    const intent = [...stripe.intents.values()].find((candidate) => candidate.metadata.invoiceId === receipt.id)!;
    expect((await webhook(stripe.signedEvent('charge.dispute.created', { id: 'dp_1', object: 'dispute', amount: 5000, payment_intent: intent.id }))).status).toBe(200);
    const moved = await transactions(receipt.id);
    expect(moved.filter((row) => row.type === 'refund').map((row) => row.amount).sort()).toEqual(['15.00', '35.00']);
    expect(moved.filter((row) => row.type === 'chargeback')).toEqual([expect.objectContaining({ amount: '50.00', provider_transaction_id: 'dp_1' })]);

    const statement = await api('GET', '/billing/reports/statement', { token: client.token });
    expect(statement.status).toBe(200);
    expect(statement.body.refundedCents).toBeGreaterThanOrEqual(5000 + 5000);
  });
});

describe('upfront payment and fees', () => {
  it('keeps an upfront-paid booking requested until its prepaid document is paid, then confirms it', async () => {
    const start = new Date(Date.now() + 5 * 86_400_000);
    start.setUTCMinutes(0, 0, 0);
    const booked = await api('POST', '/appointments', { token: otherClient.token, body: { therapistId: therapist.id, appointmentTypeId: upfrontType, start: start.toISOString(), isOnline: true } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(booked.body.status).toBe('requested');
    const prepaid = await receiptFor(booked.body.id, otherClient);
    expect(prepaid).toMatchObject({ status: 'issued', totalCents: 5000, kind: 'receipt' });
    const early = await api('POST', `/appointments/${booked.body.id}/confirm`, { token: therapist.token });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('PAYMENT_REQUIRED');

    const card = await savedCard(otherClient);
    const paid = await api('POST', `/billing/invoices/${prepaid.id}/pay`, { token: otherClient.token, body: { paymentMethodId: card } });
    expect(paid.body.status).toBe('succeeded');
    await waitFor(async () => (await api('GET', `/appointments/${booked.body.id}`, { token: otherClient.token })).body.status === 'confirmed', 10_000, 'the paid booking confirmed');
  });

  it('charges late-cancellation and no-show fees by the therapist’s policy', async () => {
    expect((await api('PATCH', '/billing/settings', { token: therapist.token, body: { lateCancellationFeePercentage: 50, noShowFeePercentage: 100 } })).status).toBe(200);
    const soon = new Date(Date.now() + 3 * 3_600_000);
    soon.setUTCMinutes(0, 0, 0);
    const booked = await api('POST', '/appointments', { token: client.token, body: { therapistId: therapist.id, appointmentTypeId: sessionType, start: soon.toISOString(), isOnline: true } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect((await api('POST', `/appointments/${booked.body.id}/cancel`, { token: client.token, body: { reason: 'late' } })).status).toBe(200);
    const lateFee = await receiptFor(booked.body.id);
    expect(lateFee).toMatchObject({ totalCents: 2500, lines: [expect.objectContaining({ unitCents: 2500 })] });
    expect(lateFee.lines[0]!.description).toMatch(/καθυστερημένης ακύρωσης/);

    const missed = await startedAppointment(node.platform, therapist.id, client.id, sessionType);
    expect((await api('POST', `/appointments/${missed}/no-show`, { token: therapist.token })).status).toBe(200);
    const noShowFee = await receiptFor(missed);
    expect(noShowFee).toMatchObject({ totalCents: 5000 });
    expect(noShowFee.lines[0]!.description).toMatch(/μη προσέλευσης/);
  });
});
