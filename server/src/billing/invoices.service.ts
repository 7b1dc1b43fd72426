import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type Invoice } from '@therapy-field/sync';
import { runAsSystem } from '../database/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import type { Logger } from '../logger/index.js';
import { addDays, athensDate, monthStart } from './athens.js';
import type { BillableAppointment, BillingRepository } from './billing.repository.js';
import type { InvoicesRepository, NewDocument, NewDocumentLine, Party } from './invoices.repository.js';
import { documentTotals, percentOf, type Cents } from './money.js';
import type { MyDataTransmitter } from './mydata.js';
import { incomeClassification, MYDATA_INVOICE_TYPE, vatTreatment } from './vat.js';

/** What a document of an appointment charges for. */
export type AppointmentCharge = 'session' | 'late_cancellation' | 'no_show';

/** The platform issues company invoices (one per company and month); therapists issue their clients' receipts. */
export const PLATFORM_ISSUER_KEY = 'platform';
export const SERIES = { receipt: 'R', invoice: 'I', creditNote: 'CN' } as const;
const PAYMENT_TERMS_DAYS = { client: 7, company: 30 } as const;

const lineText = {
  session: { el: (type: string, day: string) => `Συνεδρία: ${type} (${day})`, en: (type: string, day: string) => `Session: ${type} (${day})` },
  late_cancellation: { el: (_: string, day: string) => `Χρέωση καθυστερημένης ακύρωσης (${day})`, en: (_: string, day: string) => `Late cancellation fee (${day})` },
  no_show: { el: (_: string, day: string) => `Χρέωση μη προσέλευσης (${day})`, en: (_: string, day: string) => `No-show fee (${day})` },
  company: { el: (month: string) => `Συνεδρίες εργαζομένων ${month}`, en: (month: string) => `Employee sessions ${month}` },
  defaultType: { el: 'Συνεδρία ψυχοθεραπείας', en: 'Therapy session' },
} as const;

export interface InvoicesServiceDeps {
  invoices: InvoicesRepository;
  billing: BillingRepository;
  mydata?: MyDataTransmitter;
  platformIssuer: Party;
  /** Told after a document is issued or changes status (live events). */
  changed: (invoice: Invoice) => void;
  logger: Logger;
  now?: () => Date;
}

/**
 * Documents: a receipt per appointment (session, or a late-cancellation/no-show fee by the
 * therapist's terms), issued when the session completes or at booking when the type is paid
 * upfront; one invoice per company and month; a cancelled document keeps its number and gets a
 * credit note. Reads run as the asking user (row-level security), issuing as the platform.
 */
