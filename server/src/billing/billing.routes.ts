import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  appointmentChargeSchema,
  billingIdParamsSchema,
  billingSettingsSchema,
  billingSettingsUpdateSchema,
  cardSetupSchema,
  clientStatementSchema,
  companyInvoiceRunRequestSchema,
  incomeReportSchema,
  invoiceListQuerySchema,
  invoiceListSchema,
  invoiceSchema,
  payInvoiceRequestSchema,
  paymentMethodListSchema,
  paymentMethodSchema,
  paymentResultSchema,
  payoutListSchema,
  payoutRunRequestSchema,
  payoutSchema,
  payoutStatusRequestSchema,
  pdfLanguageQuerySchema,
  platformFeeRequestSchema,
  priceQuoteQuerySchema,
  priceQuoteSchema,
  refundRequestSchema,
  savePaymentMethodRequestSchema,
  slidingScalePriceRequestSchema,
} from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, type AppEnv } from '../http/index.js';
import type { BillingService } from './billing.service.js';

const secured = [{ bearerAuth: [] }];
const pdf = (description: string) => ({ description, content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } });

export interface BillingRouteDeps {
  billing: BillingService;
  authenticated: MiddlewareHandler<AppEnv>;
  superAdmin: MiddlewareHandler<AppEnv>;
}

