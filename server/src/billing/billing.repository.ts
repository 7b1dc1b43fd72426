import { QueryTypes, type Sequelize } from 'sequelize';
import type { BillingSettings, PriceQuote } from '@therapy-field/sync';
import { basisPointsFromPercentage, type BasisPoints } from './money.js';
import type { Party } from './invoices.repository.js';

export interface BillableAppointment {
  id: string;
  therapist_id: string;
  client_id: string;
  appointment_type_id: string | null;
  type_name: string | null;
  requires_payment_upfront: boolean;
  status: string;
  scheduled_start: Date;
  price_cents: number | null;
  billed_to: 'client' | 'company' | null;
  billed_business_id: string | null;
  is_late_cancellation: boolean;
  cancelled_by: string | null;
  client_language: 'el' | 'en';
}

export interface TherapistTerms {
  vatExempt: boolean;
  platformFeeRate: BasisPoints;
  lateCancellationFeeRate: BasisPoints;
  noShowFeeRate: BasisPoints;
  issuer: Party;
}

interface SettingsRow {
  vat_exempt: boolean;
  platform_fee_percentage: string;
  late_cancellation_fee_percentage: string;
  no_show_fee_percentage: string;
  tax_id: string | null;
  business_name: string | null;
  business_address: string | null;
}

const DEFAULT_SETTINGS: SettingsRow = {
  vat_exempt: true,
  platform_fee_percentage: '20.00',
  late_cancellation_fee_percentage: '0.00',
  no_show_fee_percentage: '0.00',
  tax_id: null,
  business_name: null,
  business_address: null,
};

/** What billing reads of appointments, people and companies, and a therapist's billing terms. */
export class BillingRepository {
  constructor(private readonly sequelize: Sequelize) {}

