import { NotFoundError, type AppointmentLifecycleEventName, type DomainEvents, type Notification, type NotificationPage } from '@therapy-field/sync';
import { decodePageCursor, encodePageCursor } from '../http/index.js';
import {
  appointmentNotificationText,
  measureAssignedNotificationText,
  measureDueNotificationText,
  messageNotificationText,
  reviewApprovedNotificationText,
  riskAlertNotificationText,
} from './notification-texts.js';
import type { NotificationsRepository } from './notifications.repository.js';

/**
 * A user's own notifications: history, unread count, mark read. Every method takes the caller's
 * id and touches only their rows, so another user's notification is simply "not found".
 */
export class NotificationsService {
  constructor(private readonly repository: NotificationsRepository) {}

  async list(userId: string, request: { cursor?: string; limit: number }): Promise<NotificationPage> {
    const page = await this.repository.page(userId, request.limit, request.cursor ? decodePageCursor(request.cursor) : undefined);
    return { notifications: page.notifications, nextCursor: page.last ? encodePageCursor(page.last) : null };
  }

  unreadCount(userId: string): Promise<number> {
    return this.repository.unreadCount(userId);
  }

  async markRead(userId: string, id: string): Promise<Notification> {
    const notification = await this.repository.markRead(userId, id);
    if (!notification) throw new NotFoundError('Notification');
    return notification;
  }

  markAllRead(userId: string): Promise<number> {
    return this.repository.markAllRead(userId);
  }

  /** The recipient of a message is told one arrived, in their language. */
  async notifyMessage(event: DomainEvents['message.sent']): Promise<void> {
    const locale = (await this.repository.locales([event.recipientId])).get(event.recipientId);
    await this.repository.insert([
      { userId: event.recipientId, type: 'message.sent', ...messageNotificationText(locale?.language ?? 'el'), data: { messageId: event.messageId, senderId: event.senderId } },
    ]);
  }

  /** The therapist is told a review of theirs is public, in their language. */
  async notifyReviewApproved(event: DomainEvents['review.approved']): Promise<void> {
    const locale = (await this.repository.locales([event.therapistId])).get(event.therapistId);
    await this.repository.insert([
      {
        userId: event.therapistId,
        type: 'review.approved',
        ...reviewApprovedNotificationText(locale?.language ?? 'el', event.rating),
        data: { reviewId: event.reviewId, rating: event.rating },
      },
    ]);
  }

  /** The client is told their therapist gave them a measure to answer, in their language. */
  async notifyMeasureAssigned(event: DomainEvents['measure.assigned']): Promise<void> {
    const locale = (await this.repository.locales([event.clientId])).get(event.clientId);
    await this.repository.insert([
      {
        userId: event.clientId,
        type: 'measure.assigned',
        ...measureAssignedNotificationText(locale?.language ?? 'el', event.measure),
        data: { assignmentId: event.assignmentId, measure: event.measure },
      },
    ]);
  }

  /** The client is told a scheduled measure is due again, in their language. */
  async notifyMeasureDue(event: DomainEvents['measure.due']): Promise<void> {
    const locale = (await this.repository.locales([event.clientId])).get(event.clientId);
    await this.repository.insert([
      { userId: event.clientId, type: 'measure.due', ...measureDueNotificationText(locale?.language ?? 'el', event.measure), data: { assignmentId: event.assignmentId, measure: event.measure } },
    ]);
  }

  /** The assigning therapist, and nobody else, is told of a risk alert, in their language. */
  async notifyRiskAlert(event: DomainEvents['measure.risk_alert']): Promise<void> {
    const locale = (await this.repository.locales([event.therapistId])).get(event.therapistId);
    await this.repository.insert([
      {
        userId: event.therapistId,
        type: 'measure.risk_alert',
        ...riskAlertNotificationText(locale?.language ?? 'el', event.measure),
        data: { alertId: event.id, clientId: event.clientId, measure: event.measure, severity: event.severity, reasons: event.reasons },
      },
    ]);
  }

  /** One notification to each participant, in their language; the change log pushes them live. */
  async notifyAppointment<Name extends AppointmentLifecycleEventName>(name: Name, event: DomainEvents[Name]): Promise<void> {
    const locales = await this.repository.locales([event.clientId, event.therapistId]);
    const parties = [
      { userId: event.clientId, party: 'client' as const },
      { userId: event.therapistId, party: 'therapist' as const },
    ];
    await this.repository.insert(
      parties.map(({ userId, party }) => ({
        userId,
        type: name,
        ...appointmentNotificationText(name, party, event, locales.get(userId) ?? { language: 'el', timezone: 'Europe/Athens' }),
        data: { appointmentId: event.appointmentId, status: event.status, scheduledStart: event.scheduledStart },
      })),
    );
  }
}
