import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type TherapyFieldClient } from '@therapy-field/client-sdk';
import { signUp, TEST_PASSWORD } from '../support/accounts.js';
import { addRate, createBillingType, startedAppointment } from '../support/billing.js';
import { apiClient, type ApiRequest } from '../support/http.js';
import { pdfLines } from '../support/pdf.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { createAccounts, createListedTherapist, type Account } from '../support/scheduling.js';
import { restOnlyClient } from '../support/sdk.js';
import { waitFor } from '../support/wait.js';

let node: TestPlatform;
let api: ApiRequest;
let sdk: TherapyFieldClient<never>;
let therapist: Account;
let clientId: string;
let typeId: string;

beforeAll(async () => {
  node = await startTestPlatform();
  api = apiClient(node.url);
  const [admin] = (await createAccounts(node.platform, 'super_admin', 1)) as [Account];
  typeId = await createBillingType(api, admin, 'Συνεδρία');
  therapist = await createListedTherapist(api, node.platform, admin);
  await addRate(api, therapist, { appointmentTypeId: typeId, amount: 55.5, effectiveFrom: '2020-01-01' });
  const client = await signUp(api, node.platform.database.owner);
  clientId = client.id;
  sdk = await restOnlyClient(node.url);
  await sdk.auth.login(client.email, TEST_PASSWORD);
});
afterAll(async () => {
  await sdk?.close();
  await node?.close();
});

describe('billing through the SDK', () => {
  it('quotes a price, lists and reads the client’s receipt, downloads its PDF and the statement', async () => {
    const start = new Date(Date.now() + 2 * 86_400_000).toISOString();
    expect(await sdk.api.billing.quote({ therapistId: therapist.id, appointmentTypeId: typeId, start })).toMatchObject({ priceCents: 5550, billedTo: 'client', requiresPaymentUpfront: false });

    const appointmentId = await startedAppointment(node.platform, therapist.id, clientId, typeId);
    expect((await api('POST', `/appointments/${appointmentId}/complete`, { token: therapist.token })).status).toBe(200);
    await waitFor(async () => (await sdk.api.billing.charge(appointmentId)).invoiceId !== null, 20_000, 'the receipt');
    const { invoices } = await sdk.api.billing.invoices({ status: 'issued' });
    expect(invoices).toHaveLength(1);
    const receipt = await sdk.api.billing.invoice(invoices[0]!.id);
    expect(receipt).toMatchObject({ totalCents: 5550, clientId, appointmentId });

    const pdf = await sdk.api.billing.invoicePdf(receipt.id, 'en');
    expect(pdf).toBeInstanceOf(Uint8Array);
    expect(await pdfLines(pdf)).toContain('Total: €55.50');
    expect(await sdk.api.billing.statement()).toMatchObject({ outstandingCents: 5550, paidCents: 0 });
    expect((await sdk.api.billing.outstanding()).invoices.map((invoice) => invoice.id)).toEqual([receipt.id]);

    // Without Stripe keys on this server, saving a card is refused with a clear code, not a crash.
    const refused = await sdk.api.billing.cardSetup().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('PAYMENTS_NOT_CONFIGURED');
    const cancel = await sdk.api.billing.cancel(receipt.id).catch((error: unknown) => error);
    expect((cancel as AppError).code).toBe('FORBIDDEN');
  });
});
