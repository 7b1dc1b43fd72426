import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type AnswerMeasureRequest,
  type CreateMeasureAssignmentRequest,
  type Measure,
  type MeasureAssignment,
  type MeasureResult,
  type MeasureSchedule,
  type MeasureSeries,
  type MeasureTemplate,
} from '@therapy-field/sync';
import type { Transaction } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import { auditClinicalAccess, refuseClinicalAccess } from '../clinical/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import { toIsoInZone } from '../scheduling/index.js';
import type { SyncService } from '../sync/index.js';
import type { AssignmentRow, MeasuresRepository, ResponseRow, TemplateRow } from './measures.repository.js';

const ZONE = 'Europe/Athens';

export interface MeasuresServiceDeps {
  repository: MeasuresRepository;
  sync: SyncService;
  cipher: FieldCipher;
  audit: AuditLog;
  events: DomainEventBus;
}

/**
 * Measures: a therapist gives one of their clients (care and the client's consent to sharing:
 * `may_measure`) a questionnaire once or on a schedule; the client answers it (over REST here, or
 * from a device through the `measure_responses` sync push, the one write path); the database scores
 * the answers against the version answered. Anyone else is told the client does not exist; every
 * read and write of answers is audited.
 */
export class MeasuresService {
  constructor(private readonly deps: MeasuresServiceDeps) {}

  async templates(): Promise<MeasureTemplate[]> {
    return (await this.deps.repository.currentTemplates()).map(toTemplate);
  }

  /** Any version, current or not: an old answer is shown with the version it answered. */
  async template(id: string): Promise<MeasureTemplate> {
    const row = await this.deps.repository.template(id);
    if (!row) throw new NotFoundError('Questionnaire template');
    return toTemplate(row);
  }

  async assign(viewer: AuthenticatedUser, clientId: string, request: CreateMeasureAssignmentRequest): Promise<MeasureAssignment> {
    await this.requireMayMeasure(viewer, clientId, 'write');
    const { repository } = this.deps;
    const row = await repository.transaction(async (transaction) => {
      const created = await repository.insertAssignment({ therapistId: viewer.id, clientId, measure: request.measure, schedule: request.schedule }, transaction);
      await this.auditAccess(viewer, 'measure_assignment', 'write', [created.id], transaction, 'create');
      return created;
    });
    this.deps.events.publish('measure.assigned', { assignmentId: row.id, therapistId: viewer.id, clientId, measure: request.measure });
    return toAssignment(row);
  }

  /** Run hourly as the platform: each client with a scheduled measure due again is told once (`measure.due`). */
  async notifyDue(): Promise<number> {
    const due = await this.deps.repository.markDueNotices();
    for (const row of due) this.deps.events.publish('measure.due', { assignmentId: row.id, therapistId: row.therapist_id, clientId: row.client_id, measure: row.measure });
    return due.length;
  }

  /** The viewer's assignments for one of their clients, newest first. */
  async assignmentsForClient(viewer: AuthenticatedUser, clientId: string): Promise<MeasureAssignment[]> {
    await this.requireMayMeasure(viewer, clientId, 'read');
    const rows = await this.deps.repository.assignments({ therapistId: viewer.id, clientId });
    await this.auditAccess(viewer, 'measure_assignment', 'read', rows.map((row) => row.id));
    return rows.map(toAssignment);
  }

  /** The signed-in client's assignments, due ones first. */
  async myAssignments(viewer: AuthenticatedUser): Promise<MeasureAssignment[]> {
    const rows = await this.deps.repository.assignments({ clientId: viewer.id });
    return rows.map(toAssignment).sort((a, b) => Number(b.due) - Number(a.due));
  }