export class InvoicesService {
  constructor(private readonly deps: InvoicesServiceDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Issues the appointment's document once (a second call answers the first one); null when nothing is owed. */
  async issueForAppointment(appointmentId: string, charge: AppointmentCharge): Promise<Invoice | null> {
    const issued = await runAsSystem(async () => {
      const appointment = await this.deps.billing.appointment(appointmentId, true);
      if (!appointment || appointment.billed_to !== 'client' || !appointment.price_cents) return null;
      const existing = await this.deps.invoices.findForAppointment(appointmentId);
      if (existing) return { id: existing.id, created: false };
      const terms = await this.deps.billing.terms(appointment.therapist_id, appointment.appointment_type_id);
      const amount = this.chargeAmount(appointment, charge, terms);
      if (amount === 0) return null;
      const language = appointment.client_language;
      const vat = vatTreatment(terms.vatExempt);
      const day = athensDate(appointment.scheduled_start);
      const description = lineText[charge][language](appointment.type_name ?? lineText.defaultType[language], day);
      const document = this.document({
        issuerKey: appointment.therapist_id,
        kind: 'receipt',
        therapistId: appointment.therapist_id,
        clientId: appointment.client_id,
        businessId: null,
        appointmentId,
        billingMonth: null,
        creditedInvoiceId: null,
        language,
        issuer: terms.issuer,
        recipient: await this.deps.billing.partyName(appointment.client_id),
        dueInDays: PAYMENT_TERMS_DAYS.client,
        lines: [{ description, quantity: 1, unitCents: amount, vat }],
      });
      return { id: await this.deps.invoices.insert(document), created: true };
    });
    if (!issued) return null;
    const invoice = (await runAsSystem(() => this.deps.invoices.get(issued.id)))!;
    if (issued.created) await this.announce(invoice);
    return invoice;
  }

  private chargeAmount(appointment: BillableAppointment, charge: AppointmentCharge, terms: { lateCancellationFeeRate: number; noShowFeeRate: number }): Cents {
    const price = appointment.price_cents ?? 0;
    if (charge === 'session') return price;
    return percentOf(price, charge === 'no_show' ? terms.noShowFeeRate : terms.lateCancellationFeeRate);
  }

  /** One invoice per company for a month's completed company-paid sessions: counts per price, never names. */
  async issueCompanyInvoices(month: string): Promise<Invoice[]> {
    const groups = await runAsSystem(() => this.deps.billing.companySessions(month));
    const issued: Invoice[] = [];
    for (const businessId of new Set(groups.map((group) => group.business_id))) {
      const id = await runAsSystem(async () => {
        const [existing] = await this.deps.invoices.select<{ id: string }>(
          `SELECT id FROM invoices WHERE business_id = :businessId AND billing_month = :start AND kind <> 'credit_note'`,
          { businessId, start: monthStart(month) },
        );
        if (existing) return null;
        const company = await this.deps.billing.company(businessId);
        const lines = groups
          .filter((group) => group.business_id === businessId)
          .map((group) => ({ description: lineText.company[company.language](month), quantity: group.sessions, unitCents: group.price_cents, vat: vatTreatment(group.vat_exempt) }));
        return this.deps.invoices.insert(
          this.document({
            issuerKey: PLATFORM_ISSUER_KEY,
            kind: 'invoice',
            therapistId: null,
            clientId: null,
            businessId,
            appointmentId: null,
            billingMonth: monthStart(month),
            creditedInvoiceId: null,
            language: company.language,
            issuer: this.deps.platformIssuer,
            recipient: company,
            dueInDays: PAYMENT_TERMS_DAYS.company,
            lines,
          }),
        );
      });
      if (!id) continue;
      const invoice = (await runAsSystem(() => this.deps.invoices.get(id)))!;
      await this.announce(invoice);
      issued.push(invoice);
    }
    return issued;
  }

  /** Cancels an issued document: it keeps its number and a credit note of the same amounts is issued. */
  async cancel(viewer: AuthenticatedUser, id: string): Promise<Invoice> {
    const visible = await this.get(viewer, id);
    const mayCancel = viewer.role === 'super_admin' || (viewer.role === 'therapist' && visible.therapistId === viewer.id);
    if (!mayCancel) throw new ForbiddenError('Only the issuer cancels a document');
    return this.cancelDocument(id);
  }

  /** The platform's cancellation (an unpaid prepaid appointment cancelled in time), and the issuer's. */
  async cancelDocument(id: string): Promise<Invoice> {
    const creditNoteId = await runAsSystem(async () => {
      const row = await this.deps.invoices.find(id, true);
      if (!row) throw new NotFoundError('Invoice');
      if (row.kind === 'credit_note' || row.status === 'cancelled' || row.status === 'draft') {
        throw new ConflictError('INVALID_TRANSITION', 'Only an issued, paid or overdue document can be cancelled', { status: row.status, kind: row.kind });
      }
      await this.deps.invoices.setStatus(id, 'cancelled');
      const items = await this.deps.invoices.lines(id);
      const original = (await this.deps.invoices.get(id))!;
      return this.deps.invoices.insert(
        this.document({
          issuerKey: row.therapist_id ?? PLATFORM_ISSUER_KEY,
          kind: 'credit_note',
          therapistId: row.therapist_id,
          clientId: row.user_id,
          businessId: row.business_id,
          appointmentId: row.appointment_id,
          billingMonth: null,
          creditedInvoiceId: id,
          language: row.language,
          issuer: row.issuer!,
          recipient: row.recipient!,
          dueInDays: 0,
          lines: original.lines.map((line, index) => ({
            description: items[index]!.description,
            quantity: line.quantity,
            unitCents: line.unitCents,
            vat: { rate: line.vatRate, category: line.vatCategory, exemptionCategory: line.vatExemptionCategory },
          })),
        }),
      );
    });
    const [cancelled, creditNote] = await runAsSystem(async () => [(await this.deps.invoices.get(id))!, (await this.deps.invoices.get(creditNoteId))!]);
    this.deps.changed(cancelled);
    await this.announce(creditNote!);
    return creditNote!;
  }

  /** Documents of the asker: a client's own, a therapist's issued, a company admin's company's. */
  async list(viewer: AuthenticatedUser, query: { status?: Invoice['status']; businessId?: string }): Promise<Invoice[]> {
    const status = query.status ? ` AND status = CAST(:status AS invoice_status)` : '';
    switch (viewer.role) {
      case 'client':
        return this.deps.invoices.list(`user_id = :me${status}`, { me: viewer.id, status: query.status });
      case 'therapist':
        return this.deps.invoices.list(`therapist_id = :me${status}`, { me: viewer.id, status: query.status });
      case 'business_admin':
        if (!query.businessId) throw new ValidationError('Invalid query', [{ path: 'businessId', message: 'name the company' }]);
        return this.deps.invoices.list(`business_id = :businessId AND user_id IS NULL${status}`, { businessId: query.businessId, status: query.status });
      default:
        throw new ForbiddenError('Documents are read by their parties');
    }
  }

  /** A document its reader may see (row-level security hides the rest: they do not exist for them). */
  async get(viewer: AuthenticatedUser, id: string): Promise<Invoice> {
    const invoice = await this.deps.invoices.get(id);
    const party =
      invoice &&
      (invoice.clientId === viewer.id ||
        invoice.therapistId === viewer.id ||
        (viewer.role === 'business_admin' && invoice.businessId !== null && invoice.clientId === null) ||
        viewer.role === 'super_admin');
    if (!invoice || !party) throw new NotFoundError('Invoice');
    return invoice;
  }

  /** Sends documents myDATA has not accepted yet (it was down, or not configured when they were issued). */
  async transmitPending(): Promise<void> {
    if (!this.deps.mydata) return;
    const pending = await runAsSystem(() =>
      this.deps.invoices.select<{ id: string }>(
        `SELECT id FROM invoices WHERE mydata_status IN ('pending', 'failed') AND issued_at < now() - interval '5 minutes' ORDER BY issued_at LIMIT 200`,
      ),
    );
    for (const { id } of pending) await this.transmit((await runAsSystem(() => this.deps.invoices.get(id)))!);
  }

  /** Issued documents past their due date become overdue. */
  async markOverdue(): Promise<void> {
    const ids = await runAsSystem(() => this.deps.invoices.markOverdue());
    for (const id of ids) this.deps.changed((await runAsSystem(() => this.deps.invoices.get(id)))!);
  }

  private document(spec: {
    issuerKey: string;
    kind: Invoice['kind'];
    therapistId: string | null;
    clientId: string | null;
    businessId: string | null;
    appointmentId: string | null;
    billingMonth: string | null;
    creditedInvoiceId: string | null;
    language: 'el' | 'en';
    issuer: Party;
    recipient: Party;
    dueInDays: number;
    lines: Array<{ description: string; quantity: number; unitCents: Cents; vat: { rate: number; category: number; exemptionCategory: number | null } }>;
  }): NewDocument {
    const today = athensDate(this.now());
    const totals = documentTotals(spec.lines.map((line) => ({ quantity: line.quantity, unitCents: line.unitCents, vatRate: line.vat.rate })));
    const lines: NewDocumentLine[] = totals.lines.map((line, index) => ({
      ...line,
      description: spec.lines[index]!.description,
      vatCategory: spec.lines[index]!.vat.category,
      vatExemptionCategory: spec.lines[index]!.vat.exemptionCategory,
    }));
    const toBusiness = spec.businessId !== null && spec.clientId === null;
    const type = spec.kind === 'credit_note' ? (toBusiness ? MYDATA_INVOICE_TYPE.invoiceCredit : MYDATA_INVOICE_TYPE.receiptCredit) : toBusiness ? MYDATA_INVOICE_TYPE.invoice : MYDATA_INVOICE_TYPE.receipt;
    return {
      ...spec,
      series: spec.kind === 'credit_note' ? SERIES.creditNote : spec.kind === 'invoice' ? SERIES.invoice : SERIES.receipt,
      fiscalYear: Number(today.slice(0, 4)),
      mydataInvoiceType: type,
      invoiceDate: today,
      dueDate: addDays(today, spec.dueInDays),
      status: 'issued',
      subtotalCents: totals.subtotalCents,
      vatCents: totals.vatCents,
      totalCents: totals.totalCents,
      lines,
    };
  }

  /** Live event, then myDATA: a failed transmission is recorded and sent again by `transmitPending`, never lost. */
  private async announce(invoice: Invoice): Promise<void> {
    this.deps.changed(invoice);
    await this.transmit(invoice);
  }

  async transmit(invoice: Invoice): Promise<void> {
    const { mydata } = this.deps;
    if (!mydata) return;
    const issuer = await runAsSystem(() => this.deps.invoices.find(invoice.id));
    try {
      const result = await mydata.send({ invoice, issuer: issuer!.issuer!, recipient: issuer!.recipient!, classification: incomeClassification(invoice.clientId === null) });
      await runAsSystem(() => this.deps.invoices.recordTransmission(invoice.id, result));
    } catch (error) {
      this.deps.logger.warn({ err: error, invoiceId: invoice.id }, 'myDATA transmission failed');
      await runAsSystem(() => this.deps.invoices.recordTransmission(invoice.id, null));
    }
  }
}
