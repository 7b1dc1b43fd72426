import type { DomainEvents } from '@therapy-field/sync';
import type { EmailQueue } from '../email/index.js';
import type { RealtimeHub } from '../realtime/index.js';
import type { NotificationsRepository } from './notifications.repository.js';

export interface RiskAlertEmailDeps {
  repository: NotificationsRepository;
  presence: Pick<RealtimeHub, 'presenceOf'>;
  emails: EmailQueue;
  /** Where the email sends the therapist to see the alert. */
  publicUrl: string;
}

/**
 * Emails the assigning therapist of a risk alert when none of their devices is connected (a
 * connected one got it live). A safety signal: sent whatever the message-email preference says,
 * once per alert; it names neither the client nor the answers.
 */
export class RiskAlertEmailNotifier {
  constructor(private readonly deps: RiskAlertEmailDeps) {}

  async notify(alert: DomainEvents['measure.risk_alert']): Promise<void> {
    const [presence] = await this.deps.presence.presenceOf([alert.therapistId]);
    if (presence?.status !== 'offline') return;
    const recipient = await this.deps.repository.emailRecipient(alert.therapistId);
    if (!recipient) return;
    await this.deps.emails.enqueue({
      userId: alert.therapistId,
      to: recipient.email,
      template: 'measure_risk_alert',
      language: recipient.language,
      data: { name: recipient.firstName, measure: alert.measure, link: this.deps.publicUrl },
      dedupeKey: `risk-alert:${alert.id}`,
    });
  }
}