  async endAssignment(viewer: AuthenticatedUser, id: string): Promise<MeasureAssignment> {
    const ended = await this.deps.repository.endAssignment(id, viewer.id);
    const [row] = ended ? await this.deps.repository.assignments({ id, therapistId: viewer.id }) : [];
    if (!row) return refuseClinicalAccess(this.deps.audit, viewer, { entityType: 'measure_assignment', verb: 'write', ids: [id] }, new NotFoundError('Measure assignment'));
    await this.auditAccess(viewer, 'measure_assignment', 'write', [id], undefined, 'end');
    return toAssignment(row);
  }

  /**
   * Stores the client's answers once (the same `id` again stores nothing new) through the sync push,
   * so REST and devices share the rules, the sealing, the audit and the change log.
   */
  async answer(viewer: AuthenticatedUser, request: AnswerMeasureRequest): Promise<MeasureResult> {
    const refusal = await this.deps.repository.answerRefusal(viewer.id, request.assignmentId, request.templateId, request.answers);
    if (refusal) throw answerRefusalError(refusal);
    const id = request.id ?? randomUUID();
    // A retry is the answer already stored (its time and its scores, which only the server sets), not a new one.
    const found = request.id ? await this.deps.repository.response(request.id) : null;
    const stored = found?.client_id === viewer.id ? found : null;
    const completedAt = request.completedAt ?? stored?.completed_at.toISOString() ?? new Date().toISOString();
    const newDocumentState = {
      id,
      assignmentId: request.assignmentId,
      templateId: request.templateId,
      answers: request.answers,
      comment: request.comment || null,
      completedAt,
      score: stored?.calculated_score ?? null,
      interpretation: stored?.interpretation ?? null,
      severity: stored?.severity ?? null,
      _deleted: false,
    };
    const { rejected, conflicts } = await this.deps.sync.push(viewer.id, 'measure_responses', [{ newDocumentState }]);
    const rejection = rejected[0];
    if (rejection?.code === 'FORBIDDEN') throw new ForbiddenError(rejection.reasons.join('; '), { reasons: rejection.reasons });
    if (rejection) throw new ValidationError('Invalid answers', rejection.reasons.map((reason) => ({ path: reason.split(':')[0], message: reason })));
    if (conflicts.length > 0) throw new ConflictError('CONFLICT', 'Other answers with this id exist', { id });
    const row = await this.deps.repository.response(id);
    if (!row) throw new NotFoundError('Measure response');
    await this.auditAccess(viewer, 'measure_response', 'read', [id]);
    return this.toResult(row);
  }

  /** The viewer's client's scores on a measure over time (answers to the viewer's assignments). */
  async seriesForClient(viewer: AuthenticatedUser, clientId: string, measure: Measure): Promise<MeasureSeries> {
    await this.requireMayMeasure(viewer, clientId, 'read');
    return this.series(viewer, clientId, measure, viewer.id);
  }

  /** The signed-in client's own scores on a measure over time. */
  mySeries(viewer: AuthenticatedUser, measure: Measure): Promise<MeasureSeries> {
    return this.series(viewer, viewer.id, measure);
  }

  /** The signed-in client's answers to one of their assignments' questionnaires, scored. */
  async myResult(viewer: AuthenticatedUser, id: string): Promise<MeasureResult> {
    const row = await this.deps.repository.response(id);
    if (!row || row.client_id !== viewer.id) throw new NotFoundError('Measure response');
    await this.auditAccess(viewer, 'measure_response', 'read', [id]);
    return this.toResult(row);
  }

  private async series(viewer: AuthenticatedUser, clientId: string, measure: Measure, therapistId?: string): Promise<MeasureSeries> {
    const [rows, current] = await Promise.all([this.deps.repository.series(clientId, measure, therapistId), this.deps.repository.currentTemplate(measure)]);
    await this.auditAccess(viewer, 'measure_response', 'read', rows.map((row) => row.id));
    return {
      clientId,
      measure,
      maxScore: current?.scoring.max ?? 0,
      ranges: current?.scoring.ranges ?? [],
      points: rows.map((row) => ({
        responseId: row.id,
        completedAt: toIsoInZone(row.completed_at, ZONE),
        score: row.calculated_score,
        severity: row.severity,
        interpretation: row.interpretation,
        templateVersion: row.template_version,
      })),
    };
  }