  private select<T extends object>(sql: string, replacements: Record<string, unknown> = {}): Promise<T[]> {
    return this.sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements });
  }

  async quote(therapistId: string, appointmentTypeId: string, clientId: string, start: string): Promise<PriceQuote> {
    const [price] = await this.select<{ price_cents: number; billed_to: 'client' | 'company'; list_price_cents: number; sliding_scale_minimum_cents: number | null }>(
      `SELECT * FROM appointment_price(:therapistId, :appointmentTypeId, :clientId, :start)`,
      { therapistId, appointmentTypeId, clientId, start },
    );
    const [type] = await this.select<{ requires_payment_upfront: boolean }>(`SELECT requires_payment_upfront FROM appointment_types WHERE id = :appointmentTypeId`, { appointmentTypeId });
    return {
      priceCents: price?.price_cents ?? null,
      listPriceCents: price?.list_price_cents ?? null,
      slidingScaleMinimumCents: price?.sliding_scale_minimum_cents ?? null,
      billedTo: price?.billed_to ?? null,
      currency: 'EUR',
      requiresPaymentUpfront: type?.requires_payment_upfront ?? false,
    };
  }

  /** The appointment with what billing needs; locked for the rest of the transaction when `lock`. */
  async appointment(id: string, lock = false): Promise<BillableAppointment | undefined> {
    const [row] = await this.select<BillableAppointment>(
      `SELECT a.id, a.therapist_id, a.client_id, a.appointment_type_id, t.name AS type_name, coalesce(t.requires_payment_upfront, false) AS requires_payment_upfront,
              a.status, a.scheduled_start, a.price_cents, a.billed_to, a.billed_business_id, a.is_late_cancellation, a.cancelled_by,
              coalesce(p.language, 'el') AS client_language
         FROM appointments a LEFT JOIN appointment_types t ON t.id = a.appointment_type_id
         LEFT JOIN user_profiles p ON p.user_id = a.client_id
        WHERE a.id = :id ${lock ? 'FOR UPDATE OF a' : ''}`,
      { id },
    );
    return row;
  }

  async setPrice(appointmentId: string, priceCents: number): Promise<void> {
    await this.sequelize.query(`UPDATE appointments SET price_cents = :priceCents WHERE id = :appointmentId`, { replacements: { appointmentId, priceCents } });
  }

  /** The sliding-scale minimum of the rate the appointment was priced by, if that rate offers one. */
  async slidingScaleMinimum(appointment: BillableAppointment): Promise<number | null> {
    if (!appointment.appointment_type_id) return null;
    const [row] = await this.select<{ sliding_scale_minimum_cents: number | null }>(
      `SELECT sliding_scale_minimum_cents FROM appointment_price(:therapistId, :typeId, :clientId, :start)`,
      { therapistId: appointment.therapist_id, typeId: appointment.appointment_type_id, clientId: appointment.client_id, start: appointment.scheduled_start },
    );
    return row?.sliding_scale_minimum_cents ?? null;
  }

  async partyName(userId: string): Promise<Party> {
    const [row] = await this.select<{ name: string }>(
      `SELECT trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) AS name FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id WHERE u.id = :userId`,
      { userId },
    );
    return { name: row?.name || '—', taxId: null, address: null };
  }

  async company(businessId: string): Promise<Party & { language: 'el' | 'en' }> {
    const [row] = await this.select<{ company_name: string; company_tax_id: string | null; billing_address: unknown }>(
      `SELECT company_name, company_tax_id, billing_address FROM business_accounts WHERE id = :businessId`,
      { businessId },
    );
    const address = row?.billing_address ? Object.values(row.billing_address as Record<string, string>).join(', ') : null;
    return { name: row?.company_name ?? '—', taxId: row?.company_tax_id ?? null, address, language: 'el' };
  }

  private async settingsRow(therapistId: string): Promise<SettingsRow> {
    const [row] = await this.select<SettingsRow>(`SELECT * FROM therapist_billing_settings WHERE therapist_id = :therapistId`, { therapistId });
    return row ?? DEFAULT_SETTINGS;
  }

  async terms(therapistId: string, appointmentTypeId: string | null): Promise<TherapistTerms> {
    const settings = await this.settingsRow(therapistId);
    const [typeRule] = appointmentTypeId
      ? await this.select<{ vat_exempt: boolean }>(`SELECT vat_exempt FROM therapist_type_vat WHERE therapist_id = :therapistId AND appointment_type_id = :appointmentTypeId`, {
          therapistId,
          appointmentTypeId,
        })
      : [];
    const person = await this.partyName(therapistId);
    return {
      vatExempt: typeRule?.vat_exempt ?? settings.vat_exempt,
      platformFeeRate: basisPointsFromPercentage(settings.platform_fee_percentage),
      lateCancellationFeeRate: basisPointsFromPercentage(settings.late_cancellation_fee_percentage),
      noShowFeeRate: basisPointsFromPercentage(settings.no_show_fee_percentage),
      issuer: { name: settings.business_name ?? person.name, taxId: settings.tax_id, address: settings.business_address },
    };
  }

  async settings(therapistId: string): Promise<BillingSettings> {
    const row = await this.settingsRow(therapistId);
    const types = await this.select<{ appointment_type_id: string; vat_exempt: boolean }>(
      `SELECT appointment_type_id, vat_exempt FROM therapist_type_vat WHERE therapist_id = :therapistId ORDER BY appointment_type_id`,
      { therapistId },
    );
    return {
      vatExempt: row.vat_exempt,
      platformFeePercentage: Number(row.platform_fee_percentage),
      lateCancellationFeePercentage: Number(row.late_cancellation_fee_percentage),
      noShowFeePercentage: Number(row.no_show_fee_percentage),
      taxId: row.tax_id,
      businessName: row.business_name,
      businessAddress: row.business_address,
      vatExemptTypes: types.map((type) => ({ appointmentTypeId: type.appointment_type_id, vatExempt: type.vat_exempt })),
    };
  }

  async updateSettings(therapistId: string, changes: Record<string, unknown>): Promise<void> {
    await this.sequelize.query(`INSERT INTO therapist_billing_settings (therapist_id) VALUES (:therapistId) ON CONFLICT DO NOTHING`, { replacements: { therapistId } });
    const columns = Object.keys(changes);
    if (columns.length === 0) return;
    await this.sequelize.query(`UPDATE therapist_billing_settings SET ${columns.map((column) => `${column} = :${column}`).join(', ')} WHERE therapist_id = :therapistId`, {
      replacements: { ...changes, therapistId },
    });
  }

  async replaceTypeVat(therapistId: string, rules: Array<{ appointmentTypeId: string; vatExempt: boolean }>): Promise<void> {
    await this.sequelize.query(`DELETE FROM therapist_type_vat WHERE therapist_id = :therapistId`, { replacements: { therapistId } });
    for (const rule of rules) {
      await this.sequelize.query(`INSERT INTO therapist_type_vat (therapist_id, appointment_type_id, vat_exempt) VALUES (:therapistId, :appointmentTypeId, :vatExempt)`, {
        replacements: { therapistId, ...rule },
      });
    }
  }

  async isTherapist(userId: string): Promise<boolean> {
    const [row] = await this.select<{ id: string }>(`SELECT id FROM users WHERE id = :userId AND role = 'therapist'`, { userId });
    return row !== undefined;
  }

  /** Company-paid sessions held in a month, per company, unit price and VAT treatment: counts only, never who. */
  async companySessions(month: string): Promise<Array<{ business_id: string; price_cents: number; vat_exempt: boolean; sessions: number }>> {
    return this.select(
      `SELECT a.billed_business_id AS business_id, a.price_cents,
              coalesce(tv.vat_exempt, s.vat_exempt, true) AS vat_exempt, count(*)::int AS sessions
         FROM appointments a
         LEFT JOIN therapist_billing_settings s ON s.therapist_id = a.therapist_id
         LEFT JOIN therapist_type_vat tv ON tv.therapist_id = a.therapist_id AND tv.appointment_type_id = a.appointment_type_id
        WHERE a.billed_to = 'company' AND a.billed_business_id IS NOT NULL AND a.status = 'completed' AND a.price_cents > 0
          AND to_char(a.scheduled_start AT TIME ZONE 'Europe/Athens', 'YYYY-MM') = :month
        GROUP BY 1, 2, 3 ORDER BY 1, 2 DESC, 3`,
      { month },
    );
  }
}