/** `/billing/*`: prices, documents and their PDFs, cards and payments, the provider's webhook, payouts, reports. */
export function billingRoutes({ billing, authenticated, superAdmin }: BillingRouteDeps): OpenAPIHono<AppEnv> {
  const signedIn = { security: secured, middleware: authenticated };
  const admin = { security: secured, middleware: superAdmin };
  const tags = ['billing'];
  const routes = {
    quote: createRoute({
      method: 'get', path: '/billing/quote', tags, summary: 'The price a booking would have (shown before booking, frozen on the appointment)', ...signedIn,
      request: { query: priceQuoteQuerySchema },
      responses: { 200: jsonContent(priceQuoteSchema, 'Price'), ...errorResponses(400, 401) },
    }),
    charge: createRoute({
      method: 'get', path: '/billing/appointments/{id}', tags, summary: 'An appointment’s frozen price and its document', ...signedIn,
      request: { params: billingIdParamsSchema },
      responses: { 200: jsonContent(appointmentChargeSchema, 'Charge'), ...errorResponses(400, 401, 404) },
    }),
    slidingScale: createRoute({
      method: 'put', path: '/billing/appointments/{id}/price', tags, summary: 'The therapist sets a sliding-scale price (not below the rate’s minimum) before the document is issued', ...signedIn,
      request: { params: billingIdParamsSchema, body: jsonBody(slidingScalePriceRequestSchema) },
      responses: { 200: jsonContent(appointmentChargeSchema, 'Charge'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    invoices: createRoute({
      method: 'get', path: '/billing/invoices', tags, summary: 'My documents (client: mine; therapist: issued by me; company admin: the company’s, with businessId)', ...signedIn,
      request: { query: invoiceListQuerySchema },
      responses: { 200: jsonContent(invoiceListSchema, 'Documents'), ...errorResponses(400, 401, 403) },
    }),
    invoice: createRoute({
      method: 'get', path: '/billing/invoices/{id}', tags, summary: 'One document', ...signedIn,
      request: { params: billingIdParamsSchema },
      responses: { 200: jsonContent(invoiceSchema, 'Document'), ...errorResponses(400, 401, 404) },
    }),
    invoicePdf: createRoute({
      method: 'get', path: '/billing/invoices/{id}/pdf', tags, summary: 'One document as PDF, in Greek or English', ...signedIn,
      request: { params: billingIdParamsSchema, query: pdfLanguageQuerySchema },
      responses: { 200: pdf('PDF'), ...errorResponses(400, 401, 404) },
    }),
    cancel: createRoute({
      method: 'post', path: '/billing/invoices/{id}/cancel', tags, summary: 'Cancel a document: it keeps its number, a credit note is issued (answered)', ...signedIn,
      request: { params: billingIdParamsSchema },
      responses: { 201: jsonContent(invoiceSchema, 'Credit note'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    pay: createRoute({
      method: 'post', path: '/billing/invoices/{id}/pay', tags, summary: 'Pay my document with a saved card (requires_action: finish 3-D Secure in the browser)', ...signedIn,
      request: { params: billingIdParamsSchema, body: jsonBody(payInvoiceRequestSchema) },
      responses: { 200: jsonContent(paymentResultSchema, 'Payment'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    refund: createRoute({
      method: 'post', path: '/billing/invoices/{id}/refunds', tags, summary: 'Refund part or all of a paid document (the issuer)', ...signedIn,
      request: { params: billingIdParamsSchema, body: jsonBody(refundRequestSchema) },
      responses: { 200: jsonContent(invoiceSchema, 'Document (a full refund: its credit note)'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    cards: createRoute({
      method: 'get', path: '/billing/payment-methods', tags, summary: 'My saved cards (brand and last four digits)', ...signedIn,
      responses: { 200: jsonContent(paymentMethodListSchema, 'Cards'), ...errorResponses(401) },
    }),
    cardSetup: createRoute({
      method: 'post', path: '/billing/payment-methods/setup', tags, summary: 'Start saving a card: the secret the browser’s card form confirms', ...signedIn,
      responses: { 200: jsonContent(cardSetupSchema, 'Setup'), ...errorResponses(401, 403, 409) },
    }),
    saveCard: createRoute({
      method: 'post', path: '/billing/payment-methods', tags, summary: 'Save the card the browser set up (its provider id; never a card number)', ...signedIn,
      request: { body: jsonBody(savePaymentMethodRequestSchema) },
      responses: { 201: jsonContent(paymentMethodSchema, 'Card'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    webhook: createRoute({
      method: 'post', path: '/billing/webhooks/stripe', tags, summary: 'Stripe’s signed events (raw JSON body, Stripe-Signature header); each applies once',
      request: { headers: z.object({ 'stripe-signature': z.string().min(1).max(2000) }) },
      responses: { 200: jsonContent(z.object({ received: z.literal(true), duplicate: z.boolean() }), 'Received'), ...errorResponses(400, 409) },
    }),
    settings: createRoute({
      method: 'get', path: '/billing/settings', tags, summary: 'My billing terms (therapist): VAT exemption, fees, issuer details', ...signedIn,
      responses: { 200: jsonContent(billingSettingsSchema, 'Settings'), ...errorResponses(401, 403) },
    }),
    updateSettings: createRoute({
      method: 'patch', path: '/billing/settings', tags, summary: 'Change my billing terms (therapist)', ...signedIn,
      request: { body: jsonBody(billingSettingsUpdateSchema) },
      responses: { 200: jsonContent(billingSettingsSchema, 'Settings'), ...errorResponses(400, 401, 403) },
    }),
    platformFee: createRoute({
      method: 'put', path: '/billing/therapists/{id}/platform-fee', tags, summary: 'Set a therapist’s platform fee (super admin)', ...admin,
      request: { params: billingIdParamsSchema, body: jsonBody(platformFeeRequestSchema) },
      responses: { 200: jsonContent(billingSettingsSchema, 'Settings'), ...errorResponses(400, 401, 403, 404) },
    }),
    payouts: createRoute({
      method: 'get', path: '/billing/payouts', tags, summary: 'My payouts (therapist)', ...signedIn,
      responses: { 200: jsonContent(payoutListSchema, 'Payouts'), ...errorResponses(401, 403) },
    }),
    payoutPdf: createRoute({
      method: 'get', path: '/billing/payouts/{id}/pdf', tags, summary: 'A payout statement as PDF', ...signedIn,
      request: { params: billingIdParamsSchema, query: pdfLanguageQuerySchema },
      responses: { 200: pdf('PDF'), ...errorResponses(400, 401, 404) },
    }),
    payoutStatus: createRoute({
      method: 'post', path: '/billing/payouts/{id}/status', tags, summary: 'Move a payout on as its transfer goes (super admin)', ...admin,
      request: { params: billingIdParamsSchema, body: jsonBody(payoutStatusRequestSchema) },
      responses: { 200: jsonContent(payoutSchema, 'Payout'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    runPayouts: createRoute({
      method: 'post', path: '/billing/runs/payouts', tags, summary: 'Create a period’s payouts (safe to repeat; super admin)', ...admin,
      request: { body: jsonBody(payoutRunRequestSchema) },
      responses: { 200: jsonContent(payoutListSchema, 'Payouts created'), ...errorResponses(400, 401, 403, 409) },
    }),
    runCompanyInvoices: createRoute({
      method: 'post', path: '/billing/runs/company-invoices', tags, summary: 'Issue a month’s company invoices (safe to repeat; super admin)', ...admin,
      request: { body: jsonBody(companyInvoiceRunRequestSchema) },
      responses: { 200: jsonContent(invoiceListSchema, 'Invoices issued'), ...errorResponses(400, 401, 403) },
    }),
    income: createRoute({
      method: 'get', path: '/billing/reports/income', tags, summary: 'My income by month (therapist)', ...signedIn,
      responses: { 200: jsonContent(incomeReportSchema, 'Income'), ...errorResponses(401, 403) },
    }),
    outstanding: createRoute({
      method: 'get', path: '/billing/reports/outstanding', tags, summary: 'Documents still to be paid, that I may see', ...signedIn,
      request: { query: invoiceListQuerySchema.pick({ businessId: true }) },
      responses: { 200: jsonContent(invoiceListSchema, 'Outstanding'), ...errorResponses(400, 401, 403) },
    }),
    statement: createRoute({
      method: 'get', path: '/billing/reports/statement', tags, summary: 'My statement (client): documents, paid, refunded, owed', ...signedIn,
      responses: { 200: jsonContent(clientStatementSchema, 'Statement'), ...errorResponses(401, 403) },
    }),
  };

  const pdfResponse = (bytes: Buffer, name: string) =>
    new Response(new Uint8Array(bytes), { status: 200, headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${name}.pdf"` } });

  return createRouter()
    .openapi(routes.quote, async (c) => c.json(await billing.quote(c.var.user, c.req.valid('query')), 200))
    .openapi(routes.charge, async (c) => c.json(await billing.charge(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.slidingScale, async (c) => c.json(await billing.setSlidingScalePrice(c.var.user, c.req.valid('param').id, c.req.valid('json').priceCents), 200))
    .openapi(routes.invoices, async (c) => c.json({ invoices: await billing.invoices.list(c.var.user, c.req.valid('query')) }, 200))
    .openapi(routes.invoice, async (c) => c.json(await billing.invoices.get(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.invoicePdf, async (c) => {
      const { bytes, name } = await billing.invoicePdf(c.var.user, c.req.valid('param').id, c.req.valid('query').lang);
      return pdfResponse(bytes, name);
    })
    .openapi(routes.cancel, async (c) => c.json(await billing.invoices.cancel(c.var.user, c.req.valid('param').id), 201))
    .openapi(routes.pay, async (c) => c.json(await billing.payments.pay(c.var.user, c.req.valid('param').id, c.req.valid('json').paymentMethodId), 200))
    .openapi(routes.refund, async (c) => c.json(await billing.payments.refund(c.var.user, c.req.valid('param').id, c.req.valid('json').amountCents), 200))
    .openapi(routes.cards, async (c) => c.json({ paymentMethods: await billing.payments.cards(c.var.user) }, 200))
    .openapi(routes.cardSetup, async (c) => c.json(await billing.payments.cardSetup(c.var.user), 200))
    .openapi(routes.saveCard, async (c) => c.json(await billing.payments.saveCard(c.var.user, c.req.valid('json').providerPaymentMethodId), 201))
    .openapi(routes.webhook, async (c) => c.json(await billing.payments.webhook(await c.req.text(), c.req.valid('header')['stripe-signature']), 200))
    .openapi(routes.settings, async (c) => c.json(await billing.settings(c.var.user), 200))
    .openapi(routes.updateSettings, async (c) => c.json(await billing.updateSettings(c.var.user, c.req.valid('json')), 200))
    .openapi(routes.platformFee, async (c) => c.json(await billing.setPlatformFee(c.var.user, c.req.valid('param').id, c.req.valid('json').platformFeePercentage), 200))
    .openapi(routes.payouts, async (c) => c.json({ payouts: await billing.payouts.list(c.var.user) }, 200))
    .openapi(routes.payoutPdf, async (c) => {
      const { bytes, name } = await billing.payoutPdf(c.var.user, c.req.valid('param').id, c.req.valid('query').lang);
      return pdfResponse(bytes, name);
    })
    .openapi(routes.payoutStatus, async (c) => {
      const { status, reference } = c.req.valid('json');
      return c.json(await billing.payouts.setStatus(c.var.user, c.req.valid('param').id, status, reference), 200);
    })
    .openapi(routes.runPayouts, async (c) => {
      const { periodStart, periodEnd } = c.req.valid('json');
      return c.json({ payouts: await billing.payouts.run(periodStart, periodEnd) }, 200);
    })
    .openapi(routes.runCompanyInvoices, async (c) => c.json({ invoices: await billing.invoices.issueCompanyInvoices(c.req.valid('json').month) }, 200))
    .openapi(routes.income, async (c) => c.json(await billing.reports.income(c.var.user), 200))
    .openapi(routes.outstanding, async (c) => c.json(await billing.reports.outstanding(c.var.user, c.req.valid('query').businessId), 200))
    .openapi(routes.statement, async (c) => c.json(await billing.reports.statement(c.var.user), 200));
}
