import { createTransport } from 'nodemailer';
import type { Logger } from '../logger/index.js';

export interface OutgoingEmail {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

export interface OutgoingSms {
  id: string;
  to: string;
  text: string;
}

/** Sends one email; throws to have it retried. */
export interface EmailTransport {
  readonly name: string;
  sendEmail(email: OutgoingEmail): Promise<void>;
  close?(): void;
}

/** Sends one SMS; throws to have it retried. Returns the provider's message id when it has one. */
export interface SmsTransport {
  readonly name: string;
  sendSms(sms: OutgoingSms): Promise<string | null>;
}

/** The default: writes who gets what (never the body) to the log and succeeds. */
export class LogTransport implements EmailTransport, SmsTransport {
  readonly name = 'log';

  constructor(private readonly logger: Logger) {}

  async sendEmail(email: OutgoingEmail): Promise<void> {
    this.logger.info({ queueId: email.id, to: email.to, subject: email.subject }, 'email (log transport)');
  }

  async sendSms(sms: OutgoingSms): Promise<string | null> {
    this.logger.info({ queueId: sms.id, to: sms.to }, 'sms (log transport)');
    return null;
  }
}

/** SMTP through nodemailer, e.g. `smtp://user:pass@smtp.example.gr:587`. */
export class SmtpTransport implements EmailTransport {
  readonly name = 'smtp';
  private readonly transporter;

  constructor(smtpUrl: string) {
    this.transporter = createTransport(smtpUrl);
  }

  async sendEmail(email: OutgoingEmail): Promise<void> {
    await this.transporter.sendMail({
      from: email.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html ?? undefined,
      messageId: `<${email.id}@therapyfield.gr>`,
    });
  }

  close(): void {
    this.transporter.close();
  }
}
