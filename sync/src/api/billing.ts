import { z } from 'zod';
import { isoDateTimeSchema, languageSchema, uuidSchema } from './common.js';

/** Money on the wire: whole cents (1234 = €12.34), never a float. */
export const centsSchema = z.number().int().min(0).max(99_999_999);
/** Basis points: hundredths of a percent (2400 = 24%). */
export const basisPointsSchema = z.number().int().min(0).max(10_000);
const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).describe('YYYY-MM in Europe/Athens');

export const invoiceStatusSchema = z.enum(['draft', 'issued', 'paid', 'overdue', 'cancelled']);
export const invoiceKindSchema = z.enum(['receipt', 'invoice', 'credit_note']);

export const invoiceLineSchema = z.object({
  description: z.string(),
  quantity: z.number().int(),
  unitCents: centsSchema,
  netCents: centsSchema,
  vatRate: basisPointsSchema,
  vatCents: centsSchema,
  /** myDATA `vatCategory` (1 = 24%, 7 = exempt). */
  vatCategory: z.number().int(),
  /** myDATA `vatExemptionCategory` when exempt (7 = article 22, health services). */
  vatExemptionCategory: z.number().int().nullable(),
});

export const invoiceSchema = z.object({
  id: uuidSchema,
  number: z.string().nullable().describe('SERIES-YEAR-NNNNNN, gapless per issuer, series and year'),
  series: z.string().nullable(),
  fiscalYear: z.number().int().nullable(),
  sequenceNumber: z.number().int().nullable(),
  kind: invoiceKindSchema,
  status: invoiceStatusSchema,
  therapistId: uuidSchema.nullable(),
  clientId: uuidSchema.nullable(),
  businessId: uuidSchema.nullable(),
  appointmentId: uuidSchema.nullable(),
  billingMonth: monthSchema.nullable(),
  creditedInvoiceId: uuidSchema.nullable(),
  invoiceDate: z.iso.date(),
  dueDate: z.iso.date(),
  issuedAt: isoDateTimeSchema.nullable(),
  paidAt: isoDateTimeSchema.nullable(),
  cancelledAt: isoDateTimeSchema.nullable(),
  currency: z.string(),
  subtotalCents: centsSchema,
  vatCents: centsSchema,
  totalCents: centsSchema,
  lines: z.array(invoiceLineSchema),
  /** The legal reason printed when a line is exempt from VAT. */
  exemptionReason: z.string().nullable(),
  language: languageSchema,
  mydata: z.object({ invoiceType: z.string().nullable(), mark: z.string().nullable(), status: z.string().nullable() }),
});
export type Invoice = z.infer<typeof invoiceSchema>;

export const invoiceListSchema = z.object({ invoices: z.array(invoiceSchema) });
export const billingIdParamsSchema = z.object({ id: uuidSchema });
export const invoiceListQuerySchema = z
  .object({ status: invoiceStatusSchema.optional(), businessId: uuidSchema.optional() })
  .strict();

export const priceQuoteQuerySchema = z
  .object({ therapistId: uuidSchema, appointmentTypeId: uuidSchema, start: isoDateTimeSchema })
  .strict();
export const priceQuoteSchema = z.object({
  priceCents: centsSchema.nullable().describe('null when the therapist has no rate in force for this type'),
  listPriceCents: centsSchema.nullable(),
  slidingScaleMinimumCents: centsSchema.nullable(),
  billedTo: z.enum(['client', 'company']).nullable(),
  currency: z.literal('EUR'),
  requiresPaymentUpfront: z.boolean(),
});
export type PriceQuote = z.infer<typeof priceQuoteSchema>;

/** A sliding-scale price the therapist agrees with the client, at or above the rate's minimum. */
export const slidingScalePriceRequestSchema = z.object({ priceCents: centsSchema }).strict();
export const appointmentChargeSchema = z.object({
  appointmentId: uuidSchema,
  priceCents: centsSchema.nullable(),
  billedTo: z.enum(['client', 'company']).nullable(),
  invoiceId: uuidSchema.nullable(),
});

