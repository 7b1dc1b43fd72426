export { DeliveryWorker, type DeliveryWorkerOptions, type DrainResult } from './delivery-worker.js';
export { LogTransport, SmtpTransport, type EmailTransport, type SmsTransport, type OutgoingEmail, type OutgoingSms } from './transports.js';
export { TwilioSmsTransport } from './twilio-sms-transport.js';
