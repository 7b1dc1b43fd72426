import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import { appointmentEventNames } from '@therapy-field/sync';
import type { EmailQueue } from '../email/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { AppEnv } from '../http/index.js';
import type { PlatformMetrics } from '../metrics/index.js';
import type { RealtimeHub } from '../realtime/index.js';
import { MessageEmailNotifier } from './message-email.js';
import { NotificationsRepository } from './notifications.repository.js';
import { notificationsRoutes } from './notifications.routes.js';
import { NotificationsService } from './notifications.service.js';
import { registerNotificationEvents } from './notifications.socket.js';
import { RiskAlertEmailNotifier } from './risk-alert-email.js';

export { NotificationsService } from './notifications.service.js';

export interface NotificationsModuleDeps {
  sequelize: Sequelize;
  authenticated: MiddlewareHandler<AppEnv>;
  hub: RealtimeHub;
  events: DomainEventBus;
  emails: EmailQueue;
  metrics: PlatformMetrics;
  /** Linked from emails that send the user back to the app. */
  publicUrl: string;
}

/**
 * Notifications: REST and socket access to one's own, the `notifications` collection in the change
 * stream (so new ones and read marks reach every device), and appointment events turned into them.
 * A new message, and a risk alert, also become an email when the recipient has no device connected.
 */
export function createNotificationsModule({ sequelize, authenticated, hub, events, emails, metrics, publicUrl }: NotificationsModuleDeps) {
  const repository = new NotificationsRepository(sequelize);
  const service = new NotificationsService(repository);
  const messageEmails = new MessageEmailNotifier({ repository, presence: hub, emails, metrics, publicUrl });
  const riskAlertEmails = new RiskAlertEmailNotifier({ repository, presence: hub, emails, publicUrl });
  hub.collections.registerCollection('notifications', (requests) => repository.visibleToEach(requests));
  registerNotificationEvents(hub.events, service);
  const unsubscribe = [
    ...appointmentEventNames.map((name) => events.subscribe(name, (event) => service.notifyAppointment(name, event))),
    events.subscribe('message.sent', (event) => service.notifyMessage(event)),
    events.subscribe('message.sent', (event) => messageEmails.notify(event)),
    events.subscribe('review.approved', (event) => service.notifyReviewApproved(event)),
    events.subscribe('measure.assigned', (event) => service.notifyMeasureAssigned(event)),
    events.subscribe('measure.due', (event) => service.notifyMeasureDue(event)),
    events.subscribe('measure.risk_alert', (event) => service.notifyRiskAlert(event)),
    events.subscribe('measure.risk_alert', (event) => riskAlertEmails.notify(event)),
  ];
  return { service, routes: notificationsRoutes(service, authenticated), close: () => unsubscribe.forEach((stop) => stop()) };
}
