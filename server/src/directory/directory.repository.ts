import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

export interface TherapistRow {
  user_id: string;
  first_name: string;
  last_name: string;
  license_number: string;
  license_type: string | null;
  license_issued_date: string | null;
  license_expiry_date: string | null;
  professional_title: string | null;
  bio: string | null;
  years_of_experience: number | null;
  offers_online_therapy: boolean;
  offers_in_person_therapy: boolean;
  timezone: string;
  buffer_minutes: number;
  min_notice_minutes: number;
  booking_horizon_days: number;
  instant_confirmation: boolean;
  is_verified: boolean;
  is_active: boolean;
  user_status: string;
}

/** Columns a PATCH may write, by API name. */
export const therapistColumns = {
  professionalTitle: 'professional_title',
  bio: 'bio',
  yearsOfExperience: 'years_of_experience',
  licenseType: 'license_type',
  licenseIssuedDate: 'license_issued_date',
  licenseExpiryDate: 'license_expiry_date',
  offersOnlineTherapy: 'offers_online_therapy',
  offersInPersonTherapy: 'offers_in_person_therapy',
  isActive: 'is_active',
  timezone: 'timezone',
  bufferMinutes: 'buffer_minutes',
  minNoticeMinutes: 'min_notice_minutes',
  bookingHorizonDays: 'booking_horizon_days',
  instantConfirmation: 'instant_confirmation',
} as const;

/** The queries behind the therapist directory, and nothing else. */
export class DirectoryRepository {
  constructor(private readonly sequelize: Sequelize) {}

  transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(work);
  }

  private select<T extends object>(sql: string, replacements: Record<string, unknown> = {}, transaction?: Transaction): Promise<T[]> {
    return this.sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements, transaction });
  }

  async findTherapist(id: string): Promise<TherapistRow | null> {
    const [row] = await this.select<TherapistRow>(
      `SELECT tp.*, tp.license_issued_date::text AS license_issued_date, tp.license_expiry_date::text AS license_expiry_date,
              up.first_name, up.last_name, u.status AS user_status
         FROM therapist_profiles tp JOIN user_profiles up ON up.user_id = tp.user_id JOIN users u ON u.id = tp.user_id
        WHERE tp.user_id = :id AND u.deleted_at IS NULL`,
      { id },
    );
    return row ?? null;
  }

  specializationsOf(id: string) {
    return this.select<{ id: string; name_en: string; name_el: string; is_primary: boolean; years_experience: number | null }>(
      `SELECT s.id, s.name_en, s.name_el, ts.is_primary, ts.years_experience
         FROM therapist_specializations ts JOIN specializations s ON s.id = ts.specialization_id
        WHERE ts.therapist_id = :id ORDER BY ts.is_primary DESC, s.name_en`,
      { id },
    );
  }

  approachesOf(id: string) {
    return this.select<{ id: string; name_en: string; name_el: string; proficiency_level: string | null }>(
      `SELECT a.id, a.name_en, a.name_el, ta.proficiency_level
         FROM therapist_approaches ta JOIN therapeutic_approaches a ON a.id = ta.approach_id
        WHERE ta.therapist_id = :id ORDER BY a.name_en`,
      { id },
    );
  }

  languagesOf(id: string) {
    return this.select<{ language_code: string; proficiency_level: string | null }>(
      `SELECT language_code, proficiency_level FROM therapist_languages WHERE therapist_id = :id ORDER BY language_code`,
      { id },
    );
  }

  locationsOf(id: string) {
    return this.select<{
      id: string; practice_name: string | null; address_line1: string; city: string; postal_code: string | null;
      country: string; latitude: string | null; longitude: string | null;
    }>(`SELECT * FROM therapist_locations WHERE therapist_id = :id AND is_active ORDER BY created_at`, { id });
  }

  ratesOf(id: string) {
    return this.select<{
      id: string; appointment_type_id: string | null; rate_amount: string; currency: string; effective_from: string;
      effective_to: string | null; corporate_rate: string | null; sliding_scale_available: boolean; sliding_scale_minimum: string | null;
    }>(
      `SELECT id, appointment_type_id, rate_amount, currency, effective_from::text, effective_to::text, corporate_rate,
              sliding_scale_available, sliding_scale_minimum
         FROM therapist_rates WHERE therapist_id = :id ORDER BY effective_from DESC`,
      { id },
    );
  }

  async updateTherapist(id: string, changes: Partial<Record<(typeof therapistColumns)[keyof typeof therapistColumns], unknown>>): Promise<void> {
    const columns = Object.keys(changes);
    if (columns.length === 0) return;
    await this.sequelize.query(`UPDATE therapist_profiles SET ${columns.map((column) => `${column} = :${column}`).join(', ')} WHERE user_id = :id`, {
      replacements: { ...changes, id },
    });
  }

  /** Replaces one of the therapist's link tables (specializations, approaches, languages) in one transaction. */
  async replaceLinks(table: 'therapist_specializations' | 'therapist_approaches' | 'therapist_languages', id: string, rows: Array<Record<string, unknown>>) {
    await this.transaction(async (transaction) => {
      await this.sequelize.query(`DELETE FROM ${table} WHERE therapist_id = :id`, { replacements: { id }, transaction });
      for (const row of rows) {
        const columns = Object.keys(row);
        await this.sequelize.query(
          `INSERT INTO ${table} (therapist_id, ${columns.join(', ')}) VALUES (:therapistId, ${columns.map((column) => `:${column}`).join(', ')})`,
          { replacements: { ...row, therapistId: id }, transaction },
        );
      }
    });
  }

  async addLocation(id: string, location: Record<string, unknown>): Promise<string> {
    const [row] = await this.select<{ id: string }>(
      `INSERT INTO therapist_locations (therapist_id, practice_name, address_line1, city, postal_code, country, latitude, longitude)
       VALUES (:id, :practiceName, :addressLine1, :city, :postalCode, :country, :latitude, :longitude) RETURNING id`,
      { practiceName: null, postalCode: null, latitude: null, longitude: null, ...location, id },
    );
    return row!.id;
  }

  async deactivateLocation(therapistId: string, locationId: string): Promise<boolean> {
    const rows = await this.select<{ id: string }>(
      `UPDATE therapist_locations SET is_active = FALSE WHERE id = :locationId AND therapist_id = :therapistId AND is_active RETURNING id`,
      { therapistId, locationId },
    );
    return rows.length > 0;
  }

  async addRate(id: string, rate: Record<string, unknown>): Promise<void> {
    await this.sequelize.query(
      `INSERT INTO therapist_rates (therapist_id, appointment_type_id, rate_amount, currency, effective_from, effective_to,
                                    corporate_rate, sliding_scale_available, sliding_scale_minimum)
       VALUES (:id, :appointmentTypeId, :amount, :currency, :effectiveFrom, :effectiveTo, :corporateRate, :slidingScaleAvailable, :slidingScaleMinimum)`,
      { replacements: { appointmentTypeId: null, effectiveTo: null, corporateRate: null, slidingScaleMinimum: null, ...rate, id } },
    );
  }

  catalog(table: 'specializations' | 'therapeutic_approaches') {
    return this.select<{ id: string; name_en: string; name_el: string }>(
      `SELECT id, name_en, name_el FROM ${table} ${table === 'specializations' ? 'WHERE is_active' : ''} ORDER BY name_en`,
    );
  }

  async addCatalogEntry(table: 'specializations' | 'therapeutic_approaches', entry: { nameEn: string; nameEl: string; category?: string; abbreviation?: string }) {
    const extra = table === 'specializations' ? ['category', entry.category ?? null] : ['abbreviation', entry.abbreviation ?? null];
    const [row] = await this.select<{ id: string; name_en: string; name_el: string }>(
      `INSERT INTO ${table} (name_en, name_el, ${extra[0]}) VALUES (:nameEn, :nameEl, :extra) RETURNING id, name_en, name_el`,
      { nameEn: entry.nameEn, nameEl: entry.nameEl, extra: extra[1] },
    );
    return row!;
  }

  appointmentTypes() {
    return this.select<AppointmentTypeRow>(`SELECT * FROM appointment_types WHERE is_active ORDER BY name`);
  }

  async addAppointmentType(type: { name: string; durationMinutes: number; description?: string; isInitialAssessment: boolean; requiresPaymentUpfront: boolean }) {
    const [row] = await this.select<AppointmentTypeRow>(
      `INSERT INTO appointment_types (name, duration_minutes, description, is_initial_assessment, requires_payment_upfront)
       VALUES (:name, :durationMinutes, :description, :isInitialAssessment, :requiresPaymentUpfront) RETURNING *`,
      { description: null, ...type },
    );
    return row!;
  }
}

export interface AppointmentTypeRow {
  id: string;
  name: string;
  duration_minutes: number;
  is_initial_assessment: boolean;
  requires_payment_upfront: boolean;
}
