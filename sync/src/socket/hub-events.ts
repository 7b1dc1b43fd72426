import type { BillingInvoiceEvent } from '../api/billing.js';
import type { BusinessUsage } from '../api/business.js';
import type { Notification, NotificationListRequest, NotificationPage } from '../api/notifications.js';
import type { Change } from '../changes/index.js';
import type { RiskAlert } from '../api/measures.js';
import type { ErrorBody } from '../errors.js';
import type { AppointmentEvent, DomainEventName } from '../events/index.js';
import type { Ack } from './ack.js';

/** A change pushed live or replayed: the change-log entry plus the record as the user may see it. */
export interface ChangeEvent extends Change {
  /** The record's current state for this user; null for a delete or a record no longer visible. */
  data: unknown | null;
}

export interface ChangesSinceRequest {
  afterSeq: number;
  limit?: number;
}

export interface ChangesSinceResponse {
  /** True when history after `afterSeq` was pruned: pull everything again. */
  resync: boolean;
  changes: ChangeEvent[];
  lastSeq: number;
}

/** Rooms a client may ask to join; its own user room is joined at the handshake. */
export type RoomRef =
  | { type: 'user'; id: string }
  | { type: 'therapist-schedule'; id: string }
  | { type: 'business'; id: string }
  | { type: 'appointment'; id: string };

export type PresenceStatus = 'online' | 'away' | 'offline';

export interface PresenceState {
  userId: string;
  status: PresenceStatus;
  /** A therapist's "available now" flag; always false for others. */
  availableNow: boolean;
}

export interface TypingEvent {
  /** Who is typing. */
  userId: string;
  typing: boolean;
}

/** Events of the real-time hub itself (rooms, presence, notifications, the change stream). */
export interface HubClientToServerEvents {
  'changes.since': (request: ChangesSinceRequest, ack: Ack<ChangesSinceResponse>) => void;
  'room.join': (room: RoomRef, ack: Ack<{ room: string }>) => void;
  'room.leave': (room: RoomRef, ack: Ack<{ room: string }>) => void;
  'notifications.list': (request: NotificationListRequest, ack: Ack<NotificationPage>) => void;
  'notifications.unreadCount': (request: Record<string, never>, ack: Ack<{ count: number }>) => void;
  'notifications.read': (request: { id: string }, ack: Ack<Notification>) => void;
  'notifications.readAll': (request: Record<string, never>, ack: Ack<{ updated: number }>) => void;
  /** This device is active (`online`) or idle (`away`). */
  'presence.set': (request: { status: 'online' | 'away' }, ack: Ack<PresenceState>) => void;
  /** A therapist's "available now" flag, shown to their clients. */
  'presence.available': (request: { availableNow: boolean }, ack: Ack<PresenceState>) => void;
  /** Current presence of people one is in care with (therapist ↔ client, as for messages); later changes arrive as `presence`. */
  'presence.subscribe': (request: { userIds: string[] }, ack: Ack<PresenceState[]>) => void;
  /** Typing in the message thread with `peerId` (client ↔ their therapist only). */
  typing: (request: { peerId: string; typing: boolean }, ack: Ack<null>) => void;
}

export interface HubServerToClientEvents {
  change: (event: ChangeEvent) => void;
  /**
   * The newest seq of the user's change log. A device whose last seq is older missed live events
   * (a Redis outage between nodes can drop them) and asks `changes.since`.
   */
  'changes.head': (head: { lastSeq: number }) => void;
  /** The client's history is gone: drop local state derived from the stream and pull again. */
  resync: () => void;
  error: (error: ErrorBody['error']) => void;
  presence: (state: PresenceState) => void;
  typing: (event: TypingEvent) => void;
  /** Sent to appointment and therapist-schedule rooms when scheduling publishes an event. */
  appointment: (event: { name: DomainEventName; appointment: AppointmentEvent }) => void;
  /** To the assigning therapist's devices only, the moment a client's answers raise a risk alert. */
  'measure.risk_alert': (alert: RiskAlert) => void;
  /** To a business room: the company's usage totals after an employee's appointment changed. */
  'business.usage': (usage: BusinessUsage) => void;
  /** To the parties of a billing document (and its company's room): it was issued, paid, became overdue or was cancelled. */
  'billing.invoice': (event: BillingInvoiceEvent) => void;
  /** This node is going away: reconnect (to another node) after `reconnectAfterMs`. */
  'server.shutdown': (hint: { reconnectAfterMs: number }) => void;
}
