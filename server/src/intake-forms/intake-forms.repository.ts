import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { CreateFormTemplateRequest, FormField } from '@therapy-field/sync';

export interface TemplateRow {
  id: string;
  form_key: string;
  version: number;
  therapist_id: string | null;
  title: { el: string; en: string };
  fields: FormField[];
  is_default_intake: boolean;
  created_at: Date;
}

export interface SentFormRow {
  id: string;
  client_id: string;
  therapist_id: string | null;
  template_id: string | null;
  form_type: 'intake_form' | 'form';
  sections: { title: { el: string; en: string }; fields: FormField[] };
  created_at: Date;
  submitted_at: Date | null;
  response_id: string | null;
  answers: Buffer | null;
  language: 'el' | 'en' | null;
  response_submitted_at: Date | null;
  applied_at: Date | null;
}

export interface PendingResponseRow {
  id: string;
  client_id: string;
  answers: Buffer;
  language: 'el' | 'en';
  fields: FormField[];
}

const TEMPLATE_COLUMNS = 'id, form_key, version, therapist_id, title, fields, is_default_intake, created_at';

// The template's latest version the therapist may send: their own default intake, else the platform's.
const DEFAULT_INTAKE = `(SELECT t.id FROM form_templates t
   WHERE t.is_default_intake AND (t.therapist_id = :therapistId OR t.therapist_id IS NULL)
     AND t.version = (SELECT max(v.version) FROM form_templates v WHERE v.form_key = t.form_key)
   ORDER BY t.therapist_id NULLS LAST, t.created_at DESC LIMIT 1)`;

export class IntakeFormsRepository {
  constructor(private readonly sequelize: Sequelize) {}

  transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(work);
  }

  /** The latest version of every form the therapist may send: the platform's and their own. */
  latestTemplates(therapistId: string): Promise<TemplateRow[]> {
    return this.sequelize.query<TemplateRow>(
      `SELECT ${TEMPLATE_COLUMNS} FROM form_templates t
        WHERE (t.therapist_id IS NULL OR t.therapist_id = :therapistId)
          AND t.version = (SELECT max(v.version) FROM form_templates v WHERE v.form_key = t.form_key)
        ORDER BY t.therapist_id NULLS FIRST, t.created_at`,
      { type: QueryTypes.SELECT, replacements: { therapistId } },
    );
  }

  async template(id: string): Promise<TemplateRow | null> {
    const [row] = await this.sequelize.query<TemplateRow>(`SELECT ${TEMPLATE_COLUMNS} FROM form_templates WHERE id = :id`, { type: QueryTypes.SELECT, replacements: { id } });
    return row ?? null;
  }

  /** Version 1 of a new form, or the next version of `formKey`. */
  async insertTemplate(therapistId: string, request: CreateFormTemplateRequest, formKey?: string): Promise<TemplateRow> {
    const [row] = await this.sequelize.query<TemplateRow>(
      `INSERT INTO form_templates (therapist_id, form_key, version, title, fields, is_default_intake)
       SELECT :therapistId, key, coalesce((SELECT max(version) FROM form_templates WHERE form_key = key), 0) + 1, :title, :fields, :isDefaultIntake
         FROM (SELECT coalesce(CAST(:formKey AS uuid), gen_random_uuid()) AS key) k
       RETURNING ${TEMPLATE_COLUMNS}`,
      {
        type: QueryTypes.SELECT,
        replacements: { therapistId, formKey: formKey ?? null, title: JSON.stringify(request.title), fields: JSON.stringify(request.fields), isDefaultIntake: request.isDefaultIntake },
      },
    );
    return row!;
  }

  async isCurrentTherapist(therapistId: string, clientId: string): Promise<boolean> {
    const [row] = await this.sequelize.query<{ related: boolean }>(`SELECT is_current_therapist(:therapistId, :clientId) AS related`, {
      type: QueryTypes.SELECT,
      replacements: { therapistId, clientId },
    });
    return row!.related;
  }

  /** Sends a template as it is now: its title and questions are copied into the sent form. */
  async send(form: { clientId: string; therapistId: string; templateId: string; formType: 'intake_form' | 'form'; appointmentId?: string }): Promise<string | null> {
    const [row] = await this.sequelize.query<{ id: string }>(
      `INSERT INTO dynamic_forms (form_type, client_id, therapist_id, template_id, appointment_id, sections)
       SELECT :formType, :clientId, :therapistId, t.id, :appointmentId, jsonb_build_object('title', t.title, 'fields', t.fields)
         FROM form_templates t WHERE t.id = :templateId
       ON CONFLICT (client_id, therapist_id) WHERE form_type = 'intake_form' DO NOTHING
       RETURNING id`,
      { type: QueryTypes.SELECT, replacements: { formType: form.formType, clientId: form.clientId, therapistId: form.therapistId, templateId: form.templateId, appointmentId: form.appointmentId ?? null } },
    );
    return row?.id ?? null;
  }

  /** The first-booking intake form (once per client and therapist) with a notification to the client; null when already sent. */
  async sendDefaultIntake(clientId: string, therapistId: string, appointmentId: string): Promise<string | null> {
    const [row] = await this.sequelize.query<{ id: string }>(
      `WITH sent AS (
         INSERT INTO dynamic_forms (form_type, client_id, therapist_id, template_id, appointment_id, sections)
         SELECT 'intake_form', :clientId, :therapistId, t.id, :appointmentId, jsonb_build_object('title', t.title, 'fields', t.fields)
           FROM form_templates t WHERE t.id = ${DEFAULT_INTAKE}
         ON CONFLICT (client_id, therapist_id) WHERE form_type = 'intake_form' DO NOTHING
         RETURNING id, sections
       ), told AS (
         INSERT INTO notifications (user_id, type, title, message, data)
         SELECT :clientId, 'form.sent',
                CASE WHEN coalesce(p.language, 'el') = 'en' THEN 'A form before your first session' ELSE 'Μια φόρμα πριν από την πρώτη συνεδρία' END,
                CASE WHEN coalesce(p.language, 'el') = 'en' THEN 'Please fill in “' || (s.sections -> 'title' ->> 'en') || '” before your first session.'
                     ELSE 'Συμπληρώστε τη «' || (s.sections -> 'title' ->> 'el') || '» πριν από την πρώτη συνεδρία.' END,
                jsonb_build_object('formId', s.id)
           FROM sent s LEFT JOIN user_profiles p ON p.user_id = :clientId
       )
       SELECT id FROM sent`,
      { type: QueryTypes.SELECT, replacements: { clientId, therapistId, appointmentId } },
    );
    return row?.id ?? null;
  }

  /** The forms a therapist sent to a client, newest first, with the answers if submitted. */
  sentForms(therapistId: string, clientId: string, formId?: string): Promise<SentFormRow[]> {
    return this.sequelize.query<SentFormRow>(
      `SELECT f.id, f.client_id, f.therapist_id, f.template_id, f.form_type, f.sections, f.created_at, f.submitted_at,
              r.id AS response_id, r.answers, r.language, r.submitted_at AS response_submitted_at, r.applied_at
         FROM dynamic_forms f LEFT JOIN form_responses r ON r.form_id = f.id AND r.deleted_at IS NULL
        WHERE f.therapist_id = :therapistId AND f.client_id = :clientId AND f.template_id IS NOT NULL
          ${formId ? 'AND f.id = :formId' : ''}
        ORDER BY f.created_at DESC, f.id`,
      { type: QueryTypes.SELECT, replacements: { therapistId, clientId, formId: formId ?? null } },
    );
  }

  /** Answers not yet written into the histories, locked for this run; `responseId` narrows to one. */
  pendingResponses(transaction: Transaction, responseId?: string): Promise<PendingResponseRow[]> {
    return this.sequelize.query<PendingResponseRow>(
      `SELECT r.id, r.user_id AS client_id, r.answers, r.language, f.sections -> 'fields' AS fields
         FROM form_responses r JOIN dynamic_forms f ON f.id = r.form_id
        WHERE r.applied_at IS NULL AND r.deleted_at IS NULL ${responseId ? 'AND r.id = :responseId' : ''}
        ORDER BY r.created_at
        LIMIT 100
        FOR UPDATE OF r SKIP LOCKED`,
      { type: QueryTypes.SELECT, replacements: { responseId: responseId ?? null }, transaction },
    );
  }

  async markApplied(responseId: string, transaction: Transaction): Promise<void> {
    await this.sequelize.query(`UPDATE form_responses SET applied_at = now() WHERE id = :responseId`, { replacements: { responseId }, transaction });
  }
}
