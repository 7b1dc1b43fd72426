import {
  NotFoundError,
  type CreateFormTemplateRequest,
  type FormAnswer,
  type FormField,
  type FormTemplate,
  type HistoryKind,
  type SentForm,
} from '@therapy-field/sync';
import type { AuditLog } from '../audit/index.js';
import { auditClinicalAccess, refuseClinicalAccess, type HistoriesService } from '../clinical/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import type { Logger } from '../logger/index.js';
import { toIsoInZone } from '../scheduling/index.js';
import type { IntakeFormsRepository, PendingResponseRow, SentFormRow, TemplateRow } from './intake-forms.repository.js';

const ZONE = 'Europe/Athens';
const RESPONSE_ENTITY = 'form_response';

export interface IntakeFormsDeps {
  repository: IntakeFormsRepository;
  histories: HistoriesService;
  cipher: FieldCipher;
  audit: AuditLog;
  logger: Logger;
}

/**
 * Forms a therapist sends to a client (automatically at the first booking, or by hand) and the
 * client answers once, offline too (sync collection `form_responses`). Answers are clinical data:
 * sealed at rest, every read and write audited, and the mapped ones become the client's histories.
 */
export class IntakeFormsService {
  constructor(private readonly deps: IntakeFormsDeps) {}

  async templates(viewer: AuthenticatedUser): Promise<FormTemplate[]> {
    return (await this.deps.repository.latestTemplates(viewer.id)).map(toTemplate);
  }

  /** A new form, or the next version of one of mine; forms already sent keep the questions they were sent with. */
  async createTemplate(viewer: AuthenticatedUser, request: CreateFormTemplateRequest): Promise<FormTemplate> {
    if (!request.versionOf) return toTemplate(await this.deps.repository.insertTemplate(viewer.id, request));
    const template = await this.deps.repository.template(request.versionOf);
    if (!template || template.therapist_id !== viewer.id) throw new NotFoundError('Form template');
    return toTemplate(await this.deps.repository.insertTemplate(viewer.id, request, template.form_key));
  }

  /** Sends a template (the platform's or mine) to my client; anyone else is told the client does not exist. */
  async send(viewer: AuthenticatedUser, clientId: string, templateId: string): Promise<SentForm> {
    await this.requireTherapistOf(viewer, clientId, 'write');
    const template = await this.deps.repository.template(templateId);
    if (!template || (template.therapist_id !== null && template.therapist_id !== viewer.id)) throw new NotFoundError('Form template');
    const id = (await this.deps.repository.send({ clientId, therapistId: viewer.id, templateId, formType: 'form' }))!;
    const [row] = await this.deps.repository.sentForms(viewer.id, clientId, id);
    return this.toSentForm(row!);
  }

  /** The forms I sent to my client with their answers, each answer's read audited. */
  async sent(viewer: AuthenticatedUser, clientId: string): Promise<SentForm[]> {
    await this.requireTherapistOf(viewer, clientId, 'read');
    const rows = await this.deps.repository.sentForms(viewer.id, clientId);
    const answered = rows.flatMap((row) => (row.response_id ? [row.response_id] : []));
    await auditClinicalAccess(this.deps.audit, viewer, { entityType: RESPONSE_ENTITY, verb: 'read', ids: answered });
    return rows.map((row) => this.toSentForm(row));
  }

  /** At a client's first booking with a therapist: their intake form, once. */
  sendFirstBookingIntake(clientId: string, therapistId: string, appointmentId: string): Promise<string | null> {
    return this.deps.repository.sendDefaultIntake(clientId, therapistId, appointmentId);
  }

  /**
   * Writes submitted answers whose fields map to a history into the client's histories, then marks
   * them applied (`responseId` for one, else every one still waiting, for the job that retries).
   */
  async applyToHistories(responseId?: string): Promise<number> {
    const { repository } = this.deps;
    return repository.transaction(async (transaction) => {
      const pending = await repository.pendingResponses(transaction, responseId);
      for (const response of pending) {
        for (const [kind, values] of this.historyValues(response)) await this.deps.histories.fillFromClient(response.client_id, kind, values, transaction);
        await auditClinicalAccess(this.deps.audit, { id: response.client_id, role: 'client' }, { entityType: RESPONSE_ENTITY, verb: 'read', ids: [response.id], change: 'apply_to_histories' }, transaction);
        await repository.markApplied(response.id, transaction);
      }
      if (pending.length > 0) this.deps.logger.info({ responses: pending.length }, 'form answers written into histories');
      return pending.length;
    });
  }

  private async requireTherapistOf(viewer: AuthenticatedUser, clientId: string, verb: 'read' | 'write'): Promise<void> {
    if (viewer.role !== 'therapist' || !(await this.deps.repository.isCurrentTherapist(viewer.id, clientId))) {
      await refuseClinicalAccess(this.deps.audit, viewer, { entityType: RESPONSE_ENTITY, verb, ids: [clientId] }, new NotFoundError('Client'));
    }
  }

  /** Each history's fields from the answers that map to it, as the text the client chose or wrote. */
  private historyValues(response: PendingResponseRow): Map<HistoryKind, Record<string, string>> {
    const answers = JSON.parse(this.deps.cipher.decrypt(response.answers)) as Record<string, FormAnswer>;
    const byKind = new Map<HistoryKind, Record<string, string>>();
    for (const field of response.fields) {
      const text = field.mapsTo ? answerText(field, answers[field.id], response.language) : null;
      if (!field.mapsTo || !text) continue;
      byKind.set(field.mapsTo.history, { ...byKind.get(field.mapsTo.history), [field.mapsTo.field]: text });
    }
    return byKind;
  }

  private toSentForm(row: SentFormRow): SentForm {
    return {
      id: row.id,
      clientId: row.client_id,
      therapistId: row.therapist_id,
      templateId: row.template_id,
      formType: row.form_type,
      title: row.sections.title,
      fields: row.sections.fields,
      sentAt: toIsoInZone(row.created_at, ZONE),
      submittedAt: row.submitted_at && toIsoInZone(row.submitted_at, ZONE),
      response: row.response_id
        ? {
            id: row.response_id,
            answers: JSON.parse(this.deps.cipher.decrypt(row.answers!)),
            language: row.language!,
            submittedAt: toIsoInZone(row.response_submitted_at!, ZONE),
            appliedAt: row.applied_at && toIsoInZone(row.applied_at, ZONE),
          }
        : null,
    };
  }
}

/** An answer as history text: a choice's label and yes/no in the language the client answered in. */
function answerText(field: FormField, answer: FormAnswer | undefined, language: 'el' | 'en'): string | null {
  if (answer === undefined || answer === '') return null;
  if (field.type === 'choice') return field.options?.find((option) => option.value === answer)?.label[language] ?? String(answer);
  if (typeof answer === 'boolean') return answer ? (language === 'el' ? 'Ναι' : 'Yes') : language === 'el' ? 'Όχι' : 'No';
  return String(answer).trim() || null;
}

function toTemplate(row: TemplateRow): FormTemplate {
  return {
    id: row.id,
    formKey: row.form_key,
    version: row.version,
    therapistId: row.therapist_id,
    title: row.title,
    fields: row.fields,
    isDefaultIntake: row.is_default_intake,
    createdAt: toIsoInZone(row.created_at, ZONE),
  };
}
