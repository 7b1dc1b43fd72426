import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { postgresArray, SESSION_NOTE_COLUMNS, SESSION_NOTE_FROM, type SessionNoteRow } from '../clinical/index.js';

export interface RelationshipRow {
  id: string;
  supervisor_id: string;
  supervisee_id: string;
  start_date: string;
  end_date: string | null;
  status: 'active' | 'completed' | 'terminated';
  supervision_type: string | null;
  frequency: string | null;
  created_at: Date;
}

export interface SupervisedNoteRow extends SessionNoteRow {
  review_requested_at: Date;
  supervisor_reviewed: boolean;
  supervisor_notes: Buffer | null;
  supervisor_signed_at: Date | null;
}

export interface SupervisionSessionRow {
  id: string;
  relationship_id: string;
  scheduled_at: Date;
  duration_minutes: number | null;
  status: 'scheduled' | 'completed' | 'cancelled';
  topics_discussed: string[] | null;
  action_items: Array<{ text: string; done: boolean }>;
  supervisor_notes: Buffer | null;
  created_at: Date;
}

const RELATIONSHIP = `id, supervisor_id, supervisee_id, start_date::text AS start_date, end_date::text AS end_date, status, supervision_type, frequency, created_at`;
const SUPERVISED = `${SESSION_NOTE_COLUMNS}, n.review_requested_at, n.supervisor_reviewed, n.supervisor_notes, n.supervisor_signed_at`;

/**
 * Supervision queries. Row-level security (1253) decides what the asker sees: the relationships they
 * are party to, and as active supervisor only the notes marked for review.
 */
export class SupervisionRepository {
  constructor(private readonly sequelize: Sequelize) {}

  transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(work);
  }

  private select<T extends object>(sql: string, replacements: Record<string, unknown>, transaction?: Transaction): Promise<T[]> {
    return this.sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements, transaction });
  }

  async isTherapist(userId: string): Promise<boolean> {
    const [row] = await this.select<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM users WHERE id = :userId AND role = 'therapist' AND deleted_at IS NULL) AS found`, { userId });
    return Boolean(row?.found);
  }

  async startRelationship(relationship: { supervisorId: string; superviseeId: string; startDate: string | null; supervisionType: string | null; frequency: string | null }): Promise<RelationshipRow> {
    const [row] = await this.select<RelationshipRow>(
      `INSERT INTO supervision_relationships (supervisor_id, supervisee_id, start_date, supervision_type, frequency)
       VALUES (:supervisorId, :superviseeId, coalesce(CAST(:startDate AS date), current_date), :supervisionType, :frequency)
       ON CONFLICT (supervisor_id, supervisee_id) DO UPDATE SET status = 'active', end_date = NULL,
             start_date = EXCLUDED.start_date, supervision_type = EXCLUDED.supervision_type, frequency = EXCLUDED.frequency
       RETURNING ${RELATIONSHIP}`,
      relationship,
    );
    return row!;
  }

  relationshipsOf(userId: string): Promise<RelationshipRow[]> {
    return this.select<RelationshipRow>(`SELECT ${RELATIONSHIP} FROM supervision_relationships WHERE :userId IN (supervisor_id, supervisee_id) ORDER BY created_at DESC`, { userId });
  }

  async relationship(id: string, userId: string): Promise<RelationshipRow | null> {
    const [row] = await this.select<RelationshipRow>(`SELECT ${RELATIONSHIP} FROM supervision_relationships WHERE id = :id AND :userId IN (supervisor_id, supervisee_id)`, { id, userId });
    return row ?? null;
  }

  async endRelationship(id: string): Promise<void> {
    await this.sequelize.query(`UPDATE supervision_relationships SET status = 'completed', end_date = greatest(current_date, start_date) WHERE id = :id`, { replacements: { id } });
  }

  /** The author marks their own note; false when it is not theirs. */
  async requestReview(noteId: string, therapistId: string): Promise<boolean> {
    const rows = await this.select<{ id: string }>(
      `UPDATE session_notes SET review_requested_at = coalesce(review_requested_at, now())
        WHERE id = :noteId AND therapist_id = :therapistId AND deleted_at IS NULL RETURNING id`,
      { noteId, therapistId },
    );
    return rows.length > 0;
  }

  /** Notes marked for review by the supervisor's active supervisees, newest request first. */
  reviewQueue(supervisorId: string): Promise<SupervisedNoteRow[]> {
    return this.select<SupervisedNoteRow>(
      `SELECT ${SUPERVISED} FROM ${SESSION_NOTE_FROM}
        WHERE n.review_requested_at IS NOT NULL AND n.deleted_at IS NULL AND is_active_supervisor_of(:supervisorId, n.therapist_id)
        ORDER BY n.review_requested_at DESC, n.id`,
      { supervisorId },
    );
  }

  async supervisedNote(noteId: string, supervisorId: string, transaction?: Transaction, lock = false): Promise<SupervisedNoteRow | null> {
    const [row] = await this.select<SupervisedNoteRow>(
      `SELECT ${SUPERVISED} FROM ${SESSION_NOTE_FROM}
        WHERE n.id = :noteId AND n.review_requested_at IS NOT NULL AND n.deleted_at IS NULL AND is_active_supervisor_of(:supervisorId, n.therapist_id)
        ${lock ? 'FOR UPDATE OF n' : ''}`,
      { noteId, supervisorId },
      transaction,
    );
    return row ?? null;
  }

  async coSign(noteId: string, supervisorId: string, notes: Buffer | null, keyId: string, transaction: Transaction): Promise<void> {
    await this.sequelize.query(
      `UPDATE session_notes SET supervisor_reviewed = TRUE, supervisor_id = :supervisorId, supervisor_notes = :notes,
              supervisor_signed_at = now(), encryption_key_id = CASE WHEN :notes::bytea IS NULL THEN encryption_key_id ELSE :keyId END
        WHERE id = :noteId`,
      { replacements: { noteId, supervisorId, notes, keyId }, transaction },
    );
  }

  async insertSession(session: Omit<SupervisionSessionRow, 'id' | 'created_at'> & { encryption_key_id: string | null }): Promise<SupervisionSessionRow> {
    const [row] = await this.select<SupervisionSessionRow>(
      `INSERT INTO supervision_sessions (relationship_id, scheduled_at, duration_minutes, status, topics_discussed, action_items, supervisor_notes, encryption_key_id)
       VALUES (:relationship_id, :scheduled_at, :duration_minutes, :status, CAST(:topics AS text[]), CAST(:action_items AS jsonb), :supervisor_notes, :encryption_key_id)
       RETURNING id, relationship_id, scheduled_at, duration_minutes, status, topics_discussed, action_items, supervisor_notes, created_at`,
      { ...session, topics: postgresArray(session.topics_discussed), action_items: JSON.stringify(session.action_items) },
    );
    return row!;
  }

  sessionsOf(relationshipId: string): Promise<SupervisionSessionRow[]> {
    return this.select<SupervisionSessionRow>(
      `SELECT id, relationship_id, scheduled_at, duration_minutes, status, topics_discussed, action_items, supervisor_notes, created_at
         FROM supervision_sessions WHERE relationship_id = :relationshipId ORDER BY scheduled_at DESC, id`,
      { relationshipId },
    );
  }
}
