import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { renderEmail, type Language, type TemplateData, type TemplateName } from './templates.js';

export interface QueuedEmail<Name extends TemplateName> {
  /** The recipient's account: a GDPR erasure removes their pending mail by it. */
  userId: string;
  to: string;
  template: Name;
  language: Language;
  data: TemplateData<Name>;
  /** Same key, same email: a second enqueue is ignored. */
  dedupeKey?: string;
  scheduledFor?: Date;
}

/** Puts rendered emails into `email_queue`; a delivery worker sends them. */
export class EmailQueue {
  private readonly dueListeners: Array<() => void> = [];

  constructor(private readonly sequelize: Sequelize) {}

  /**
   * Called when an email due now is in the queue (after its transaction commits), so that a
   * verification or reset link goes out at once rather than at the next scheduled drain.
   */
  onDue(listener: () => void): void {
    this.dueListeners.push(listener);
  }

  /** Resolves false when an email with the same `dedupeKey` is already queued (nothing new then). */
  async enqueue<Name extends TemplateName>(email: QueuedEmail<Name>, transaction?: Transaction): Promise<boolean> {
    const rendered = renderEmail(email.template, email.language, email.data);
    const [, inserted] = await this.sequelize.query(
      `INSERT INTO email_queue (user_id, to_email, subject, body_html, body_text, template_name, template_data, language, dedupe_key, scheduled_for)
       VALUES (:userId, :to, :subject, :html, :text, :template, :data, :language, :dedupeKey, :scheduledFor)
       ON CONFLICT (dedupe_key) DO NOTHING`,
      {
        type: QueryTypes.INSERT,
        transaction,
        replacements: {
          userId: email.userId,
          to: email.to,
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          template: email.template,
          data: JSON.stringify(email.data),
          language: email.language,
          dedupeKey: email.dedupeKey ?? null,
          scheduledFor: email.scheduledFor ?? null,
        },
      },
    );
    if (inserted === 0) return false;
    if (email.scheduledFor && email.scheduledFor > new Date()) return true;
    const due = () => this.dueListeners.forEach((listener) => listener());
    if (transaction) transaction.afterCommit(due);
    else due();
    return true;
  }
}
