import { QueryTypes, type Sequelize } from 'sequelize';
import type { Review, ReviewStatus } from '@therapy-field/sync';
import type { PagePosition } from '../http/index.js';

interface ReviewRow {
  id: string;
  appointment_id: string;
  therapist_id: string;
  rating: number;
  comment: string | null;
  is_anonymous: boolean;
  status: ReviewStatus;
  created_at: Date;
  moderated_at: Date | null;
  moderation_reason: string | null;
  /** created_at as PostgreSQL prints it, microseconds kept, for cursors. */
  created_at_text: string;
}

/** An approved review with what its public label is made of; the author's id never leaves this query. */
export interface PublicReviewRow {
  id: string;
  rating: number;
  comment: string | null;
  is_anonymous: boolean;
  first_name: string | null;
  last_name: string | null;
  created_at: Date;
}

export interface NewReview {
  appointmentId: string;
  clientId: string;
  rating: number;
  comment: string | null;
  anonymous: boolean;
}

const COLUMNS = `r.id, r.appointment_id, r.therapist_id, r.rating, r.comment, r.is_anonymous, r.status, r.created_at,
                 r.moderated_at, r.moderation_reason, r.created_at::text AS created_at_text`;

const toReview = (row: ReviewRow): Review => ({
  id: row.id,
  appointmentId: row.appointment_id,
  therapistId: row.therapist_id,
  rating: row.rating,
  comment: row.comment,
  anonymous: row.is_anonymous,
  status: row.status,
  createdAt: row.created_at.toISOString(),
  moderatedAt: row.moderated_at?.toISOString() ?? null,
  moderationReason: row.moderation_reason,
});

/** Newest first, strictly older than the cursor `(created_at, id)`, one extra row telling whether more exist. */
const olderThan = (after?: PagePosition) => (after ? 'AND (r.created_at, r.id) < (CAST(:createdAt AS timestamptz), CAST(:id AS uuid))' : '');
const pageReplacements = (limit: number, after?: PagePosition) => ({ limit: limit + 1, createdAt: after?.createdAt ?? null, id: after?.id ?? null });

function toPage<Row extends { id: string; created_at_text: string }>(rows: Row[], limit: number) {
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { rows: rows.slice(0, limit), last: last && { createdAt: last.created_at_text, id: last.id } };
}

/** The queries on `reviews`, and nothing else. */
export class ReviewsRepository {
  constructor(private readonly sequelize: Sequelize) {}

  private select<T extends object>(sql: string, replacements: Record<string, unknown>): Promise<T[]> {
    return this.sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements });
  }

  /**
   * Writes the review if the appointment is the client's and completed and has none yet; undefined
   * otherwise (then `appointmentOf` tells why). The trigger check_review_appointment re-checks
   * under a row lock, so a status change racing this insert still fails it.
   */
  async insert(review: NewReview): Promise<Review | undefined> {
    const [row] = await this.select<ReviewRow>(
      `WITH r AS (
         INSERT INTO reviews (appointment_id, therapist_id, client_id, rating, comment, is_anonymous)
         SELECT a.id, a.therapist_id, a.client_id, :rating, :comment, :anonymous
           FROM appointments a WHERE a.id = :appointmentId AND a.client_id = :clientId AND a.status = 'completed'
         ON CONFLICT (appointment_id) DO NOTHING
         RETURNING *
       ) SELECT ${COLUMNS} FROM r`,
      { ...review },
    );
    return row && toReview(row);
  }

  /** The client's own appointment (anyone else's is undefined) and whether it has a review. */
  async appointmentOf(clientId: string, appointmentId: string): Promise<{ status: string; reviewed: boolean } | undefined> {
    const [row] = await this.select<{ status: string; reviewed: boolean }>(
      `SELECT a.status, EXISTS (SELECT 1 FROM reviews r WHERE r.appointment_id = a.id) AS reviewed
         FROM appointments a WHERE a.id = :appointmentId AND a.client_id = :clientId`,
      { clientId, appointmentId },
    );
    return row;
  }

  async listedTherapist(therapistId: string): Promise<{ is_verified: boolean; is_active: boolean; user_status: string } | undefined> {
    const [row] = await this.select<{ is_verified: boolean; is_active: boolean; user_status: string }>(
      `SELECT tp.is_verified, tp.is_active, u.status AS user_status
         FROM therapist_profiles tp JOIN users u ON u.id = tp.user_id WHERE tp.user_id = :therapistId AND u.deleted_at IS NULL`,
      { therapistId },
    );
    return row;
  }

  async approvedOf(therapistId: string, limit: number, after?: PagePosition) {
    const rows = await this.select<PublicReviewRow & { created_at_text: string }>(
      `SELECT r.id, r.rating, r.comment, r.is_anonymous, r.created_at, r.created_at::text AS created_at_text, up.first_name, up.last_name
         FROM reviews r LEFT JOIN LATERAL published_review_author(r.id) up ON true
        WHERE r.therapist_id = :therapistId AND r.status = 'approved' ${olderThan(after)}
        ORDER BY r.created_at DESC, r.id DESC LIMIT :limit`,
      { therapistId, ...pageReplacements(limit, after) },
    );
    return toPage(rows, limit);
  }

  async withStatus(status: ReviewStatus, limit: number, after?: PagePosition) {
    const page = toPage(
      await this.select<ReviewRow>(
        `SELECT ${COLUMNS} FROM reviews r WHERE r.status = :status ${olderThan(after)} ORDER BY r.created_at DESC, r.id DESC LIMIT :limit`,
        { status, ...pageReplacements(limit, after) },
      ),
      limit,
    );
    return { reviews: page.rows.map(toReview), last: page.last };
  }

  /** Moves a pending review to `status`, recording who and why; undefined when it is not pending (or not there). */
  /** Moves a review from status `from` to `status`; undefined when it is not in `from` (or does not exist). */
  async moderate(id: string, from: ReviewStatus, status: ReviewStatus, moderatorId: string, reason: string | null): Promise<Review | undefined> {
    const [row] = await this.select<ReviewRow>(
      `WITH r AS (
         UPDATE reviews SET status = :status, moderated_by = :moderatorId, moderated_at = now(), moderation_reason = :reason
          WHERE id = :id AND status = :from RETURNING *
       ) SELECT ${COLUMNS} FROM r`,
      { id, from, status, moderatorId, reason },
    );
    return row && toReview(row);
  }

  async statusOf(id: string): Promise<ReviewStatus | undefined> {
    const [row] = await this.select<{ status: ReviewStatus }>('SELECT status FROM reviews WHERE id = :id', { id });
    return row?.status;
  }
}
