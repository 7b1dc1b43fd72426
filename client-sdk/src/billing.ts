import type { z } from 'zod';
import type {
  appointmentChargeSchema,
  billingSettingsSchema,
  billingSettingsUpdateSchema,
  clientStatementSchema,
  incomeReportSchema,
  invoiceListQuerySchema,
  invoiceListSchema,
  invoiceSchema,
  paymentMethodListSchema,
  paymentMethodSchema,
  paymentResultSchema,
  payoutListSchema,
  priceQuoteQuerySchema,
  priceQuoteSchema,
} from '@therapy-field/sync';
import { path, withQuery, type HttpClient } from './http.js';

type Reply<Schema extends z.ZodType> = z.output<Schema>;
type Invoice = Reply<typeof invoiceSchema>;

/** Billing: prices, documents and their PDFs, saved cards and payments, payouts and reports. Amounts are whole cents. */
export function billingApi(http: HttpClient) {
  return {
    /**
     * The price a booking would have, shown before booking (the booking freezes it).
     * @example
     * const { priceCents, requiresPaymentUpfront } = await client.api.billing.quote({ therapistId, appointmentTypeId, start: slot.start });
     */
    quote: (query: z.input<typeof priceQuoteQuerySchema>) => http.request<Reply<typeof priceQuoteSchema>>('GET', withQuery('/billing/quote', query)),
    /**
     * An appointment's frozen price and its document, if issued.
     * @example
     * const { priceCents, invoiceId } = await client.api.billing.charge(appointmentId);
     */
    charge: (appointmentId: string) => http.request<Reply<typeof appointmentChargeSchema>>('GET', path`/billing/appointments/${appointmentId}`),
    /**
     * The caller's documents: a client's own, a therapist's issued ones, a company admin's company's (pass `businessId`).
     * @example
     * const { invoices } = await client.api.billing.invoices({ status: 'issued' });
     */
    invoices: (query: z.input<typeof invoiceListQuerySchema> = {}) =>
      http.request<Reply<typeof invoiceListSchema>>('GET', withQuery('/billing/invoices', query)),
    /**
     * One document.
     * @example
     * const invoice = await client.api.billing.invoice(invoiceId);
     */
    invoice: (invoiceId: string) => http.request<Invoice>('GET', path`/billing/invoices/${invoiceId}`),
    /**
     * One document as a PDF, in Greek or English (its own language when left out).
     * @example
     * const pdf = await client.api.billing.invoicePdf(invoiceId, 'en');
     * const url = URL.createObjectURL(new Blob([pdf], { type: 'application/pdf' }));
     */
    invoicePdf: (invoiceId: string, lang?: 'el' | 'en') => http.request<Uint8Array>('GET', withQuery(path`/billing/invoices/${invoiceId}/pdf`, { lang })),
    /**
     * Cancels a document (the issuer): it keeps its number; answers its credit note.
     * @example
     * const creditNote = await therapist.api.billing.cancel(invoiceId);
     */
    cancel: (invoiceId: string) => http.request<Invoice>('POST', path`/billing/invoices/${invoiceId}/cancel`),
    /**
     * Pays the client's document with a saved card. `requires_action`: finish 3-D Secure in the
     * browser with Stripe.js (`stripe.handleNextAction({ clientSecret })`); the document turns paid
     * when Stripe tells the server (a `billing.invoice` live event).
     * @example
     * const result = await client.api.billing.pay(invoiceId, paymentMethodId);
     * if (result.status === 'requires_action') await stripe.handleNextAction({ clientSecret: result.clientSecret! });
     */
    pay: (invoiceId: string, paymentMethodId: string) => http.request<Reply<typeof paymentResultSchema>>('POST', path`/billing/invoices/${invoiceId}/pay`, { paymentMethodId }),
    /**
     * Refunds part (`amountCents`) or the rest of a paid document (its issuer).
     * @example
     * await therapist.api.billing.refund(invoiceId, 1500);
     */
    refund: (invoiceId: string, amountCents?: number) => http.request<Invoice>('POST', path`/billing/invoices/${invoiceId}/refunds`, amountCents === undefined ? {} : { amountCents }),
    /**
     * The client's saved cards (brand and last four digits).
     * @example
     * const { paymentMethods } = await client.api.billing.cards();
     */
    cards: () => http.request<Reply<typeof paymentMethodListSchema>>('GET', '/billing/payment-methods'),
    /**
     * Starts saving a card: the SetupIntent secret for Stripe.js's card form (`stripe.confirmCardSetup`).
     * @example
     * const { clientSecret } = await client.api.billing.cardSetup();
     */
    cardSetup: () => http.request<{ clientSecret: string }>('POST', '/billing/payment-methods/setup'),
    /**
     * Saves the card Stripe.js set up, by its payment method id (never a card number).
     * @example
     * const card = await client.api.billing.saveCard(setupIntent.payment_method);
     */
    saveCard: (providerPaymentMethodId: string) => http.request<Reply<typeof paymentMethodSchema>>('POST', '/billing/payment-methods', { providerPaymentMethodId }),
    /**
     * The therapist's billing terms.
     * @example
     * const { vatExempt } = await therapist.api.billing.settings();
     */
    settings: () => http.request<Reply<typeof billingSettingsSchema>>('GET', '/billing/settings'),
    /**
     * Changes the therapist's billing terms (VAT exemption, per-type exemptions, fees, issuer details).
     * @example
     * await therapist.api.billing.updateSettings({ noShowFeePercentage: 100 });
     */
    updateSettings: (changes: z.input<typeof billingSettingsUpdateSchema>) => http.request<Reply<typeof billingSettingsSchema>>('PATCH', '/billing/settings', changes),
    /**
     * The therapist's payouts.
     * @example
     * const { payouts } = await therapist.api.billing.payouts();
     */
    payouts: () => http.request<Reply<typeof payoutListSchema>>('GET', '/billing/payouts'),
    /**
     * A payout statement as a PDF.
     * @example
     * const pdf = await therapist.api.billing.payoutPdf(payoutId, 'el');
     */
    payoutPdf: (payoutId: string, lang?: 'el' | 'en') => http.request<Uint8Array>('GET', withQuery(path`/billing/payouts/${payoutId}/pdf`, { lang })),
    /**
     * The therapist's income by month.
     * @example
     * const { months } = await therapist.api.billing.income();
     */
    income: () => http.request<Reply<typeof incomeReportSchema>>('GET', '/billing/reports/income'),
    /**
     * Documents the caller may see that are still to be paid.
     * @example
     * const { invoices } = await client.api.billing.outstanding();
     */
    outstanding: (businessId?: string) => http.request<Reply<typeof invoiceListSchema>>('GET', withQuery('/billing/reports/outstanding', { businessId })),
    /**
     * The client's statement: documents, paid, refunded and owed.
     * @example
     * const { outstandingCents } = await client.api.billing.statement();
     */
    statement: () => http.request<Reply<typeof clientStatementSchema>>('GET', '/billing/reports/statement'),
  };
}
