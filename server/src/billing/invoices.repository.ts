import { QueryTypes, type Sequelize } from 'sequelize';
import type { Invoice } from '@therapy-field/sync';
import { centsFromDecimal, decimalFromCents, type LineTotals } from './money.js';
import { HEALTH_SERVICES_EXEMPTION_REASON } from './vat.js';

export interface InvoiceRow {
  id: string;
  invoice_number: string | null;
  series: string | null;
  fiscal_year: number | null;
  sequence_number: number | null;
  kind: Invoice['kind'];
  status: Invoice['status'] | 'sent';
  therapist_id: string | null;
  user_id: string | null;
  business_id: string | null;
  appointment_id: string | null;
  billing_month: string | null;
  credited_invoice_id: string | null;
  invoice_date: string;
  due_date: string;
  issued_at: Date | null;
  paid_at: Date | null;
  cancelled_at: Date | null;
  currency: string;
  subtotal: string;
  tax_amount: string;
  total_amount: string;
  language: 'el' | 'en';
  mydata_invoice_type: string | null;
  mydata_mark: string | null;
  mydata_status: string | null;
  issuer: Party | null;
  recipient: Party | null;
}

export interface InvoiceItemRow {
  invoice_id: string;
  description: string;
  quantity: number;
  unit_price: string;
  total_price: string;
  tax_rate: string | null;
  vat_amount: string;
  vat_category: number;
  vat_exemption_category: number | null;
}

/** Who issues or receives a document, as printed on it (a snapshot taken when it is issued). */
export interface Party {
  name: string;
  taxId: string | null;
  address: string | null;
}

export interface NewDocumentLine extends LineTotals {
  description: string;
  vatCategory: number;
  vatExemptionCategory: number | null;
}

export interface NewDocument {
  issuerKey: string;
  series: string;
  fiscalYear: number;
  kind: Invoice['kind'];
  mydataInvoiceType: string;
  therapistId: string | null;
  clientId: string | null;
  businessId: string | null;
  appointmentId: string | null;
  billingMonth: string | null;
  creditedInvoiceId: string | null;
  invoiceDate: string;
  dueDate: string;
  status: 'issued' | 'paid';
  language: 'el' | 'en';
  issuer: Party;
  recipient: Party;
  subtotalCents: number;
  vatCents: number;
  totalCents: number;
  lines: NewDocumentLine[];
}

/** Dates as text: a DATE is a calendar day, not an instant. */
const INVOICE_COLUMNS = `invoices.*, invoice_date::text AS invoice_date, due_date::text AS due_date, billing_month::text AS billing_month`;

/** Documents (receipts, invoices, credit notes), their lines and their gapless numbers. */
export class InvoicesRepository {
  constructor(private readonly sequelize: Sequelize) {}

