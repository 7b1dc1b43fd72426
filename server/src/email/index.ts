export { EmailQueue, type QueuedEmail } from './email-queue.js';
export { formatWhen, renderEmail, renderReminderSms, type Language, type TemplateName, type TemplateData } from './templates.js';
