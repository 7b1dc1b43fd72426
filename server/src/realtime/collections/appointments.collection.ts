import { QueryTypes, type Sequelize } from 'sequelize';
import { byRecipient, requestPairs, type CollectionLoader } from './collection-registry.js';

interface AppointmentRow {
  /** The recipient this row was loaded for: a participant of the appointment. */
  recipient_id: string;
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

/**
 * Appointments as either participant sees them, for a whole delivery batch in one query; the
 * therapist's private notes never leave. A (recipient, appointment) pair whose recipient is not a
 * participant matches no row.
 */
export function appointmentsLoader(sequelize: Sequelize): CollectionLoader {
  return async (requests) => {
    const pairs = requestPairs(requests);
    if (pairs.recordIds.length === 0) return new Map();
    const rows = await sequelize.query<AppointmentRow>(
      `SELECT requested.recipient_id, a.id, a.client_id, a.therapist_id, a.scheduled_start, a.scheduled_end, a.status, a.is_online,
              a.cancellation_reason, a.cancelled_at, a.rescheduled_from, a.video_session_link, a.client_notes, a.updated_at
       FROM unnest(ARRAY[:recipientIds]::uuid[], ARRAY[:recordIds]::uuid[]) AS requested (recipient_id, record_id)
       JOIN appointments a ON a.id = requested.record_id AND requested.recipient_id IN (a.client_id, a.therapist_id)
       WHERE a.deleted_at IS NULL`,
      { type: QueryTypes.SELECT, replacements: pairs },
    );
    return byRecipient(rows, (row) => ({
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
    }));
  };
}
