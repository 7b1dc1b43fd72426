import { ConflictError, ForbiddenError, NotFoundError, type BillingSettings, type PriceQuote } from '@therapy-field/sync';
import { z } from 'zod';
import type { billingSettingsUpdateSchema } from '@therapy-field/sync';
import { runAsSystem } from '../database/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import type { BillingRepository } from './billing.repository.js';
import type { InvoicesRepository } from './invoices.repository.js';
import type { InvoicesService } from './invoices.service.js';
import type { PaymentsService } from './payments.service.js';
import type { PayoutsService } from './payouts.service.js';
import { invoicePdf, payoutPdf } from './pdf.js';
import type { ReportsService } from './reports.service.js';

type SettingsUpdate = z.infer<typeof billingSettingsUpdateSchema>;

/** The billing capability's face: prices and terms here, documents, payments, payouts and reports in their services. */
export class BillingService {
  constructor(
    private readonly repository: BillingRepository,
    private readonly documents: InvoicesRepository,
    readonly invoices: InvoicesService,
    readonly payments: PaymentsService,
    readonly payouts: PayoutsService,
    readonly reports: ReportsService,
  ) {}

  /** The price the asker (a client, or anyone for a client of their own) would pay for this booking. */
  async quote(viewer: AuthenticatedUser, query: { therapistId: string; appointmentTypeId: string; start: string }): Promise<PriceQuote> {
    return this.repository.quote(query.therapistId, query.appointmentTypeId, viewer.id, query.start);
  }

  /** An appointment's frozen price, for its parties. */
  async charge(viewer: AuthenticatedUser, appointmentId: string) {
    const appointment = await runAsSystem(() => this.repository.appointment(appointmentId));
    if (!appointment || (appointment.client_id !== viewer.id && appointment.therapist_id !== viewer.id)) throw new NotFoundError('Appointment');
    const invoice = await runAsSystem(() => this.documents.findForAppointment(appointmentId));
    return { appointmentId, priceCents: appointment.price_cents, billedTo: appointment.billed_to, invoiceId: invoice?.id ?? null };
  }

  /** The therapist agrees a sliding-scale price with their client, down to the rate's minimum, before the document exists. */
  async setSlidingScalePrice(viewer: AuthenticatedUser, appointmentId: string, priceCents: number) {
    await runAsSystem(async () => {
      const appointment = await this.repository.appointment(appointmentId, true);
      if (!appointment || appointment.therapist_id !== viewer.id) throw new NotFoundError('Appointment');
      if (await this.documents.findForAppointment(appointmentId)) throw new ConflictError('INVALID_TRANSITION', 'The appointment’s document is issued: its price is final');
      if (appointment.billed_to !== 'client') throw new ConflictError('INVALID_TRANSITION', 'A company-paid session is billed at the corporate rate');
      const minimum = await this.repository.slidingScaleMinimum(appointment);
      if (minimum === null) throw new ConflictError('INVALID_TRANSITION', 'The rate offers no sliding scale');
      if (priceCents < minimum || priceCents > (appointment.price_cents ?? 0)) {
        throw new ConflictError('INVALID_TRANSITION', 'The price must be between the sliding-scale minimum and the rate', { minimumCents: minimum, rateCents: appointment.price_cents });
      }
      await this.repository.setPrice(appointmentId, priceCents);
    });
    return this.charge(viewer, appointmentId);
  }

  async invoicePdf(viewer: AuthenticatedUser, id: string, language?: 'el' | 'en'): Promise<{ bytes: Buffer; name: string }> {
    const invoice = await this.invoices.get(viewer, id);
    const row = (await runAsSystem(() => this.documents.find(id)))!;
    const credited = invoice.creditedInvoiceId ? await runAsSystem(() => this.documents.find(invoice.creditedInvoiceId!)) : undefined;
    const bytes = await invoicePdf(invoice, row.issuer!, row.recipient!, language ?? invoice.language, credited?.invoice_number ?? null);
    return { bytes, name: invoice.number ?? invoice.id };
  }

  async payoutPdf(viewer: AuthenticatedUser, id: string, language: 'el' | 'en' = 'el'): Promise<{ bytes: Buffer; name: string }> {
    const payout = await this.payouts.get(viewer, id);
    const terms = await runAsSystem(() => this.repository.terms(payout.therapistId, null));
    return { bytes: await payoutPdf(payout, terms.issuer, language), name: `payout-${payout.periodStart}-${payout.periodEnd}` };
  }

  async settings(viewer: AuthenticatedUser): Promise<BillingSettings> {
    if (viewer.role !== 'therapist') throw new ForbiddenError('Billing terms are a therapist’s');
    return this.repository.settings(viewer.id);
  }

  async updateSettings(viewer: AuthenticatedUser, update: SettingsUpdate): Promise<BillingSettings> {
    if (viewer.role !== 'therapist') throw new ForbiddenError('Billing terms are a therapist’s');
    const columns: Record<string, unknown> = {};
    if (update.vatExempt !== undefined) columns.vat_exempt = update.vatExempt;
    if (update.lateCancellationFeePercentage !== undefined) columns.late_cancellation_fee_percentage = update.lateCancellationFeePercentage.toFixed(2);
    if (update.noShowFeePercentage !== undefined) columns.no_show_fee_percentage = update.noShowFeePercentage.toFixed(2);
    if (update.taxId !== undefined) columns.tax_id = update.taxId;
    if (update.businessName !== undefined) columns.business_name = update.businessName;
    if (update.businessAddress !== undefined) columns.business_address = update.businessAddress;
    await this.repository.updateSettings(viewer.id, columns);
    if (update.vatExemptTypes) await this.repository.replaceTypeVat(viewer.id, update.vatExemptTypes);
    return this.repository.settings(viewer.id);
  }

  /** The platform's share of one therapist's income: a super admin's decision. */
  async setPlatformFee(viewer: AuthenticatedUser, therapistId: string, percentage: number): Promise<BillingSettings> {
    if (viewer.role !== 'super_admin') throw new ForbiddenError('The platform fee is set by the platform');
    return runAsSystem(async () => {
      if (!(await this.repository.isTherapist(therapistId))) throw new NotFoundError('Therapist');
      await this.repository.updateSettings(therapistId, { platform_fee_percentage: percentage.toFixed(2) });
      return this.repository.settings(therapistId);
    });
  }
}
