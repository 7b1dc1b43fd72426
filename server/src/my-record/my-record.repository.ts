import { QueryTypes, type Sequelize } from 'sequelize';
import { SESSION_NOTE_COLUMNS, SESSION_NOTE_FROM, type SessionNoteRow } from '../clinical/index.js';

export interface OwnPlanRow {
  id: string;
  therapist_id: string;
  status: 'active' | 'completed' | 'terminated';
  start_date: string;
  review_date: string | null;
  treatment_goals: Buffer | null;
}

export interface OwnAppointmentRow {
  id: string;
  therapist_id: string;
  scheduled_start: Date;
  scheduled_end: Date;
  status: string;
  is_online: boolean;
}

export interface RecordReadRow {
  performed_at: Date;
  reader_id: string;
  reader_role: string;
  reader_name: string | null;
  record_kind: string;
  break_glass: boolean;
}

/** The client's own record through the app's connection: row-level security shows only their rows. */
export class MyRecordRepository {
  constructor(private readonly sequelize: Sequelize) {}

  private select<T extends object>(sql: string, replacements: Record<string, unknown>): Promise<T[]> {
    return this.sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements });
  }

  async timezone(userId: string): Promise<string> {
    const [row] = await this.select<{ timezone: string }>(`SELECT coalesce((SELECT timezone FROM user_profiles WHERE user_id = :userId), 'Europe/Athens') AS timezone`, { userId });
    return row!.timezone;
  }

  plans(clientId: string): Promise<OwnPlanRow[]> {
    return this.select<OwnPlanRow>(
      `SELECT id, therapist_id, status, start_date::text AS start_date, review_date::text AS review_date, treatment_goals
         FROM treatment_plans WHERE client_id = :clientId ORDER BY start_date DESC, id`,
      { clientId },
    );
  }

  appointments(clientId: string): Promise<OwnAppointmentRow[]> {
    return this.select<OwnAppointmentRow>(
      `SELECT id, therapist_id, scheduled_start, scheduled_end, status, is_online FROM appointments
        WHERE client_id = :clientId AND deleted_at IS NULL ORDER BY scheduled_start DESC, id`,
      { clientId },
    );
  }

  reads(clientId: string, limit: number): Promise<RecordReadRow[]> {
    return this.select<RecordReadRow>(`SELECT * FROM record_reads_of(:clientId, :limit)`, { clientId, limit });
  }
}

/** A break-glass read through the platform's connection (no row-level security): the client's notes and who treats them. */
export class BreakGlassRepository {
  constructor(private readonly system: Sequelize) {}

  async isClient(clientId: string): Promise<boolean> {
    const [row] = await this.system.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM users WHERE id = :clientId AND role = 'client') AS found`, {
      type: QueryTypes.SELECT,
      replacements: { clientId },
    });
    return Boolean(row?.found);
  }

  notes(clientId: string): Promise<SessionNoteRow[]> {
    return this.system.query<SessionNoteRow>(`SELECT ${SESSION_NOTE_COLUMNS} FROM ${SESSION_NOTE_FROM} WHERE n.client_id = :clientId AND n.deleted_at IS NULL ORDER BY n.created_at DESC, n.id`, {
      type: QueryTypes.SELECT,
      replacements: { clientId },
    });
  }

  /** The client and every therapist who had care of them, with their language, to be told. */
  async partiesToTell(clientId: string): Promise<Array<{ user_id: string; language: string }>> {
    return this.system.query<{ user_id: string; language: string }>(
      `SELECT u.id AS user_id, coalesce(p.language, 'el') AS language
         FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id
        WHERE u.id = :clientId
           OR u.id IN (SELECT DISTINCT therapist_id FROM appointments WHERE client_id = :clientId AND is_current_therapist(therapist_id, :clientId))`,
      { type: QueryTypes.SELECT, replacements: { clientId } },
    );
  }

  async notify(rows: Array<{ userId: string; title: string; message: string; data: Record<string, unknown> }>): Promise<void> {
    if (rows.length === 0) return;
    await this.system.query(
      `INSERT INTO notifications (user_id, type, title, message, data)
       SELECT user_id, 'clinical.break_glass', title, message, data FROM jsonb_to_recordset(:rows::jsonb) AS r(user_id uuid, title text, message text, data jsonb)`,
      { replacements: { rows: JSON.stringify(rows.map((row) => ({ user_id: row.userId, title: row.title, message: row.message, data: row.data }))) } },
    );
  }
}
