import type { Invoice } from '@therapy-field/sync';
import type { Party } from './invoices.repository.js';
import { decimalFromCents } from './money.js';

export interface MyDataDocument {
  invoice: Invoice;
  issuer: Party;
  recipient: Party;
  classification: { classificationCategory: string; classificationType: string };
  /** The myDATA mark of the document a credit note corrects. */
  correlatedMark?: string | null;
}

/** Where issued documents go for Greek e-invoicing (AADE myDATA); answers the document's mark and uid. */
export interface MyDataTransmitter {
  send(document: MyDataDocument): Promise<{ mark: string; uid: string }>;
}

const escape = (text: string) => text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
const element = (name: string, content: string | number) => `<${name}>${content}</${name}>`;
const amount = (cents: number) => decimalFromCents(cents);

function party(name: 'issuer' | 'counterpart', who: Party): string {
  return `<${name}>${element('vatNumber', escape(who.taxId ?? ''))}${element('country', 'GR')}${element('branch', 0)}</${name}>`;
}

function classification(document: MyDataDocument, cents: number, prefix = 'icls:'): string {
  const { classificationType, classificationCategory } = document.classification;
  return `<incomeClassification>${element(`${prefix}classificationType`, classificationType)}${element(`${prefix}classificationCategory`, classificationCategory)}${element(`${prefix}amount`, amount(cents))}</incomeClassification>`;
}

/** The `InvoicesDoc` XML body of `SendInvoices` (myDATA REST API v1.0.x), one document. */
export function invoicesDoc(document: MyDataDocument): string {
  const { invoice } = document;
  const retail = invoice.mydata.invoiceType?.startsWith('11.') ?? false;
  const header =
    element('series', escape(invoice.series ?? '')) +
    element('aa', invoice.sequenceNumber ?? 0) +
    element('issueDate', invoice.invoiceDate) +
    element('invoiceType', invoice.mydata.invoiceType ?? '') +
    element('currency', invoice.currency) +
    (document.correlatedMark ? element('correlatedInvoices', escape(document.correlatedMark)) : '');
  const details = invoice.lines
    .map(
      (line, index) =>
        `<invoiceDetails>${element('lineNumber', index + 1)}${element('netValue', amount(line.netCents))}${element('vatCategory', line.vatCategory)}${element('vatAmount', amount(line.vatCents))}` +
        (line.vatExemptionCategory ? element('vatExemptionCategory', line.vatExemptionCategory) : '') +
        `${classification(document, line.netCents)}</invoiceDetails>`,
    )
    .join('');
  const summary =
    element('totalNetValue', amount(invoice.subtotalCents)) +
    element('totalVatAmount', amount(invoice.vatCents)) +
    ['totalWithheldAmount', 'totalFeesAmount', 'totalStampDutyAmount', 'totalOtherTaxesAmount', 'totalDeductionsAmount'].map((name) => element(name, '0.00')).join('') +
    element('totalGrossValue', amount(invoice.totalCents)) +
    classification(document, invoice.subtotalCents);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<InvoicesDoc xmlns="http://www.aade.gr/myDATA/invoice/v1.0" xmlns:icls="https://www.aade.gr/myDATA/incomeClassificaton/v1.0">` +
    `<invoice>${party('issuer', document.issuer)}${retail ? '' : party('counterpart', document.recipient)}` +
    `<invoiceHeader>${header}</invoiceHeader>` +
    `<paymentMethods><paymentMethodDetails>${element('type', 7)}${element('amount', amount(invoice.totalCents))}</paymentMethodDetails></paymentMethods>` +
    `${details}<invoiceSummary>${summary}</invoiceSummary></invoice></InvoicesDoc>`
  );
}

/** The real service: `POST {baseUrl}/SendInvoices` with the user id and subscription key headers AADE issues. */
export class HttpMyDataTransmitter implements MyDataTransmitter {
  constructor(private readonly options: { baseUrl: string; userId: string; subscriptionKey: string }) {}

  async send(document: MyDataDocument): Promise<{ mark: string; uid: string }> {
    const response = await fetch(new URL('SendInvoices', this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`), {
      method: 'POST',
      headers: { 'aade-user-id': this.options.userId, 'Ocp-Apim-Subscription-Key': this.options.subscriptionKey, 'content-type': 'application/xml' },
      body: invoicesDoc(document),
      signal: AbortSignal.timeout(15_000),
    });
    const body = await response.text();
    const status = /<statusCode>([^<]*)<\/statusCode>/.exec(body)?.[1];
    const mark = /<invoiceMark>([^<]*)<\/invoiceMark>/.exec(body)?.[1];
    const uid = /<invoiceUid>([^<]*)<\/invoiceUid>/.exec(body)?.[1];
    if (!response.ok || status !== 'Success' || !mark || !uid) throw new Error(`myDATA refused the document: HTTP ${response.status} ${status ?? ''}`);
    return { mark, uid };
  }
}
