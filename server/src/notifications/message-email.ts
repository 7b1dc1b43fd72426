import type { DomainEvents } from '@therapy-field/sync';
import type { EmailQueue } from '../email/index.js';
import type { PlatformMetrics } from '../metrics/index.js';
import type { RealtimeHub } from '../realtime/index.js';
import type { NotificationsRepository } from './notifications.repository.js';

export interface MessageEmailDeps {
  repository: NotificationsRepository;
  presence: Pick<RealtimeHub, 'presenceOf'>;
  emails: EmailQueue;
  metrics: PlatformMetrics;
  /** Where the email sends the recipient to read the message. */
  publicUrl: string;
}

type Outcome = 'queued' | 'duplicate' | 'recipient_present' | 'no_recipient' | 'opted_out';

/**
 * Emails the recipient of a message when none of their devices is connected, so someone away
 * from the app still hears of it. The email names neither the sender nor the body.
 */
export class MessageEmailNotifier {
  constructor(private readonly deps: MessageEmailDeps) {}

  async notify(event: DomainEvents['message.sent']): Promise<void> {
    this.deps.metrics.messageEmails.inc({ outcome: await this.emailIfAway(event) });
  }

  private async emailIfAway({ senderId, recipientId }: DomainEvents['message.sent']): Promise<Outcome> {
    const [presence] = await this.deps.presence.presenceOf([recipientId]);
    if (presence?.status !== 'offline') return 'recipient_present';
    const recipient = await this.deps.repository.emailRecipient(recipientId);
    if (!recipient) return 'no_recipient';
    if (!recipient.wantsMessageEmails) return 'opted_out';
    const queued = await this.deps.emails.enqueue({
      userId: recipientId,
      to: recipient.email,
      template: 'new_message',
      language: recipient.language,
      data: { name: recipient.firstName, link: this.deps.publicUrl },
      dedupeKey: messageEmailKey(recipientId, senderId, new Date()),
    });
    return queued ? 'queued' : 'duplicate';
  }
}

/** One email per recipient and sender per UTC hour, however many nodes or messages. */
function messageEmailKey(recipientId: string, senderId: string, at: Date): string {
  return `message:${recipientId}:${senderId}:${at.toISOString().slice(0, 13)}`;
}