  select<T extends object>(sql: string, replacements: Record<string, unknown> = {}): Promise<T[]> {
    return this.sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements });
  }

  /**
   * The next number of an issuer's series in a year. The counter row stays locked until the
   * caller's transaction ends, so concurrent issuers queue here and a rolled back issue frees its number.
   */
  async nextNumber(issuerKey: string, series: string, fiscalYear: number): Promise<number> {
    const [row] = await this.select<{ last_number: number }>(
      `INSERT INTO invoice_number_series (issuer_key, series, fiscal_year, last_number) VALUES (:issuerKey, :series, :fiscalYear, 1)
       ON CONFLICT (issuer_key, series, fiscal_year) DO UPDATE SET last_number = invoice_number_series.last_number + 1
       RETURNING last_number`,
      { issuerKey, series, fiscalYear },
    );
    return row!.last_number;
  }

  /** Numbers and writes a document with its lines, in the caller's transaction. */
  async insert(document: NewDocument): Promise<string> {
    const sequenceNumber = await this.nextNumber(document.issuerKey, document.series, document.fiscalYear);
    const number = `${document.series}-${document.fiscalYear}-${String(sequenceNumber).padStart(6, '0')}`;
    const [row] = await this.select<{ id: string }>(
      `INSERT INTO invoices (invoice_number, issuer_key, series, fiscal_year, sequence_number, kind, mydata_invoice_type,
                             user_id, business_id, therapist_id, appointment_id, billing_month, credited_invoice_id,
                             invoice_date, due_date, subtotal, tax_rate, tax_amount, total_amount, status, issued_at, paid_at,
                             language, issuer, recipient, mydata_status)
       VALUES (:number, :issuerKey, :series, :fiscalYear, :sequenceNumber, :kind, :mydataInvoiceType,
               :clientId, :businessId, :therapistId, :appointmentId, :billingMonth, :creditedInvoiceId,
               :invoiceDate, :dueDate, :subtotal, :taxRate, :tax, :total, CAST(:status AS invoice_status), now(),
               CASE WHEN :status = 'paid' THEN now() END, :language, CAST(:issuer AS jsonb), CAST(:recipient AS jsonb), 'pending')
       RETURNING id`,
      {
        ...document,
        number,
        sequenceNumber,
        subtotal: decimalFromCents(document.subtotalCents),
        tax: decimalFromCents(document.vatCents),
        total: decimalFromCents(document.totalCents),
        taxRate: decimalFromCents(Math.max(0, ...document.lines.map((line) => line.vatRate))),
        issuer: JSON.stringify(document.issuer),
        recipient: JSON.stringify(document.recipient),
      },
    );
    for (const [index, line] of document.lines.entries()) {
      await this.sequelize.query(
        `INSERT INTO invoice_items (invoice_id, appointment_id, description, quantity, unit_price, total_price, tax_rate,
                                    position, vat_amount, vat_category, vat_exemption_category)
         VALUES (:invoiceId, :appointmentId, :description, :quantity, :unit, :net, :rate, :position, :vat, :vatCategory, :vatExemptionCategory)`,
        {
          replacements: {
            invoiceId: row!.id,
            appointmentId: document.appointmentId,
            description: line.description,
            quantity: line.quantity,
            unit: decimalFromCents(line.unitCents),
            net: decimalFromCents(line.netCents),
            rate: decimalFromCents(line.vatRate),
            position: index + 1,
            vat: decimalFromCents(line.vatCents),
            vatCategory: line.vatCategory,
            vatExemptionCategory: line.vatExemptionCategory,
          },
        },
      );
    }
    return row!.id;
  }

  /** Documents the current identity may see (row-level security decides for a user), newest first. */
  async list(where: string, replacements: Record<string, unknown>): Promise<Invoice[]> {
    const rows = await this.select<InvoiceRow>(`SELECT ${INVOICE_COLUMNS} FROM invoices WHERE ${where} ORDER BY created_at DESC, sequence_number DESC LIMIT 500`, replacements);
    return this.withLines(rows);
  }

  async find(id: string, lock = false): Promise<InvoiceRow | undefined> {
    const [row] = await this.select<InvoiceRow>(`SELECT ${INVOICE_COLUMNS} FROM invoices WHERE id = :id ${lock ? 'FOR UPDATE' : ''}`, { id });
    return row;
  }

  async findForAppointment(appointmentId: string): Promise<InvoiceRow | undefined> {
    const [row] = await this.select<InvoiceRow>(`SELECT ${INVOICE_COLUMNS} FROM invoices WHERE appointment_id = :appointmentId AND kind <> 'credit_note'`, { appointmentId });
    return row;
  }

  async get(id: string): Promise<Invoice | undefined> {
    const row = await this.find(id);
    return row ? (await this.withLines([row]))[0] : undefined;
  }

  async lines(invoiceId: string): Promise<InvoiceItemRow[]> {
    return this.select<InvoiceItemRow>(`SELECT * FROM invoice_items WHERE invoice_id = :invoiceId ORDER BY position`, { invoiceId });
  }

  async setStatus(id: string, status: 'paid' | 'cancelled' | 'overdue'): Promise<void> {
    const stamp = status === 'paid' ? ', paid_at = now()' : status === 'cancelled' ? ', cancelled_at = now()' : '';
    await this.sequelize.query(`UPDATE invoices SET status = CAST(:status AS invoice_status)${stamp} WHERE id = :id`, { replacements: { id, status } });
  }

  /** Issued documents past their due date become overdue; answers their ids. */
  async markOverdue(): Promise<string[]> {
    const rows = await this.select<{ id: string }>(
      `UPDATE invoices SET status = 'overdue' WHERE status = 'issued' AND due_date < (now() AT TIME ZONE 'Europe/Athens')::date RETURNING id`,
    );
    return rows.map((row) => row.id);
  }

  async recordTransmission(id: string, result: { mark: string; uid: string } | null): Promise<void> {
    await this.sequelize.query(
      `UPDATE invoices SET mydata_status = :status, mydata_mark = :mark, mydata_uid = :uid WHERE id = :id`,
      { replacements: { id, status: result ? 'transmitted' : 'failed', mark: result?.mark ?? null, uid: result?.uid ?? null } },
    );
  }

  private async withLines(rows: InvoiceRow[]): Promise<Invoice[]> {
    if (rows.length === 0) return [];
    const items = await this.select<InvoiceItemRow>(`SELECT * FROM invoice_items WHERE invoice_id IN (:ids) ORDER BY position`, { ids: rows.map((row) => row.id) });
    return rows.map((row) => toInvoice(row, items.filter((item) => item.invoice_id === row.id)));
  }
}

export function toInvoice(row: InvoiceRow, items: InvoiceItemRow[]): Invoice {
  return {
    id: row.id,
    number: row.invoice_number,
    series: row.series,
    fiscalYear: row.fiscal_year,
    sequenceNumber: row.sequence_number,
    kind: row.kind,
    status: row.status === 'sent' ? 'issued' : row.status,
    therapistId: row.therapist_id,
    clientId: row.user_id,
    businessId: row.business_id,
    appointmentId: row.appointment_id,
    billingMonth: row.billing_month ? row.billing_month.slice(0, 7) : null,
    creditedInvoiceId: row.credited_invoice_id,
    invoiceDate: row.invoice_date,
    dueDate: row.due_date,
    issuedAt: row.issued_at?.toISOString() ?? null,
    paidAt: row.paid_at?.toISOString() ?? null,
    cancelledAt: row.cancelled_at?.toISOString() ?? null,
    currency: row.currency,
    subtotalCents: centsFromDecimal(row.subtotal),
    vatCents: centsFromDecimal(row.tax_amount),
    totalCents: centsFromDecimal(row.total_amount),
    lines: items.map((item) => ({
      description: item.description,
      quantity: item.quantity,
      unitCents: centsFromDecimal(item.unit_price),
      netCents: centsFromDecimal(item.total_price),
      vatRate: centsFromDecimal(item.tax_rate ?? '0'),
      vatCents: centsFromDecimal(item.vat_amount),
      vatCategory: item.vat_category,
      vatExemptionCategory: item.vat_exemption_category,
    })),
    exemptionReason: items.some((item) => item.vat_exemption_category !== null) ? HEALTH_SERVICES_EXEMPTION_REASON[row.language] : null,
    language: row.language,
    mydata: { invoiceType: row.mydata_invoice_type, mark: row.mydata_mark, status: row.mydata_status },
  };
}
