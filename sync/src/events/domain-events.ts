import type { RiskAlert } from '../api/measures.js';

/**
 * Domain events: what happened in the platform, named `entity.verb`. Capabilities publish them;
 * the real-time hub turns them into notifications and live updates. Payloads are plain JSON with
 * times as ISO 8601 strings with offset.
 */
export interface AppointmentEvent {
  appointmentId: string;
  therapistId: string;
  clientId: string;
  status: string;
  scheduledStart: string;
  scheduledEnd: string;
  isOnline: boolean;
  /** Who caused the change; null for the system (a job). */
  actorId: string | null;
}

export interface DomainEvents {
  /** A therapist proposed a time to a client; nothing is granted until the client accepts. */
  'appointment.proposed': AppointmentEvent;
  'appointment.requested': AppointmentEvent;
  'appointment.confirmed': AppointmentEvent;
  'appointment.declined': AppointmentEvent & { reason: string | null };
  'appointment.cancelled': AppointmentEvent & { reason: string | null; cancelledBy: string | null; lateCancellation: boolean };
  'appointment.rescheduled': AppointmentEvent & { rescheduledFrom: string };
  'appointment.completed': AppointmentEvent;
  'appointment.no_show': AppointmentEvent;
  /**
   * Every session of the account ended (password changed or reset, 2FA turned on or off, account
   * suspended or erased): its sockets on every node are closed. `reason` is the audit action.
   */
  'account.sessions_revoked': { userId: string; reason: string };
  /** A client or therapist sent a message (from a device's sync or over REST); never its body. */
  'message.sent': { messageId: string; senderId: string; recipientId: string };
  /** A client's answers to a sent form arrived (from a device's sync); never the answers themselves. */
  'form.submitted': { responseId: string; formId: string; clientId: string };
  /** A super admin approved a review: it now counts in the therapist's rating. No author, no comment. */
  'review.approved': { reviewId: string; therapistId: string; rating: number };
  /** An occurrence of a recurring series could not be booked; told to the therapist, never dropped silently. */
  'appointment.series_conflict': {
    recurringAppointmentId: string;
    therapistId: string;
    clientId: string;
    occurrenceStart: string;
    reason: 'exception' | 'overlap' | 'session_limit' | 'unavailable';
  };
  /** A therapist gave a client a measure to answer; the client is told. */
  'measure.assigned': { assignmentId: string; therapistId: string; clientId: string; measure: string };
  /** A scheduled measure is due again (a session is coming, N weeks passed); the client is told. */
  'measure.due': { assignmentId: string; therapistId: string; clientId: string; measure: string };
  /** A client stored answers to a measure (from a device's sync or over REST); never the answers. */
  'measure.answered': { responseId: string; clientId: string };
  /**
   * Answers raised a risk alert (PHQ-9 item 9 above 0, a severe score): for the assigning therapist
   * only, live, as a notification, and by email when none of their devices is connected.
   */
  'measure.risk_alert': RiskAlert & { therapistId: string };
}

export type DomainEventName = keyof DomainEvents;

/** Every `appointment.*` event, for subscribers that handle them all. */
export const appointmentEventNames = [
  'appointment.proposed',
  'appointment.requested',
  'appointment.confirmed',
  'appointment.declined',
  'appointment.cancelled',
  'appointment.rescheduled',
  'appointment.completed',
  'appointment.no_show',
] as const satisfies ReadonlyArray<DomainEventName>;

/** The events of one appointment's life, each carrying an AppointmentEvent. */
export type AppointmentLifecycleEventName = (typeof appointmentEventNames)[number];
