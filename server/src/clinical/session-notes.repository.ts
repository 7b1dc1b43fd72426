import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { NoteType } from '@therapy-field/sync';
import type { PagePosition } from '../http/index.js';
import { postgresArray } from './postgres-array.js';

/** The columns a write sets: sealed values and the id of the key that sealed them. */
export interface SealedNote {
  note_type: NoteType;
  therapeutic_approach: string | null;
  content: Buffer;
  interventions: string[] | null;
  homework_assigned: Buffer | null;
  progress_indicators: Buffer | null;
  risk_assessment: Buffer | null;
  next_session_plan: Buffer | null;
  encryption_key_id: string;
}

/** A session note as stored: every clinical column sealed by FieldCipher. */
export interface SessionNoteRow extends Omit<SealedNote, 'encryption_key_id'> {
  id: string;
  appointment_id: string | null;
  therapist_id: string;
  client_id: string;
  is_signed: boolean;
  signed_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  /** created_at as PostgreSQL prints it, microseconds kept, for cursors. */
  created_at_text: string;
  /** The therapist's zone, for times written with an offset. */
  timezone: string;
}

/** The columns of a note as `SessionNoteRow`, on `session_notes n`; for queries by others who may read a note (its supervisor). */
export const SESSION_NOTE_COLUMNS = `n.id, n.appointment_id, n.therapist_id, n.client_id, n.note_type, n.therapeutic_approach, n.content, n.interventions,
  n.homework_assigned, n.progress_indicators, n.risk_assessment, n.next_session_plan, n.is_signed, n.signed_at, n.version,
  n.created_at, n.updated_at, n.created_at::text AS created_at_text, coalesce(tp.timezone, 'Europe/Athens') AS timezone`;
export const SESSION_NOTE_FROM = `session_notes n LEFT JOIN therapist_profiles tp ON tp.user_id = n.therapist_id`;
const COLUMNS = SESSION_NOTE_COLUMNS;
const FROM = SESSION_NOTE_FROM;

/** Queries on `session_notes`; every one is scoped to the writing therapist and skips deleted notes. */
export class SessionNotesRepository {
  constructor(private readonly sequelize: Sequelize) {}

  transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(work);
  }

  private select(sql: string, replacements: Record<string, unknown>, transaction?: Transaction): Promise<SessionNoteRow[]> {
    return this.sequelize.query<SessionNoteRow>(sql, { type: QueryTypes.SELECT, replacements, transaction });
  }

  async insert(note: SealedNote & { appointment_id: string; therapist_id: string; client_id: string }, transaction: Transaction): Promise<SessionNoteRow> {
    const [inserted] = await this.select(
      `INSERT INTO session_notes (appointment_id, therapist_id, client_id, note_type, therapeutic_approach, content, interventions,
                                  homework_assigned, progress_indicators, risk_assessment, next_session_plan, encryption_key_id)
       VALUES (:appointment_id, :therapist_id, :client_id, :note_type, :therapeutic_approach, :content, CAST(:interventions AS text[]),
               :homework_assigned, :progress_indicators, :risk_assessment, :next_session_plan, :encryption_key_id)
       RETURNING id`,
      { ...note, interventions: postgresArray(note.interventions) },
      transaction,
    );
    return (await this.find(inserted!.id, note.therapist_id, transaction))!;
  }

  /** The therapist's note, or null (another's, deleted or missing); `lock` holds it for a change. */
  async find(id: string, therapistId: string, transaction?: Transaction, lock = false): Promise<SessionNoteRow | null> {
    const [row] = await this.select(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE n.id = :id AND n.therapist_id = :therapistId AND n.deleted_at IS NULL ${lock ? 'FOR UPDATE OF n' : ''}`,
      { id, therapistId },
      transaction,
    );
    return row ?? null;
  }

  forAppointment(appointmentId: string, therapistId: string): Promise<SessionNoteRow[]> {
    return this.select(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE n.appointment_id = :appointmentId AND n.therapist_id = :therapistId AND n.deleted_at IS NULL
       ORDER BY n.created_at, n.id`,
      { appointmentId, therapistId },
    );
  }

  /** Newest first, strictly older than the cursor; one extra row tells whether more exist. */
  async pageForClient(clientId: string, therapistId: string, limit: number, after?: PagePosition) {
    const rows = await this.select(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE n.client_id = :clientId AND n.therapist_id = :therapistId AND n.deleted_at IS NULL
          ${after ? 'AND (n.created_at, n.id) < (CAST(:createdAt AS timestamptz), CAST(:id AS uuid))' : ''}
        ORDER BY n.created_at DESC, n.id DESC
        LIMIT :limit`,
      { clientId, therapistId, limit: limit + 1, createdAt: after?.createdAt ?? null, id: after?.id ?? null },
    );
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { rows: rows.slice(0, limit), last: last && { createdAt: last.created_at_text, id: last.id } };
  }

  async update(id: string, therapistId: string, note: SealedNote, transaction: Transaction): Promise<SessionNoteRow> {
    await this.sequelize.query(
      `UPDATE session_notes
          SET note_type = :note_type, therapeutic_approach = :therapeutic_approach, content = :content,
              interventions = CAST(:interventions AS text[]), homework_assigned = :homework_assigned,
              progress_indicators = :progress_indicators, risk_assessment = :risk_assessment,
              next_session_plan = :next_session_plan, encryption_key_id = :encryption_key_id, version = version + 1
        WHERE id = :id`,
      { replacements: { ...note, interventions: postgresArray(note.interventions), id }, transaction },
    );
    return (await this.find(id, therapistId, transaction))!;
  }

  async sign(id: string, therapistId: string, transaction: Transaction): Promise<SessionNoteRow> {
    await this.sequelize.query(`UPDATE session_notes SET is_signed = TRUE, signed_at = now(), version = version + 1 WHERE id = :id`, {
      replacements: { id },
      transaction,
    });
    return (await this.find(id, therapistId, transaction))!;
  }

  async softDelete(id: string, transaction: Transaction): Promise<void> {
    await this.sequelize.query(`UPDATE session_notes SET deleted_at = now(), version = version + 1 WHERE id = :id`, { replacements: { id }, transaction });
  }
}