export const billingSettingsSchema = z.object({
  vatExempt: z.boolean(),
  platformFeePercentage: z.number(),
  lateCancellationFeePercentage: z.number(),
  noShowFeePercentage: z.number(),
  taxId: z.string().nullable(),
  businessName: z.string().nullable(),
  businessAddress: z.string().nullable(),
  vatExemptTypes: z.array(z.object({ appointmentTypeId: uuidSchema, vatExempt: z.boolean() })),
});
export type BillingSettings = z.infer<typeof billingSettingsSchema>;
export const billingSettingsUpdateSchema = z
  .object({
    vatExempt: z.boolean().optional(),
    lateCancellationFeePercentage: z.number().min(0).max(100).multipleOf(0.01).optional(),
    noShowFeePercentage: z.number().min(0).max(100).multipleOf(0.01).optional(),
    taxId: z.string().regex(/^\d{9}$/, 'a Greek tax id (ΑΦΜ) has 9 digits').nullable().optional(),
    businessName: z.string().min(1).max(200).nullable().optional(),
    businessAddress: z.string().min(1).max(300).nullable().optional(),
    vatExemptTypes: z.array(z.object({ appointmentTypeId: uuidSchema, vatExempt: z.boolean() }).strict()).max(50).optional(),
  })
  .strict();
export const platformFeeRequestSchema = z.object({ platformFeePercentage: z.number().min(0).max(100).multipleOf(0.01) }).strict();

export const paymentMethodSchema = z.object({
  id: uuidSchema,
  brand: z.string().nullable(),
  lastFour: z.string().nullable(),
  expiryMonth: z.number().int().nullable(),
  expiryYear: z.number().int().nullable(),
  isDefault: z.boolean(),
});
export type PaymentMethod = z.infer<typeof paymentMethodSchema>;
export const paymentMethodListSchema = z.object({ paymentMethods: z.array(paymentMethodSchema) });
/** Where the browser's card form (Stripe.js) confirms the card: the provider's SetupIntent secret. */
export const cardSetupSchema = z.object({ clientSecret: z.string() });
export const savePaymentMethodRequestSchema = z
  .object({ providerPaymentMethodId: z.string().regex(/^pm_[A-Za-z0-9_]{1,200}$/, 'a provider payment method id (pm_…)') })
  .strict();
export const payInvoiceRequestSchema = z.object({ paymentMethodId: uuidSchema }).strict();
export const paymentResultSchema = z.object({
  status: z.enum(['succeeded', 'processing', 'requires_action', 'failed']),
  /** With `requires_action`: the browser completes 3-D Secure with it (Stripe.js `handleNextAction`). */
  clientSecret: z.string().nullable(),
  invoice: invoiceSchema,
});
export type PaymentResult = z.infer<typeof paymentResultSchema>;
export const refundRequestSchema = z.object({ amountCents: centsSchema.min(1).optional().describe('omitted: the rest of what was paid') }).strict();

export const payoutStatusSchema = z.enum(['pending', 'processing', 'completed', 'failed']);
export const payoutSchema = z.object({
  id: uuidSchema,
  therapistId: uuidSchema,
  periodStart: z.iso.date(),
  periodEnd: z.iso.date(),
  sessions: z.number().int(),
  grossCents: centsSchema,
  platformFeeRate: basisPointsSchema,
  platformFeeCents: centsSchema,
  netCents: centsSchema,
  status: payoutStatusSchema,
  paidAt: isoDateTimeSchema.nullable(),
});
export type Payout = z.infer<typeof payoutSchema>;
export const payoutListSchema = z.object({ payouts: z.array(payoutSchema) });

export const incomeReportSchema = z.object({
  months: z.array(z.object({ month: monthSchema, documents: z.number().int(), netCents: centsSchema, vatCents: centsSchema, paidCents: centsSchema })),
});
export const clientStatementSchema = z.object({
  invoices: z.array(invoiceSchema),
  paidCents: centsSchema,
  refundedCents: centsSchema,
  outstandingCents: centsSchema,
});
export const payoutRunRequestSchema = z
  .object({ periodStart: z.iso.date(), periodEnd: z.iso.date() })
  .strict()
  .refine((run) => run.periodEnd >= run.periodStart, { path: ['periodEnd'], message: 'must not be before periodStart' });
export const companyInvoiceRunRequestSchema = z.object({ month: monthSchema }).strict();
export const payoutStatusRequestSchema = z
  .object({ status: z.enum(['processing', 'completed', 'failed']), reference: z.string().min(1).max(255).optional() })
  .strict();
export const pdfLanguageQuerySchema = z.object({ lang: languageSchema.optional() }).strict();

/** Live events to the parties of a document (their user rooms) and the company's room. */
export interface BillingInvoiceEvent {
  invoiceId: string;
  status: Invoice['status'];
  kind: Invoice['kind'];
  totalCents: number;
}
