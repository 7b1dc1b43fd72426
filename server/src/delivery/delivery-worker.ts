import { QueryTypes, type Sequelize } from 'sequelize';
import type { Logger } from '../logger/index.js';
import type { EmailTransport, SmsTransport } from './transports.js';

export interface DeliveryWorkerOptions {
  sequelize: Sequelize;
  logger: Logger;
  email: EmailTransport;
  sms: SmsTransport;
  /** First retry after this many seconds, doubling per attempt (capped at an hour). */
  retryBaseSeconds: number;
  batchSize?: number;
  /** A row left in `sending` this long (its worker died) is put back in the queue. */
  staleAfterMinutes?: number;
}

export interface DrainResult {
  sent: number;
  failed: number;
}

interface EmailRow {
  id: string;
  to_email: string;
  from_email: string;
  subject: string | null;
  body_text: string | null;
  body_html: string | null;
  attempts: number;
  max_attempts: number;
}

interface SmsRow {
  id: string;
  to_phone: string;
  message: string | null;
  attempts: number;
  max_attempts: number;
}

type Queue = 'email_queue' | 'sms_queue';

// A sent email's body and data hold its links, single-use tokens included (verification, password
// reset): once it is out they are of no use here and a risk in every backup. Subject, template
// and recipient stay for the record.
const forgetContent: Record<Queue, string> = {
  email_queue: `, body_text = NULL, body_html = NULL, payload = '{}', template_data = '{}'`,
  sms_queue: '',
};

/**
 * Sends what is due in `email_queue` and `sms_queue`. A row is claimed by one atomic UPDATE over
 * `FOR UPDATE SKIP LOCKED` (pending → sending, attempts + 1), so two workers, on one node or on
 * two, never send the same row; a failure goes back to pending with exponential backoff and the
 * error recorded, until `max_attempts` makes it `failed`.
 */
export class DeliveryWorker {
  private readonly logger: Logger;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.logger = options.logger.child({ module: 'delivery' });
  }

  /** Sends everything due at `now`, batch by batch, and reports how it went. */
  async drainOnce(now: Date = new Date()): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, failed: 0 };
    await this.releaseStale();
    for (;;) {
      const emails = await this.claim<EmailRow>('email_queue', now);
      for (const row of emails) {
        await this.attempt('email_queue', row, () =>
          this.options.email.sendEmail({
            id: row.id,
            from: row.from_email,
            to: row.to_email,
            subject: row.subject ?? '',
            text: row.body_text ?? '',
            html: row.body_html,
          }),
          result,
        );
      }
      const messages = await this.claim<SmsRow>('sms_queue', now);
      for (const row of messages) {
        await this.attempt('sms_queue', row, () => this.sendSms(row), result);
      }
      if (emails.length === 0 && messages.length === 0) return result;
    }
  }

  /** Keeps which provider took the message and its id there, for support and delivery reports. */
  private async sendSms(row: SmsRow): Promise<void> {
    const providerMessageId = await this.options.sms.sendSms({ id: row.id, to: row.to_phone, text: row.message ?? '' });
    await this.options.sequelize.query(`UPDATE sms_queue SET provider = :provider, provider_message_id = :providerMessageId WHERE id = :id`, {
      replacements: { id: row.id, provider: this.options.sms.name, providerMessageId },
    });
  }

  private claim<Row extends object>(queue: Queue, now: Date): Promise<Row[]> {
    const order = queue === 'email_queue' ? 'priority, next_attempt_at' : 'next_attempt_at';
    return this.options.sequelize.query<Row>(
      `UPDATE ${queue} SET status = 'sending', locked_at = now(), attempts = attempts + 1
        WHERE id IN (SELECT id FROM ${queue}
                      WHERE status = 'pending' AND next_attempt_at <= :now
                      ORDER BY ${order} LIMIT :limit FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      { type: QueryTypes.SELECT, replacements: { now, limit: this.options.batchSize ?? 20 } },
    );
  }

  private async attempt(queue: Queue, row: { id: string; attempts: number; max_attempts: number }, send: () => Promise<unknown>, result: DrainResult) {
    try {
      await send();
      await this.options.sequelize.query(`UPDATE ${queue} SET status = 'sent', sent_at = now(), locked_at = NULL, last_error = NULL${forgetContent[queue]} WHERE id = :id`, {
        replacements: { id: row.id },
      });
      result.sent += 1;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const final = row.attempts >= row.max_attempts;
      const delaySeconds = Math.min(3600, this.options.retryBaseSeconds * 2 ** (row.attempts - 1));
      await this.options.sequelize.query(
        `UPDATE ${queue} SET status = :status, locked_at = NULL, last_error = :message,
                error_message = CASE WHEN :final THEN :message ELSE error_message END,
                next_attempt_at = now() + make_interval(secs => :delaySeconds)
          WHERE id = :id`,
        { replacements: { id: row.id, status: final ? 'failed' : 'pending', message: message.slice(0, 2000), final, delaySeconds } },
      );
      this.logger.warn({ queue, queueId: row.id, attempts: row.attempts, final, err: error }, 'delivery attempt failed');
      result.failed += 1;
    }
  }

  private async releaseStale(): Promise<void> {
    const minutes = this.options.staleAfterMinutes ?? 10;
    for (const queue of ['email_queue', 'sms_queue'] as const) {
      await this.options.sequelize.query(
        `UPDATE ${queue} SET status = 'pending', locked_at = NULL WHERE status = 'sending' AND locked_at < now() - make_interval(mins => :minutes)`,
        { replacements: { minutes } },
      );
    }
  }
}
