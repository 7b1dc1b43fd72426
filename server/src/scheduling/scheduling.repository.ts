import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { type AppointmentStatus, type AvailabilityException, type AvailabilityTemplate } from '@therapy-field/sync';
import { competingWriteConflict } from '../database/index.js';
import type { TherapistRow } from '../directory/index.js';
import type { BusyTime, DateException, TemplateWindow } from './slots.js';

/** The directory's therapist row, narrowed to what booking rules read. */
export type TherapistSchedule = Pick<
  TherapistRow,
  'user_id' | 'timezone' | 'buffer_minutes' | 'min_notice_minutes' | 'booking_horizon_days' | 'instant_confirmation' | 'is_verified' | 'is_active' | 'user_status'
>;

export interface AppointmentRow {
  id: string;
  client_id: string;
  therapist_id: string;
  appointment_type_id: string | null;
  recurring_appointment_id: string | null;
  scheduled_start: Date;
  scheduled_end: Date;
  actual_start: Date | null;
  actual_end: Date | null;
  location_id: string | null;
  is_online: boolean;
  status: AppointmentStatus;
  cancellation_reason: string | null;
  cancelled_by: string | null;
  cancelled_at: Date | null;
  is_late_cancellation: boolean;
  rescheduled_from: string | null;
  client_notes: string | null;
  therapist_private_notes: Buffer | null;
}

export interface NewAppointment {
  clientId: string;
  therapistId: string;
  appointmentTypeId: string;
  recurringAppointmentId?: string | null;
  start: Date;
  end: Date;
  isOnline: boolean;
  locationId: string | null;
  status: 'proposed' | 'requested' | 'confirmed';
  clientNotes: string | null;
  rescheduledFrom?: string | null;
}

export interface SeriesRow {
  id: string;
  client_id: string;
  therapist_id: string;
  appointment_type_id: string | null;
  frequency: 'weekly' | 'biweekly' | 'monthly';
  time_of_day: string;
  location_id: string | null;
  session_type: 'online' | 'in_person' | null;
  start_date: string;
  end_date: string | null;
  is_active: boolean;
  /** null: the client's own series; else the therapist proposed it (see migration 0610). */
  proposal_status: 'proposed' | 'accepted' | 'declined' | null;
}

export interface Participant {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  language: 'el' | 'en';
  phone: string | null;
  email_reminders: boolean;
}

const SERIES_COLUMNS = `id, client_id, therapist_id, appointment_type_id, frequency, time_of_day::text AS time_of_day, location_id,
  session_type, start_date::text AS start_date, end_date::text AS end_date, is_active, proposal_status`;

/** The queries behind availability, slots, appointments and series, and nothing else. */
export class SchedulingRepository {
  constructor(readonly sequelize: Sequelize) {}

  transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(work);
  }

  /**
   * Competing bookings of one therapist wait for each other here, the first statement of the
   * booking transaction: concurrent inserts checking the exclusion constraints can otherwise
   * deadlock (seen: 2 of 40 rounds of 100 racers, each 50 s with the pool starved).
   */
  async lockTherapistBookings(therapistId: string, transaction: Transaction): Promise<void> {
    await this.sequelize.query(`SELECT pg_advisory_xact_lock(hashtext('appointments.therapist'), hashtext(:therapistId))`, {
      replacements: { therapistId },
      transaction,
    });
  }

  private select<T extends object>(sql: string, replacements: Record<string, unknown> = {}, transaction?: Transaction): Promise<T[]> {
    return this.sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements, transaction });
  }

  async therapistSchedule(id: string, transaction?: Transaction): Promise<TherapistSchedule | null> {
    const [row] = await this.select<TherapistSchedule>(
      `SELECT tp.user_id, tp.timezone, tp.buffer_minutes, tp.min_notice_minutes, tp.booking_horizon_days, tp.instant_confirmation,
              tp.is_verified, tp.is_active, u.status AS user_status
         FROM therapist_profiles tp JOIN users u ON u.id = tp.user_id WHERE tp.user_id = :id AND u.deleted_at IS NULL`,
      { id },
      transaction,
    );
    return row ?? null;
  }

  async appointmentTypeDuration(id: string): Promise<number | null> {
    const [row] = await this.select<{ duration_minutes: number }>(`SELECT duration_minutes FROM appointment_types WHERE id = :id AND is_active`, { id });
    return row?.duration_minutes ?? null;
  }

  templates(therapistId: string): Promise<TemplateWindow[]> {
    return this.select<TemplateWindow>(
      `SELECT day_of_week AS "dayOfWeek", to_char(start_time, 'HH24:MI') AS "startTime", to_char(end_time, 'HH24:MI') AS "endTime",
              session_type AS "sessionType", location_id AS "locationId"
         FROM availability_templates WHERE therapist_id = :therapistId AND is_active ORDER BY day_of_week, start_time`,
      { therapistId },
    );
  }

  exceptions(therapistId: string, fromDate?: string, toDate?: string): Promise<Array<DateException & { reason: string | null }>> {
    return this.select(
      `SELECT exception_date::text AS date, to_char(start_time, 'HH24:MI') AS "startTime", to_char(end_time, 'HH24:MI') AS "endTime",
              is_available AS "isAvailable", reason
         FROM availability_exceptions
        WHERE therapist_id = :therapistId AND (CAST(:fromDate AS date) IS NULL OR exception_date BETWEEN :fromDate AND :toDate)
        ORDER BY exception_date`,
      { therapistId, fromDate: fromDate ?? null, toDate: toDate ?? null },
    );
  }

  async replaceTemplates(therapistId: string, templates: AvailabilityTemplate[]): Promise<void> {
    await this.transaction(async (transaction) => {
      await this.sequelize.query(`DELETE FROM availability_templates WHERE therapist_id = :therapistId`, { replacements: { therapistId }, transaction });
      for (const template of templates) {
        await this.sequelize.query(
          `INSERT INTO availability_templates (therapist_id, day_of_week, start_time, end_time, session_type, location_id)
           VALUES (:therapistId, :dayOfWeek, :startTime, :endTime, :sessionType, :locationId)`,
          { replacements: { therapistId, ...template }, transaction },
        );
      }
    });
  }

  async upsertException(therapistId: string, exception: AvailabilityException): Promise<void> {
    await this.sequelize.query(
      `INSERT INTO availability_exceptions (therapist_id, exception_date, start_time, end_time, is_available, reason)
       VALUES (:therapistId, :date, :startTime, :endTime, :isAvailable, :reason)
       ON CONFLICT (therapist_id, exception_date) DO UPDATE
          SET start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time, is_available = EXCLUDED.is_available, reason = EXCLUDED.reason`,
      { replacements: { therapistId, ...exception } },
    );
  }

  async deleteException(therapistId: string, date: string): Promise<boolean> {
    const rows = await this.select<{ id: string }>(
      `DELETE FROM availability_exceptions WHERE therapist_id = :therapistId AND exception_date = :date RETURNING id`,
      { therapistId, date },
    );
    return rows.length > 0;
  }

  /** Times the therapist is already booked (requested or confirmed) around `[from, to)`. */
  busy(therapistId: string, from: Date, to: Date, transaction?: Transaction): Promise<Array<BusyTime & { id: string }>> {
    return this.select<BusyTime & { id: string }>(
      // Through a function: the asker may not see others' appointments, only when the therapist is busy.
      `SELECT id, start, "end" FROM therapist_busy_times(:therapistId, :from, :to)`,
      { therapistId, from, to },
      transaction,
    );
  }

  async insertAppointment(appointment: NewAppointment, transaction: Transaction): Promise<AppointmentRow> {
    const [row] = await this.select<AppointmentRow>(
      `INSERT INTO appointments (client_id, therapist_id, appointment_type_id, recurring_appointment_id, scheduled_start, scheduled_end,
                                 is_online, location_id, status, client_notes, rescheduled_from, buffer_minutes)
       VALUES (:clientId, :therapistId, :appointmentTypeId, :recurringAppointmentId, :start, :end, :isOnline, :locationId, :status,
               :clientNotes, :rescheduledFrom, (SELECT buffer_minutes FROM therapist_profiles WHERE user_id = :therapistId))
       RETURNING *`,
      { recurringAppointmentId: null, rescheduledFrom: null, ...appointment },
      transaction,
    ).catch(rethrowOverlap);
    return row!;
  }

  async findAppointment(id: string, transaction?: Transaction, lock = false): Promise<AppointmentRow | null> {
    const [row] = await this.select<AppointmentRow>(
      `SELECT * FROM appointments WHERE id = :id AND deleted_at IS NULL ${lock ? 'FOR UPDATE' : ''}`,
      { id },
      transaction,
    );
    return row ?? null;
  }

  async updateAppointment(id: string, changes: Record<string, unknown>, transaction: Transaction): Promise<AppointmentRow> {
    const columns = Object.keys(changes);
    const [row] = await this.select<AppointmentRow>(
      `UPDATE appointments SET ${columns.map((column) => `${column} = :${column}`).join(', ')} WHERE id = :id RETURNING *`,
      { ...changes, id },
      transaction,
    ).catch(rethrowOverlap);
    return row!;
  }

  listAppointments(userId: string, filters: { from?: string; to?: string; status?: string }): Promise<AppointmentRow[]> {
    return this.select<AppointmentRow>(
      `SELECT * FROM appointments
        WHERE (therapist_id = :userId OR client_id = :userId) AND deleted_at IS NULL
          AND (CAST(:from AS timestamptz) IS NULL OR scheduled_end > :from)
          AND (CAST(:to AS timestamptz) IS NULL OR scheduled_start < :to)
          AND (CAST(:status AS appointment_status) IS NULL OR status = :status)
        ORDER BY scheduled_start LIMIT 500`,
      { userId, from: filters.from ?? null, to: filters.to ?? null, status: filters.status ?? null },
    );
  }

  /**
   * Counts one session against a business employee's limit. The row lock in the UPDATE makes
   * concurrent bookings wait for each other, so the count never passes the limit. False: limit reached.
   * Clients who are not active employees of a business pay themselves and always pass.
   */
  async useEmployeeSession(clientId: string, transaction: Transaction): Promise<boolean> {
    // READ COMMITTED re-checks the WHERE on the row version left by a concurrent booking.
    const used = await this.select<{ id: string }>(
      `UPDATE business_employees SET therapy_sessions_used = therapy_sessions_used + 1
        WHERE user_id = :clientId AND enrollment_status = 'active'
          AND (therapy_sessions_limit IS NULL OR therapy_sessions_used < therapy_sessions_limit)
        RETURNING id`,
      { clientId },
      transaction,
    );
    if (used.length > 0) return true;
    const employed = await this.select<{ id: string }>(
      `SELECT id FROM business_employees WHERE user_id = :clientId AND enrollment_status = 'active'`,
      { clientId },
      transaction,
    );
    return employed.length === 0;
  }

  async releaseEmployeeSession(clientId: string, transaction: Transaction): Promise<void> {
    await this.sequelize.query(
      `UPDATE business_employees SET therapy_sessions_used = therapy_sessions_used - 1
        WHERE user_id = :clientId AND enrollment_status = 'active' AND therapy_sessions_used > 0`,
      { replacements: { clientId }, transaction },
    );
  }

  /** Whether this booking must be paid before it is confirmed (the type is paid upfront and the client pays; migration 1640). */
  async requiresPrepayment(therapistId: string, appointmentTypeId: string, clientId: string, start: Date): Promise<boolean> {
    const rows = await this.select<{ required: boolean }>(`SELECT requires_prepayment(:therapistId, :appointmentTypeId, :clientId, :start) AS required`, {
      therapistId,
      appointmentTypeId,
      clientId,
      start,
    });
    return rows[0]?.required === true;
  }

  async isActiveClient(id: string): Promise<boolean> {
    // SECURITY DEFINER (migration 0903): a therapist proposing to a new client may not see their account row.
    const rows = await this.select<{ active: boolean }>(`SELECT is_active_client(:id) AS active`, { id });
    return rows[0]?.active === true;
  }

  async participants(ids: string[], transaction?: Transaction): Promise<Participant[]> {
    return this.select<Participant>(
      `SELECT u.id, u.email, up.first_name, up.last_name, up.language, up.phone, up.email_reminders
         FROM users u JOIN user_profiles up ON up.user_id = u.id WHERE u.id IN (:ids)`,
      { ids },
      transaction,
    );
  }

  async createSeries(series: Omit<SeriesRow, 'id' | 'is_active'> & { day_of_week: number }): Promise<SeriesRow> {
    const [row] = await this.select<SeriesRow>(
      `INSERT INTO recurring_appointments (client_id, therapist_id, appointment_type_id, frequency, day_of_week, time_of_day, location_id,
                                           session_type, start_date, end_date, proposal_status)
       VALUES (:client_id, :therapist_id, :appointment_type_id, :frequency, :day_of_week, :time_of_day, :location_id, :session_type,
               :start_date, :end_date, :proposal_status)
       RETURNING ${SERIES_COLUMNS}`,
      series,
    );
    return row!;
  }

  async findSeries(id: string, transaction?: Transaction, lock = false): Promise<SeriesRow | null> {
    const [row] = await this.select<SeriesRow>(`SELECT ${SERIES_COLUMNS} FROM recurring_appointments WHERE id = :id ${lock ? 'FOR UPDATE' : ''}`, { id }, transaction);
    return row ?? null;
  }

  /** The client's answer to a proposed series; a declined one books nothing more. */
  async answerSeriesProposal(id: string, answer: 'accepted' | 'declined', transaction: Transaction): Promise<void> {
    await this.sequelize.query(
      `UPDATE recurring_appointments SET proposal_status = :answer, is_active = is_active AND :answer = 'accepted' WHERE id = :id`,
      { replacements: { id, answer }, transaction },
    );
  }

  activeSeries(): Promise<SeriesRow[]> {
    return this.select<SeriesRow>(`SELECT ${SERIES_COLUMNS} FROM recurring_appointments WHERE is_active ORDER BY created_at`);
  }

  async endSeries(id: string, endDate: string | null, transaction: Transaction): Promise<void> {
    await this.sequelize.query(
      `UPDATE recurring_appointments SET end_date = CASE WHEN CAST(:endDate AS date) < start_date THEN start_date ELSE CAST(:endDate AS date) END,
              is_active = CASE WHEN CAST(:endDate AS date) < start_date THEN FALSE ELSE is_active END
        WHERE id = :id`,
      { replacements: { id, endDate }, transaction },
    );
  }

  seriesAppointments(id: string, from?: Date, transaction?: Transaction, lock = false): Promise<AppointmentRow[]> {
    return this.select<AppointmentRow>(
      `SELECT * FROM appointments WHERE recurring_appointment_id = :id AND deleted_at IS NULL
          AND (CAST(:from AS timestamptz) IS NULL OR scheduled_start >= :from)
        ORDER BY scheduled_start ${lock ? 'FOR UPDATE' : ''}`,
      { id, from: from ?? null },
      transaction,
    );
  }

  /** Occurrence starts already handled: booked (in any status) or reported as a conflict. */
  async handledOccurrences(id: string): Promise<Set<number>> {
    const rows = await this.select<{ start: Date }>(
      `SELECT scheduled_start AS start FROM appointments WHERE recurring_appointment_id = :id
       UNION SELECT occurrence_start FROM recurring_appointment_conflicts WHERE recurring_appointment_id = :id`,
      { id },
    );
    return new Set(rows.map((row) => row.start.getTime()));
  }

  /** Records a conflict once; false when it was already recorded (by another node, say). */
  async recordConflict(id: string, occurrenceStart: Date, reason: string, transaction?: Transaction): Promise<boolean> {
    const rows = await this.select<{ id: string }>(
      `INSERT INTO recurring_appointment_conflicts (recurring_appointment_id, occurrence_start, reason)
       VALUES (:id, :occurrenceStart, :reason) ON CONFLICT DO NOTHING RETURNING id`,
      { id, occurrenceStart, reason },
      transaction,
    );
    return rows.length > 0;
  }

  conflicts(id: string) {
    return this.select<{ occurrence_start: Date; reason: 'exception' | 'overlap' | 'session_limit' | 'unavailable' }>(
      `SELECT occurrence_start, reason FROM recurring_appointment_conflicts WHERE recurring_appointment_id = :id ORDER BY occurrence_start`,
      { id },
    );
  }

  async notify(userId: string, type: string, title: string, message: string, data: Record<string, unknown>, transaction?: Transaction) {
    await this.sequelize.query(
      `INSERT INTO notifications (user_id, type, title, message, data) VALUES (:userId, :type, :title, :message, :data)`,
      { replacements: { userId, type, title, message, data: JSON.stringify(data) }, transaction },
    );
  }

  async setPrivateNotes(id: string, sealed: Buffer | null, keyId: string | null, transaction: Transaction): Promise<void> {
    await this.sequelize.query(`UPDATE appointments SET therapist_private_notes = :sealed, encryption_key_id = :keyId WHERE id = :id`, {
      replacements: { id, sealed, keyId },
      transaction,
    });
  }

  upcomingForTherapist(therapistId: string, since: Date): Promise<AppointmentRow[]> {
    return this.select<AppointmentRow>(
      `SELECT * FROM appointments WHERE therapist_id = :therapistId AND status IN ('requested', 'confirmed', 'completed')
          AND deleted_at IS NULL AND scheduled_end >= :since ORDER BY scheduled_start LIMIT 2000`,
      { therapistId, since },
    );
  }

  async replaceCalendarFeed(therapistId: string, tokenHash: string): Promise<void> {
    await this.transaction(async (transaction) => {
      await this.sequelize.query(`UPDATE calendar_feeds SET revoked_at = now() WHERE therapist_id = :therapistId AND revoked_at IS NULL`, {
        replacements: { therapistId },
        transaction,
      });
      await this.sequelize.query(`INSERT INTO calendar_feeds (therapist_id, token_hash) VALUES (:therapistId, :tokenHash)`, {
        replacements: { therapistId, tokenHash },
        transaction,
      });
    });
  }

  async revokeCalendarFeed(therapistId: string): Promise<boolean> {
    const rows = await this.select<{ id: string }>(
      `UPDATE calendar_feeds SET revoked_at = now() WHERE therapist_id = :therapistId AND revoked_at IS NULL RETURNING id`,
      { therapistId },
    );
    return rows.length > 0;
  }

  async calendarFeedOwner(tokenHash: string): Promise<string | null> {
    const [row] = await this.select<{ therapist_id: string }>(
      `SELECT therapist_id FROM calendar_feeds WHERE token_hash = :tokenHash AND revoked_at IS NULL`,
      { tokenHash },
    );
    return row?.therapist_id ?? null;
  }
}

/** The exclusion constraints are the last word on double booking: their violation is a 409 SLOT_TAKEN. */
function rethrowOverlap(error: unknown): never {
  throw competingWriteConflict(error) ?? error;
}
