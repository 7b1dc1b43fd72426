import { QueryTypes, type Sequelize } from 'sequelize';
import { ForbiddenError, type Invoice } from '@therapy-field/sync';
import type { AuthenticatedUser } from '../http/index.js';
import type { InvoicesRepository } from './invoices.repository.js';
import type { InvoicesService } from './invoices.service.js';
import { centsFromDecimal } from './money.js';

/** A therapist's income by month, what is still owed, and a client's statement; each reader sees their own documents only. */
export class ReportsService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly invoices: InvoicesRepository,
    private readonly documents: InvoicesService,
  ) {}

  /** Receipts issued per month (Europe/Athens): net, VAT and what of them was paid; cancelled ones count as their credit notes take them back. */
  async income(viewer: AuthenticatedUser) {
    if (viewer.role !== 'therapist') throw new ForbiddenError('Income is the therapist’s');
    const rows = await this.sequelize.query<{ month: string; documents: number; net: string; vat: string; paid: string }>(
      `SELECT to_char(invoice_date, 'YYYY-MM') AS month, count(*)::int AS documents,
              sum(subtotal)::text AS net, sum(tax_amount)::text AS vat,
              coalesce(sum(total_amount) FILTER (WHERE status = 'paid'), 0)::text AS paid
         FROM invoices WHERE therapist_id = :me AND kind = 'receipt' AND status <> 'cancelled'
        GROUP BY 1 ORDER BY 1 DESC`,
      { type: QueryTypes.SELECT, replacements: { me: viewer.id } },
    );
    return { months: rows.map((row) => ({ month: row.month, documents: row.documents, netCents: centsFromDecimal(row.net), vatCents: centsFromDecimal(row.vat), paidCents: centsFromDecimal(row.paid) })) };
  }

  /** Documents the reader may see that are still to be paid. */
  async outstanding(viewer: AuthenticatedUser, businessId?: string): Promise<{ invoices: Invoice[] }> {
    const [issued, overdue] = await Promise.all([
      this.documents.list(viewer, { status: 'issued', businessId }),
      this.documents.list(viewer, { status: 'overdue', businessId }),
    ]);
    return { invoices: [...overdue, ...issued] };
  }

  /** A client's documents with what they paid, got back and still owe. */
  async statement(viewer: AuthenticatedUser) {
    if (viewer.role !== 'client') throw new ForbiddenError('A statement is the client’s');
    const invoices = await this.invoices.list(`user_id = :me`, { me: viewer.id });
    const [money] = await this.sequelize.query<{ paid: string; refunded: string }>(
      `SELECT coalesce(sum(amount) FILTER (WHERE type = 'payment' AND status = 'completed'), 0)::text AS paid,
              coalesce(sum(amount) FILTER (WHERE type IN ('refund', 'chargeback') AND status = 'completed'), 0)::text AS refunded
         FROM transactions WHERE user_id = :me AND deleted_at IS NULL`,
      { type: QueryTypes.SELECT, replacements: { me: viewer.id } },
    );
    const outstandingCents = invoices.filter((invoice) => invoice.status === 'issued' || invoice.status === 'overdue').reduce((sum, invoice) => sum + invoice.totalCents, 0);
    return { invoices, paidCents: centsFromDecimal(money!.paid), refundedCents: centsFromDecimal(money!.refunded), outstandingCents };
  }
}
