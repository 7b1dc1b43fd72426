import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAsSystem, runAsUser } from '@therapy-field/server';
import type { BillingInvoiceEvent, Invoice } from '@therapy-field/sync';
import { addRate, createBillingType, startedAppointment } from '../../support/billing.js';
import { apiClient, type ApiRequest, apiUrl } from '../../support/http.js';
import { MyDataStandIn } from '../../support/mydata-stand-in.js';
import { pdfLines } from '../../support/pdf.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { createAccounts, createListedTherapist, everyDay, sql, type Account } from '../../support/scheduling.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';
import { waitFor } from '../../support/wait.js';

// myDATA (AADE) cannot be reached from here: documents go to a local stand-in speaking its request shape.
let mydata: MyDataStandIn;
let node: TestPlatform;
let api: ApiRequest;
let admin: Account;
let therapist: Account;
let otherTherapist: Account;
let client: Account;
let otherClient: Account;
let companyAdmin: Account;
let sessionType: string;
let workshopType: string;
const sockets: ClientSocket[] = [];
const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Athens', year: 'numeric' }).format(new Date());

async function complete(appointmentId: string, by: Account = therapist): Promise<Invoice> {
  const completed = await api('POST', `/appointments/${appointmentId}/complete`, { token: by.token });
  expect(completed.status, JSON.stringify(completed.body)).toBe(200);
  let invoice: Invoice | undefined;
  await waitFor(async () => {
    const charge = await api('GET', `/billing/appointments/${appointmentId}`, { token: by.token });
    if (!charge.body.invoiceId) return false;
    invoice = (await api('GET', `/billing/invoices/${charge.body.invoiceId}`, { token: by.token })).body;
    return invoice?.mydata.status === 'transmitted';
  }, 20_000, 'the receipt of the completed session');
  return invoice!;
}

beforeAll(async () => {
  mydata = await MyDataStandIn.start();
  node = await startTestPlatform({ MYDATA_URL: mydata.url, MYDATA_USER_ID: 'tf-test', MYDATA_SUBSCRIPTION_KEY: 'stand-in-key' });
  api = apiClient(node.url);
  [admin] = (await createAccounts(node.platform, 'super_admin', 1)) as [Account];
  [client, otherClient] = (await createAccounts(node.platform, 'client', 2)) as [Account, Account];
  [companyAdmin] = (await createAccounts(node.platform, 'business_admin', 1)) as [Account];
  sessionType = await createBillingType(api, admin, 'Ατομική συνεδρία');
  workshopType = await createBillingType(api, admin, 'Εργαστήριο');
  therapist = await createListedTherapist(api, node.platform, admin, { templates: everyDay('00:00', '23:59') });
  otherTherapist = await createListedTherapist(api, node.platform, admin);
  await addRate(api, therapist, { appointmentTypeId: sessionType, amount: 60, effectiveFrom: '2020-01-01', slidingScaleAvailable: true, slidingScaleMinimum: 35 });
  await addRate(api, therapist, { appointmentTypeId: workshopType, amount: 40, effectiveFrom: '2020-01-01' });
  await addRate(api, otherTherapist, { appointmentTypeId: sessionType, amount: 50, effectiveFrom: '2020-01-01' });
});
afterAll(async () => {
  sockets.forEach((socket) => socket.close());
  await node?.close();
  await mydata?.close();
});

