import type { TwilioSettings } from '../config/index.js';
import type { OutgoingSms, SmsTransport } from './transports.js';

/** Twilio answers in time or the attempt fails and is retried later. */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * SMS through Twilio's Messages API (`POST /2010-04-01/Accounts/{sid}/Messages.json`, form body,
 * HTTP basic auth). Plain fetch rather than the `twilio` package: one request shape is all the
 * platform sends, and the package would bring an HTTP stack of its own. A refusal throws with
 * Twilio's own error code and message, so the delivery worker records it and retries.
 */
export class TwilioSmsTransport implements SmsTransport {
  readonly name = 'twilio';
  private readonly endpoint: URL;
  private readonly authorization: string;

  constructor(private readonly settings: TwilioSettings) {
    this.endpoint = new URL(`/2010-04-01/Accounts/${settings.accountSid}/Messages.json`, settings.apiUrl);
    this.authorization = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`;
  }

  async sendSms(sms: OutgoingSms): Promise<string> {
    const sender: Record<string, string> = this.settings.from.startsWith('MG') ? { MessagingServiceSid: this.settings.from } : { From: this.settings.from };
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: { authorization: this.authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: sms.to, Body: sms.text, ...sender }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => ({}))) as { sid?: string; code?: number; message?: string };
    if (!response.ok || typeof body.sid !== 'string') {
      throw new Error(`Twilio refused the SMS: HTTP ${response.status}${body.code ? `, error ${body.code}` : ''}${body.message ? `: ${body.message}` : ''}`);
    }
    return body.sid;
  }
}
