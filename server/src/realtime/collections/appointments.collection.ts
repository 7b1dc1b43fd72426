import { QueryTypes, type Sequelize } from 'sequelize';
import type { CollectionLoader } from './collection-registry.js';

interface AppointmentRow {
  id: string;
  client_id: string;
  therapist_id: string;
  scheduled_start: Date;
  scheduled_end: Date;
  status: string;
  is_online: boolean;
  cancellation_reason: string | null;
  cancelled_at: Date | null;
  rescheduled_from: string | null;
  video_session_link: string | null;
  client_notes: string | null;
  updated_at: Date;
}

/** Appointments as either participant sees them; the therapist's private notes never leave. */
export function appointmentsLoader(sequelize: Sequelize): CollectionLoader {
  return async (recipientId, recordIds) => {
    const rows = await sequelize.query<AppointmentRow>(
      `SELECT id, client_id, therapist_id, scheduled_start, scheduled_end, status, is_online, cancellation_reason,
              cancelled_at, rescheduled_from, video_session_link, client_notes, updated_at
       FROM appointments
       WHERE id IN (:recordIds) AND (client_id = :recipientId OR therapist_id = :recipientId) AND deleted_at IS NULL`,
      { type: QueryTypes.SELECT, replacements: { recipientId, recordIds } },
    );
    return new Map(
      rows.map((row) => [
        row.id,
        {
          id: row.id,
          clientId: row.client_id,
          therapistId: row.therapist_id,
          scheduledStart: row.scheduled_start.toISOString(),
          scheduledEnd: row.scheduled_end.toISOString(),
          status: row.status,
          isOnline: row.is_online,
          cancellationReason: row.cancellation_reason,
          cancelledAt: row.cancelled_at?.toISOString() ?? null,
          rescheduledFrom: row.rescheduled_from,
          videoSessionLink: row.video_session_link,
          clientNotes: row.client_notes,
          updatedAt: row.updated_at.toISOString(),
        },
      ]),
    );
  };
}
