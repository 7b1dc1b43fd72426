import { QueryTypes, type Sequelize } from 'sequelize';
import { ConflictError, ForbiddenError, NotFoundError, type Payout } from '@therapy-field/sync';
import { runAsSystem } from '../database/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import type { BillingRepository } from './billing.repository.js';
import { basisPointsFromPercentage, centsFromDecimal, decimalFromCents, payoutSplit } from './money.js';

interface PayoutRow {
  id: string;
  therapist_id: string;
  period_start: string;
  period_end: string;
  total_sessions: number;
  gross_amount: string;
  platform_fee_percentage: string;
  platform_fee_amount: string;
  net_amount: string;
  status: Payout['status'];
  paid_at: Date | null;
}

const PAYOUT_COLUMNS = `id, therapist_id, period_start::text AS period_start, period_end::text AS period_end, total_sessions, gross_amount,
  platform_fee_percentage, platform_fee_amount, net_amount, status, paid_at`;

/**
 * Therapist payouts per period: gross from the therapist's receipts paid in the period (less what
 * was refunded or charged back), the platform's fee by the therapist's rate (20% unless set), net.
 * A run is safe to repeat: one payout per therapist and period, and a document is paid out once.
 */
export class PayoutsService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly billing: BillingRepository,
  ) {}

  private select<T extends object>(sql: string, replacements: Record<string, unknown> = {}): Promise<T[]> {
    return this.sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements });
  }

  /** Creates the period's missing payouts; answers those it created. */
  async run(periodStart: string, periodEnd: string): Promise<Payout[]> {
    if (periodEnd < periodStart) throw new ConflictError('INVALID_TRANSITION', 'The period ends before it starts');
    const therapists = await runAsSystem(() =>
      this.select<{ therapist_id: string }>(
        `SELECT DISTINCT therapist_id FROM invoices
          WHERE kind = 'receipt' AND therapist_id IS NOT NULL AND paid_at IS NOT NULL
            AND (paid_at AT TIME ZONE 'Europe/Athens')::date BETWEEN :periodStart AND :periodEnd`,
        { periodStart, periodEnd },
      ),
    );
    const created: Payout[] = [];
    for (const { therapist_id: therapistId } of therapists) {
      const payout = await runAsSystem(() => this.runFor(therapistId, periodStart, periodEnd));
      if (payout) created.push(payout);
    }
    return created;
  }

  private async runFor(therapistId: string, periodStart: string, periodEnd: string): Promise<Payout | null> {
    const documents = await this.select<{ id: string; gross: string }>(
      `SELECT i.id, (i.total_amount - coalesce((SELECT sum(t.amount) FROM transactions t
                                              WHERE t.invoice_id = i.id AND t.type IN ('refund', 'chargeback') AND t.status NOT IN ('failed', 'cancelled')), 0))::text AS gross
         FROM invoices i
        WHERE i.therapist_id = :therapistId AND i.kind = 'receipt' AND i.paid_at IS NOT NULL
          AND (i.paid_at AT TIME ZONE 'Europe/Athens')::date BETWEEN :periodStart AND :periodEnd
          AND NOT EXISTS (SELECT 1 FROM therapist_payout_items pi WHERE pi.invoice_id = i.id)
        ORDER BY i.id FOR UPDATE OF i`,
      { therapistId, periodStart, periodEnd },
    );
    if (documents.length === 0) return null;
    const perDocument = documents.map((document) => ({ id: document.id, cents: Math.max(0, centsFromDecimal(document.gross)) }));
    const terms = await this.billing.terms(therapistId, null);
    const split = payoutSplit(perDocument.reduce((sum, document) => sum + document.cents, 0), terms.platformFeeRate);
    const [payout] = await this.select<{ id: string }>(
      `INSERT INTO therapist_payouts (therapist_id, period_start, period_end, total_sessions, gross_amount, platform_fee_percentage, platform_fee_amount, net_amount)
       VALUES (:therapistId, :periodStart, :periodEnd, :sessions, :gross, :feePercentage, :fee, :net)
       ON CONFLICT (therapist_id, period_start, period_end) DO NOTHING RETURNING id`,
      {
        therapistId,
        periodStart,
        periodEnd,
        sessions: documents.length,
        gross: decimalFromCents(split.grossCents),
        feePercentage: decimalFromCents(split.feeRate),
        fee: decimalFromCents(split.feeCents),
        net: decimalFromCents(split.netCents),
      },
    );
    if (!payout) return null;
    for (const document of perDocument) {
      await this.sequelize.query(`INSERT INTO therapist_payout_items (payout_id, invoice_id, gross_amount) VALUES (:payoutId, :invoiceId, :gross)`, {
        replacements: { payoutId: payout.id, invoiceId: document.id, gross: decimalFromCents(document.cents) },
      });
    }
    return (await this.find(payout.id))!;
  }

  async find(id: string): Promise<Payout | undefined> {
    const [row] = await this.select<PayoutRow>(`SELECT ${PAYOUT_COLUMNS} FROM therapist_payouts WHERE id = :id`, { id });
    return row && toPayout(row);
  }

  /** A therapist's own payouts (row-level security: nobody else's). */
  async list(viewer: AuthenticatedUser): Promise<Payout[]> {
    if (viewer.role !== 'therapist') throw new ForbiddenError('Payouts are the therapist’s');
    const rows = await this.select<PayoutRow>(`SELECT ${PAYOUT_COLUMNS} FROM therapist_payouts WHERE therapist_id = :me ORDER BY period_start DESC`, { me: viewer.id });
    return rows.map(toPayout);
  }

  async get(viewer: AuthenticatedUser, id: string): Promise<Payout> {
    const payout = viewer.role === 'super_admin' ? await runAsSystem(() => this.find(id)) : await this.find(id);
    if (!payout || (payout.therapistId !== viewer.id && viewer.role !== 'super_admin')) throw new NotFoundError('Payout');
    return payout;
  }

  /** pending → processing → completed or failed, by a super admin as the bank transfer goes. */
  async setStatus(viewer: AuthenticatedUser, id: string, status: Exclude<Payout['status'], 'pending'>, reference?: string): Promise<Payout> {
    if (viewer.role !== 'super_admin') throw new ForbiddenError('Payouts are settled by the platform');
    const allowed: Record<Payout['status'], Payout['status'][]> = { pending: ['processing', 'failed'], processing: ['completed', 'failed'], failed: ['processing'], completed: [] };
    return runAsSystem(async () => {
      const [row] = await this.select<{ status: Payout['status'] }>(`SELECT status FROM therapist_payouts WHERE id = :id FOR UPDATE`, { id });
      if (!row) throw new NotFoundError('Payout');
      if (!allowed[row.status].includes(status)) throw new ConflictError('INVALID_TRANSITION', `A ${row.status} payout cannot become ${status}`, { from: row.status, to: status });
      await this.sequelize.query(
        `UPDATE therapist_payouts SET status = CAST(:status AS payout_status), payout_reference = coalesce(:reference, payout_reference),
                paid_at = CASE WHEN :status = 'completed' THEN now() ELSE paid_at END WHERE id = :id`,
        { replacements: { id, status, reference: reference ?? null } },
      );
      return (await this.find(id))!;
    });
  }
}

function toPayout(row: PayoutRow): Payout {
  return {
    id: row.id,
    therapistId: row.therapist_id,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    sessions: row.total_sessions,
    grossCents: centsFromDecimal(row.gross_amount),
    platformFeeRate: basisPointsFromPercentage(row.platform_fee_percentage),
    platformFeeCents: centsFromDecimal(row.platform_fee_amount),
    netCents: centsFromDecimal(row.net_amount),
    status: row.status,
    paidAt: row.paid_at?.toISOString() ?? null,
  };
}
