import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { NoteAmendmentKind, NoteType } from '@therapy-field/sync';

export interface NoteAmendmentRow {
  id: string;
  note_id: string;
  author_id: string;
  kind: NoteAmendmentKind;
  content: Buffer;
  reason: Buffer | null;
  created_at: Date;
  timezone: string;
}

export interface NoteVersionRow {
  version: number;
  note_type: NoteType;
  therapeutic_approach: string | null;
  content: Buffer;
  interventions: string[] | null;
  homework_assigned: Buffer | null;
  progress_indicators: Buffer | null;
  risk_assessment: Buffer | null;
  next_session_plan: Buffer | null;
  replaced_at: Date;
  timezone: string;
}

const ZONE = `coalesce((SELECT timezone FROM therapist_profiles WHERE user_id = n.therapist_id), 'Europe/Athens') AS timezone`;

/** A note's amendments (append-only) and earlier versions (written by the database, 1251). */
export class NoteAmendmentsRepository {
  constructor(private readonly sequelize: Sequelize) {}

  transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(work);
  }

  async insert(amendment: { noteId: string; authorId: string; kind: NoteAmendmentKind; content: Buffer; reason: Buffer | null; keyId: string }, transaction: Transaction): Promise<NoteAmendmentRow> {
    const [row] = await this.sequelize.query<NoteAmendmentRow>(
      `WITH inserted AS (
         INSERT INTO session_note_amendments (note_id, author_id, kind, content, reason, encryption_key_id)
         VALUES (:noteId, :authorId, :kind, :content, :reason, :keyId) RETURNING *)
       SELECT a.id, a.note_id, a.author_id, a.kind, a.content, a.reason, a.created_at, ${ZONE}
         FROM inserted a JOIN session_notes n ON n.id = a.note_id`,
      { type: QueryTypes.SELECT, replacements: amendment, transaction },
    );
    return row!;
  }

  /** Oldest first. */
  amendmentsOf(noteId: string): Promise<NoteAmendmentRow[]> {
    return this.sequelize.query<NoteAmendmentRow>(
      `SELECT a.id, a.note_id, a.author_id, a.kind, a.content, a.reason, a.created_at, ${ZONE}
         FROM session_note_amendments a JOIN session_notes n ON n.id = a.note_id
        WHERE a.note_id = :noteId ORDER BY a.created_at, a.id`,
      { type: QueryTypes.SELECT, replacements: { noteId } },
    );
  }

  /** Oldest first. */
  versionsOf(noteId: string): Promise<NoteVersionRow[]> {
    return this.sequelize.query<NoteVersionRow>(
      `SELECT v.version, v.note_type, v.therapeutic_approach, v.content, v.interventions, v.homework_assigned, v.progress_indicators,
              v.risk_assessment, v.next_session_plan, v.replaced_at, ${ZONE}
         FROM session_note_versions v JOIN session_notes n ON n.id = v.note_id
        WHERE v.note_id = :noteId ORDER BY v.version`,
      { type: QueryTypes.SELECT, replacements: { noteId } },
    );
  }
}
