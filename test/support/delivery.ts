import type { EmailTransport, OutgoingEmail, OutgoingSms, SmsTransport } from '@therapy-field/server';

const transports = new Set<RecordingTransport>();

/** An email some RecordingTransport of this test file sent, by its queue id. */
export function sentEmail(queueId: string): OutgoingEmail | undefined {
  for (const transport of transports) {
    const email = transport.emails.find((sent) => sent.id === queueId);
    if (email) return email;
  }
  return undefined;
}

/** Remembers what it sent; fails the first `failures` emails. */
export class RecordingTransport implements EmailTransport, SmsTransport {
  readonly name = 'recording';
  readonly emails: OutgoingEmail[] = [];
  readonly sms: OutgoingSms[] = [];

  constructor(private failures = 0) {
    transports.add(this);
  }

  async sendEmail(email: OutgoingEmail): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('SMTP 451 try again later');
    }
    this.emails.push(email);
  }

  async sendSms(sms: OutgoingSms): Promise<string | null> {
    this.sms.push(sms);
    return null;
  }
}