  /** The client's therapist (may_measure), or "not found" for anyone else, audited as denied. */
  private async requireMayMeasure(viewer: AuthenticatedUser, clientId: string, verb: 'read' | 'write'): Promise<void> {
    if (viewer.role === 'therapist' && (await this.deps.repository.mayMeasure(viewer.id, clientId))) return;
    await refuseClinicalAccess(this.deps.audit, viewer, { entityType: 'measure_assignment', verb, ids: [clientId] }, new NotFoundError('Client'));
  }

  private auditAccess(viewer: AuthenticatedUser, entityType: string, verb: 'read' | 'write', ids: string[], transaction?: Transaction, change?: string): Promise<void> {
    return auditClinicalAccess(this.deps.audit, viewer, { entityType, verb, ids, change }, transaction);
  }

  private toResult(row: ResponseRow): MeasureResult {
    const range = row.template_scoring.ranges.find((band) => band.interpretation === row.interpretation);
    return {
      id: row.id,
      assignmentId: row.assignment_id,
      clientId: row.client_id,
      measure: row.measure as Measure,
      templateId: row.questionnaire_id,
      templateVersion: row.template_version,
      answers: row.responses,
      comment: this.deps.cipher.decryptNullable(row.client_comment) ?? null,
      score: row.calculated_score,
      maxScore: row.template_scoring.max,
      interpretation: row.interpretation,
      interpretationLabel: range?.label ?? { el: row.interpretation, en: row.interpretation },
      severity: row.severity,
      completedAt: toIsoInZone(row.completed_at, ZONE),
    };
  }
}

/** `measure_response_refusal`'s answer as the error the client gets. */
function answerRefusalError(refusal: string): Error {
  const [kind, ...parts] = refusal.split(':');
  if (kind === 'unknown_assignment') return new NotFoundError('Measure assignment');
  if (kind === 'unknown_template') return new ValidationError('Invalid answers', [{ path: 'templateId', message: 'is not a version of the assigned questionnaire' }]);
  if (kind === 'item_count') return new ValidationError('Invalid answers', [{ path: 'answers', message: `must have exactly ${parts[0]} answers, one per question` }]);
  const [item, min, max] = parts;
  return new ValidationError('Invalid answers', [{ path: `answers.${Number(item) - 1}`, message: `question ${item}: must be a whole number from ${min} to ${max}` }]);
}

function scheduleOf(row: AssignmentRow): MeasureSchedule {
  return row.schedule === 'every_n_weeks' ? { kind: 'every_n_weeks', weeks: row.interval_weeks! } : { kind: row.schedule };
}

function toAssignment(row: AssignmentRow): MeasureAssignment {
  return {
    id: row.id,
    therapistId: row.therapist_id,
    clientId: row.client_id,
    measure: row.measure as Measure,
    schedule: scheduleOf(row),
    templateId: row.template_id,
    due: row.due,
    lastAnsweredAt: row.last_answered_at ? toIsoInZone(row.last_answered_at, ZONE) : null,
    createdAt: toIsoInZone(row.created_at, ZONE),
    endedAt: row.ended_at ? toIsoInZone(row.ended_at, ZONE) : null,
  };
}

function toTemplate(row: TemplateRow): MeasureTemplate {
  return {
    id: row.id,
    measure: row.short_name as Measure,
    name: row.name,
    version: row.version,
    prompt: row.scoring.prompt,
    questions: row.questions.map((question) => ({ id: question.id, text: question.text, min: question.scale.min, max: question.scale.max, labels: question.scale.labels })),
    maxScore: row.scoring.max,
    percentageMultiplier: row.scoring.percentage_multiplier ?? null,
    ranges: row.scoring.ranges,
    createdAt: toIsoInZone(row.created_at, ZONE),
  };
}
