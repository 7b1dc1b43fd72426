export { EmailQueue, type QueuedEmail } from './email-queue.js';
export { renderEmail, type Language, type TemplateName, type TemplateData } from './templates.js';
