import { QueryTypes, type Sequelize } from 'sequelize';
import type { PaymentMethod } from '@therapy-field/sync';
import { centsFromDecimal, decimalFromCents } from './money.js';
import type { SavedCard } from './payment-gateway.js';

export const PROVIDER = 'stripe';

export interface TransactionWrite {
  userId: string | null;
  invoiceId: string;
  amountCents: number;
  type: 'payment' | 'refund' | 'chargeback';
  status: 'pending' | 'processing' | 'completed' | 'failed';
  paymentMethodId: string | null;
  providerId: string;
  failureReason?: string | null;
}

interface CardRow {
  id: string;
  card_brand: string | null;
  last_four: string | null;
  expiry_month: number | null;
  expiry_year: number | null;
  is_default: boolean;
  provider_customer_id: string;
  provider_payment_method_id: string;
}

/** Saved cards (provider ids and last four only), money movements and the webhook events applied. */
export class PaymentsRepository {
  constructor(private readonly sequelize: Sequelize) {}

  private select<T extends object>(sql: string, replacements: Record<string, unknown> = {}): Promise<T[]> {
    return this.sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements });
  }

  async customerIdOf(userId: string): Promise<string | null> {
    const [row] = await this.select<{ provider_customer_id: string }>(
      `SELECT provider_customer_id FROM payment_methods WHERE user_id = :userId AND provider = :provider AND provider_customer_id IS NOT NULL ORDER BY created_at LIMIT 1`,
      { userId, provider: PROVIDER },
    );
    return row?.provider_customer_id ?? null;
  }

  async contact(userId: string): Promise<{ email: string; name: string }> {
    const [row] = await this.select<{ email: string; name: string }>(
      `SELECT u.email, trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) AS name FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id WHERE u.id = :userId`,
      { userId },
    );
    return row!;
  }

  /** Stores a card once (the same provider payment method again is the same card); the first is the default. */
  async saveCard(userId: string, providerPaymentMethodId: string, card: SavedCard): Promise<string> {
    const [row] = await this.select<{ id: string }>(
      `INSERT INTO payment_methods (user_id, type, is_default, provider, provider_customer_id, provider_payment_method_id, last_four, card_brand, expiry_month, expiry_year)
       VALUES (:userId, 'card', NOT EXISTS (SELECT 1 FROM payment_methods WHERE user_id = :userId AND is_default), :provider, :customerId, :providerPaymentMethodId,
               :lastFour, :brand, :expiryMonth, :expiryYear)
       ON CONFLICT (provider, provider_payment_method_id) WHERE provider_payment_method_id IS NOT NULL DO UPDATE SET updated_at = now()
       RETURNING id`,
      { userId, provider: PROVIDER, providerPaymentMethodId, ...card },
    );
    return row!.id;
  }

  async cards(userId: string): Promise<PaymentMethod[]> {
    const rows = await this.select<CardRow>(`SELECT * FROM payment_methods WHERE user_id = :userId AND type = 'card' ORDER BY is_default DESC, created_at`, { userId });
    return rows.map(toPaymentMethod);
  }

  async card(userId: string, id: string): Promise<CardRow | undefined> {
    const [row] = await this.select<CardRow>(`SELECT * FROM payment_methods WHERE id = :id AND user_id = :userId AND provider = :provider`, { id, userId, provider: PROVIDER });
    return row;
  }

  /**
   * Records a provider's money movement once per provider id. A status only moves forward
   * (pending → processing → failed → completed), so events that arrive out of order never undo a later state.
   */
  async upsertTransaction(write: TransactionWrite): Promise<{ id: string; status: string; changed: boolean }> {
    const [row] = await this.select<{ id: string; status: string; changed: boolean }>(
      `INSERT INTO transactions (user_id, invoice_id, amount, type, status, payment_method_id, provider, provider_transaction_id, failure_reason, processed_at)
       VALUES (:userId, :invoiceId, :amount, CAST(:type AS transaction_type), CAST(:status AS transaction_status), :paymentMethodId, :provider, :providerId, :failureReason,
               CASE WHEN :status IN ('completed', 'failed') THEN now() END)
       ON CONFLICT (provider, provider_transaction_id) WHERE provider_transaction_id IS NOT NULL DO UPDATE
          SET status = EXCLUDED.status, failure_reason = EXCLUDED.failure_reason, processed_at = EXCLUDED.processed_at
        WHERE transaction_status_rank(transactions.status) < transaction_status_rank(EXCLUDED.status)
       RETURNING id, status::text, true AS changed`,
      { failureReason: null, ...write, amount: decimalFromCents(write.amountCents), provider: PROVIDER },
    );
    if (row) return row;
    const [current] = await this.select<{ id: string; status: string }>(`SELECT id, status::text FROM transactions WHERE provider = :provider AND provider_transaction_id = :providerId`, {
      provider: PROVIDER,
      providerId: write.providerId,
    });
    return { ...current!, changed: false };
  }

  /** True the first time a webhook event is seen; false for a replay. */
  async firstDelivery(eventId: string, eventType: string): Promise<boolean> {
    const rows = await this.select<{ event_id: string }>(
      `INSERT INTO payment_webhook_events (provider, event_id, event_type) VALUES (:provider, :eventId, :eventType) ON CONFLICT DO NOTHING RETURNING event_id`,
      { provider: PROVIDER, eventId, eventType },
    );
    return rows.length > 0;
  }

  async transactionByProviderId(providerId: string): Promise<{ invoice_id: string; user_id: string | null; payment_method_id: string | null } | undefined> {
    const [row] = await this.select<{ invoice_id: string; user_id: string | null; payment_method_id: string | null }>(
      `SELECT invoice_id, user_id, payment_method_id FROM transactions WHERE provider = :provider AND provider_transaction_id = :providerId`,
      { provider: PROVIDER, providerId },
    );
    return row;
  }

  /** What was paid on a document (completed payments) and what of it went back (refunds and chargebacks not failed). */
  async balance(invoiceId: string): Promise<{ paidCents: number; refundedCents: number; paymentIntentId: string | null; failedAttempts: number }> {
    const [row] = await this.select<{ paid: string; refunded: string; payment_intent_id: string | null; failed: number }>(
      `SELECT coalesce(sum(amount) FILTER (WHERE type = 'payment' AND status = 'completed'), 0)::numeric(12,2)::text AS paid,
              coalesce(sum(amount) FILTER (WHERE type IN ('refund', 'chargeback') AND status <> 'failed' AND status <> 'cancelled'), 0)::numeric(12,2)::text AS refunded,
              (array_agg(provider_transaction_id ORDER BY created_at DESC) FILTER (WHERE type = 'payment' AND status = 'completed'))[1] AS payment_intent_id,
              count(*) FILTER (WHERE type = 'payment' AND status = 'failed')::int AS failed
         FROM transactions WHERE invoice_id = :invoiceId AND deleted_at IS NULL`,
      { invoiceId },
    );
    return { paidCents: centsFromDecimal(row!.paid), refundedCents: centsFromDecimal(row!.refunded), paymentIntentId: row!.payment_intent_id, failedAttempts: row!.failed };
  }

  async instantConfirmation(therapistId: string): Promise<boolean> {
    const [row] = await this.select<{ instant_confirmation: boolean }>(`SELECT instant_confirmation FROM therapist_profiles WHERE user_id = :therapistId`, { therapistId });
    return row?.instant_confirmation ?? false;
  }
}

function toPaymentMethod(row: CardRow): PaymentMethod {
  return { id: row.id, brand: row.card_brand, lastFour: row.last_four, expiryMonth: row.expiry_month, expiryYear: row.expiry_year, isDefault: row.is_default };
}