describe('prices', () => {
  it('shows the price before booking and freezes it on the appointment; a later rate changes only later bookings', async () => {
    const start = new Date(Date.now() + 3 * 86_400_000);
    start.setUTCMinutes(0, 0, 0);
    const quote = await api('GET', `/billing/quote?therapistId=${therapist.id}&appointmentTypeId=${sessionType}&start=${encodeURIComponent(start.toISOString())}`, { token: client.token });
    expect(quote.status, JSON.stringify(quote.body)).toBe(200);
    expect(quote.body).toMatchObject({ priceCents: 6000, listPriceCents: 6000, slidingScaleMinimumCents: 3500, billedTo: 'client', currency: 'EUR', requiresPaymentUpfront: false });

    const booked = await api('POST', '/appointments', { token: client.token, body: { therapistId: therapist.id, appointmentTypeId: sessionType, start: start.toISOString(), isOnline: true } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Athens' }).format(new Date());
    await addRate(api, otherTherapist, { appointmentTypeId: sessionType, amount: 80, effectiveFrom: today });
    await addRate(api, therapist, { appointmentTypeId: sessionType, amount: 75, effectiveFrom: today, slidingScaleAvailable: true, slidingScaleMinimum: 35 });

    const charge = await api('GET', `/billing/appointments/${booked.body.id}`, { token: client.token });
    expect(charge.body).toMatchObject({ priceCents: 6000, billedTo: 'client', invoiceId: null });
    const later = await api('GET', `/billing/quote?therapistId=${therapist.id}&appointmentTypeId=${sessionType}&start=${encodeURIComponent(start.toISOString())}`, { token: client.token });
    expect(later.body.priceCents).toBe(7500);
    // Someone else's appointment's price does not exist for them.
    expect((await api('GET', `/billing/appointments/${booked.body.id}`, { token: otherClient.token })).status).toBe(404);
  });

  it('lets the therapist agree a sliding-scale price down to the minimum, not below', async () => {
    const appointmentId = await startedAppointment(node.platform, therapist.id, client.id, sessionType);
    const tooLow = await api('PUT', `/billing/appointments/${appointmentId}/price`, { token: therapist.token, body: { priceCents: 3499 } });
    expect(tooLow.status).toBe(409);
    expect((await api('PUT', `/billing/appointments/${appointmentId}/price`, { token: client.token, body: { priceCents: 4000 } })).status).toBe(404);
    const agreed = await api('PUT', `/billing/appointments/${appointmentId}/price`, { token: therapist.token, body: { priceCents: 4000 } });
    expect(agreed.status, JSON.stringify(agreed.body)).toBe(200);
    const receipt = await complete(appointmentId);
    expect(receipt.totalCents).toBe(4000);
    expect((await api('PUT', `/billing/appointments/${appointmentId}/price`, { token: therapist.token, body: { priceCents: 3600 } })).status).toBe(409);
  });
});

describe('receipts', () => {
  it('issues one receipt per completed session, exempt from VAT by default with the legal reason, sent to myDATA', async () => {
    const socket = await connectSocket(node.url, { token: client.token });
    sockets.push(socket);
    const events: BillingInvoiceEvent[] = [];
    socket.on('billing.invoice', (event) => events.push(event));

    const appointmentId = await startedAppointment(node.platform, therapist.id, client.id, sessionType);
    const receipt = await complete(appointmentId);
    expect(receipt).toMatchObject({
      kind: 'receipt',
      status: 'issued',
      series: 'R',
      fiscalYear: Number(year),
      therapistId: therapist.id,
      clientId: client.id,
      appointmentId,
      // Held ten days ago: priced by the rate in force then (€60), not today's €75.
      subtotalCents: 6000,
      vatCents: 0,
      totalCents: 6000,
      mydata: { invoiceType: '11.2', status: 'transmitted' },
    });
    expect(receipt.number).toBe(`R-${year}-${String(receipt.sequenceNumber).padStart(6, '0')}`);
    expect(receipt.lines).toEqual([expect.objectContaining({ quantity: 1, unitCents: 6000, netCents: 6000, vatRate: 0, vatCents: 0, vatCategory: 7, vatExemptionCategory: 7 })]);
    expect(receipt.exemptionReason).toContain('άρθρου 22');
    expect(receipt.mydata.mark).toMatch(/^\d+$/);
    await waitFor(() => events.some((event) => event.invoiceId === receipt.id && event.status === 'issued'), 10_000, 'the live billing.invoice event');

    const sent = mydata.requests.find((request) => request.body.includes(`<aa>${receipt.sequenceNumber}</aa>`) && request.body.includes('<series>R</series>'));
    expect(sent?.headers['aade-user-id']).toBe('tf-test');
    expect(sent?.headers['ocp-apim-subscription-key']).toBe('stand-in-key');
    expect(sent?.body).toContain('<invoiceType>11.2</invoiceType>');
    expect(sent?.body).toContain('<vatCategory>7</vatCategory><vatAmount>0.00</vatAmount><vatExemptionCategory>7</vatExemptionCategory>');
    expect(sent?.body).toContain('<icls:classificationType>E3_561_003</icls:classificationType><icls:classificationCategory>category1_3</icls:classificationCategory><icls:amount>60.00</icls:amount>');
    expect(sent?.body).toContain('<totalGrossValue>60.00</totalGrossValue>');

    // Completing the event twice (a redelivered event) issues nothing more.
    await runAsSystem(() => node.platform.billing.service.invoices.issueForAppointment(appointmentId, 'session'));
    const [{ count }] = (await sql<{ count: number }>(node.platform, `SELECT count(*)::int AS count FROM invoices WHERE appointment_id = :appointmentId`, { appointmentId })) as [{ count: number }];
    expect(count).toBe(1);
  });

  it('charges 24% VAT when the therapist is not exempt, and keeps the exemption per appointment type', async () => {
    const updated = await api('PATCH', '/billing/settings', {
      token: therapist.token,
      body: { vatExempt: false, taxId: '123456789', businessName: 'Γραφείο Ψυχοθεραπείας Α.', vatExemptTypes: [{ appointmentTypeId: workshopType, vatExempt: true }] },
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body).toMatchObject({ vatExempt: false, platformFeePercentage: 20, vatExemptTypes: [{ appointmentTypeId: workshopType, vatExempt: true }] });

    const taxed = await complete(await startedAppointment(node.platform, therapist.id, client.id, sessionType));
    expect(taxed).toMatchObject({ subtotalCents: 6000, vatCents: 1440, totalCents: 7440, exemptionReason: null });
    expect(taxed.lines[0]).toMatchObject({ vatRate: 2400, vatCents: 1440, vatCategory: 1, vatExemptionCategory: null });
    const workshop = await complete(await startedAppointment(node.platform, therapist.id, client.id, workshopType));
    expect(workshop).toMatchObject({ subtotalCents: 4000, vatCents: 0, totalCents: 4000 });
    expect(workshop.exemptionReason).toContain('άρθρου 22');
    expect(workshop.sequenceNumber).toBe(taxed.sequenceNumber! + 1);

    // The PDF in Greek and in English, read back: issuer, lines, VAT and totals as on the document.
    const greek = await fetch(apiUrl(node.url, `/billing/invoices/${taxed.id}/pdf?lang=el`), { headers: { authorization: `Bearer ${client.token}` } });
    expect(greek.status).toBe(200);
    expect(greek.headers.get('content-type')).toBe('application/pdf');
    const greekLines = await pdfLines(new Uint8Array(await greek.arrayBuffer()));
    expect(greekLines).toContain('ΑΠΟΔΕΙΞΗ ΠΑΡΟΧΗΣ ΥΠΗΡΕΣΙΩΝ');
    expect(greekLines).toContain(`Αριθμός: ${taxed.number}`);
    expect(greekLines).toContain('Γραφείο Ψυχοθεραπείας Α.');
    expect(greekLines).toContain('ΑΦΜ: 123456789');
    expect(greekLines.some((line) => line.startsWith('Συνεδρία: Ατομική συνεδρία') && line.endsWith('| 1 | 60,00 € | 24% 14,40 € | 60,00 €'))).toBe(true);
    expect(greekLines).toContain('Καθαρή αξία: 60,00 €');
    expect(greekLines).toContain('ΦΠΑ: 14,40 €');
    expect(greekLines).toContain('Σύνολο: 74,40 €');
    const english = await fetch(apiUrl(node.url, `/billing/invoices/${workshop.id}/pdf?lang=en`), { headers: { authorization: `Bearer ${therapist.token}` } });
    const englishLines = await pdfLines(new Uint8Array(await english.arrayBuffer()));
    expect(englishLines).toContain('RECEIPT FOR SERVICES');
    expect(englishLines).toContain('Total: €40.00');
    expect(englishLines.join(' ')).toContain('Exempt from VAT under article 22 of the Greek VAT Code');
    // Nobody else downloads it.
    const stranger = await fetch(apiUrl(node.url, `/billing/invoices/${taxed.id}/pdf`), { headers: { authorization: `Bearer ${otherClient.token}` } });
    expect(stranger.status).toBe(404);
  });

  it('cancels a document into a credit note, never deleting it; only the issuer may', async () => {
    const receipt = await complete(await startedAppointment(node.platform, therapist.id, client.id, sessionType));
    expect((await api('POST', `/billing/invoices/${receipt.id}/cancel`, { token: client.token })).status).toBe(403);
    const cancelled = await api('POST', `/billing/invoices/${receipt.id}/cancel`, { token: therapist.token });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(201);
    expect(cancelled.body).toMatchObject({ kind: 'credit_note', series: 'CN', creditedInvoiceId: receipt.id, totalCents: receipt.totalCents, vatCents: receipt.vatCents, mydata: { invoiceType: '11.4' } });
    const original = await api('GET', `/billing/invoices/${receipt.id}`, { token: client.token });
    expect(original.body).toMatchObject({ status: 'cancelled', number: receipt.number });
    expect((await api('POST', `/billing/invoices/${receipt.id}/cancel`, { token: therapist.token })).status).toBe(409);
    const lines = await pdfLines(new Uint8Array(await (await fetch(apiUrl(node.url, `/billing/invoices/${cancelled.body.id}/pdf?lang=en`), { headers: { authorization: `Bearer ${client.token}` } })).arrayBuffer()));
    expect(lines).toContain('CREDIT NOTE');
    expect(lines).toContain(`Credits document: ${receipt.number}`);
  });
});

describe('numbering', () => {
  it('numbers each issuer’s series without gaps while issuers issue in parallel, even when an issue fails and rolls back', async () => {
    const issuers = [therapist, otherTherapist];
    const failingType = await createBillingType(api, admin, 'Αποτυχία');
    for (const issuer of issuers) await addRate(api, issuer, { appointmentTypeId: failingType, amount: 30, effectiveFrom: '2020-01-01' });
    // A failure after the number is taken: the document's line is refused, its transaction rolls back.
    await node.platform.database.owner.query(`
      CREATE FUNCTION test_refuse_line() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.description LIKE '%Αποτυχία%' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER test_refuse_line BEFORE INSERT ON invoice_items FOR EACH ROW EXECUTE FUNCTION test_refuse_line();`);
    const appointments: Array<{ issuer: Account; id: string; fails: boolean }> = [];
    for (const issuer of issuers) {
      for (let index = 0; index < 12; index++) {
        const fails = index % 4 === 3;
        appointments.push({ issuer, fails, id: await startedAppointment(node.platform, issuer.id, index % 2 ? client.id : otherClient.id, fails ? failingType : sessionType, 'completed') });
      }
    }
    const results = await Promise.allSettled(appointments.map((appointment) => node.platform.billing.service.invoices.issueForAppointment(appointment.id, 'session')));
    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(appointments.filter((appointment) => appointment.fails).length);
    await node.platform.database.owner.query(`DROP TRIGGER test_refuse_line ON invoice_items; DROP FUNCTION test_refuse_line();`);

    for (const issuer of issuers) {
      const numbers = await sql<{ sequence_number: number; invoice_number: string }>(
        node.platform,
        `SELECT sequence_number, invoice_number FROM invoices WHERE issuer_key = :issuer AND series = 'R' AND fiscal_year = :year ORDER BY sequence_number`,
        { issuer: issuer.id, year: Number(year) },
      );
      expect(numbers.map((row) => row.sequence_number)).toEqual(numbers.map((_, index) => index + 1));
      expect(new Set(numbers.map((row) => row.invoice_number)).size).toBe(numbers.length);
    }
  });
});

describe('who sees a document', () => {
  it('shows a client only their documents, a therapist only theirs, a company admin none of a person’s; row-level security agrees', async () => {
    const receipt = await complete(await startedAppointment(node.platform, therapist.id, client.id, sessionType));
    const mine = await api('GET', '/billing/invoices', { token: client.token });
    expect(mine.body.invoices.map((invoice: Invoice) => invoice.id)).toContain(receipt.id);
    expect(mine.body.invoices.every((invoice: Invoice) => invoice.clientId === client.id)).toBe(true);
    expect((await api('GET', '/billing/invoices', { token: otherTherapist.token })).body.invoices.every((invoice: Invoice) => invoice.therapistId === otherTherapist.id)).toBe(true);
    for (const outsider of [otherClient, otherTherapist, companyAdmin]) {
      expect((await api('GET', `/billing/invoices/${receipt.id}`, { token: outsider.token })).status).toBe(404);
    }
    // The database refuses what code might forget: as the other client, the row is not there.
    const seen = await runAsUser({ id: otherClient.id, role: 'client' }, () =>
      node.platform.database.sequelize.query(`SELECT id FROM invoices WHERE id = :id UNION ALL SELECT invoice_id FROM invoice_items WHERE invoice_id = :id`, { replacements: { id: receipt.id }, type: 'SELECT' as never }),
    );
    expect(seen).toEqual([]);
    const own = await runAsUser({ id: client.id, role: 'client' }, () =>
      node.platform.database.sequelize.query(`SELECT id FROM invoices WHERE id = :id`, { replacements: { id: receipt.id }, type: 'SELECT' as never }),
    );
    expect(own).toHaveLength(1);
  });
});
