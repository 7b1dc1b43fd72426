import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type CreateTreatmentPlanRequest,
  type TreatmentPlan,
  type TreatmentPlanStatus,
  type UpdateTreatmentPlanRequest,
} from '@therapy-field/sync';
import type { Transaction } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import { toIsoInZone } from '../scheduling/index.js';
import type { CareRelationships } from './care-relationships.js';
import { auditClinicalAccess, refuseClinicalAccess } from './clinical-audit.js';
import { withoutUndefined } from './edit-changes.js';
import type { SealedTreatmentPlan, TreatmentPlanRow, TreatmentPlansRepository } from './treatment-plans.repository.js';

export interface TreatmentPlansServiceDeps {
  repository: TreatmentPlansRepository;
  care: CareRelationships;
  cipher: FieldCipher;
  audit: AuditLog;
}

/** A plan's content in the clear; null is an empty field. */
interface PlanDraft {
  status: TreatmentPlanStatus;
  startDate: string;
  reviewDate?: string | null;
  presentingProblems?: string | null;
  diagnoses?: string[] | null;
  treatmentGoals?: string | null;
  interventionsPlanned?: string | null;
  measurementTools?: string[] | null;
  expectedDuration?: string | null;
}

/**
 * Treatment plans: a therapist of the client (see CareRelationships) writes one; only that
 * therapist reads and changes it. Anyone else is told it does not exist; every read and write is
 * audited. An active plan may become completed or terminated; a closed plan changes no more.
 */
export class TreatmentPlansService {
  constructor(private readonly deps: TreatmentPlansServiceDeps) {}

  async create(viewer: AuthenticatedUser, clientId: string, request: CreateTreatmentPlanRequest): Promise<TreatmentPlan> {
    await this.deps.care.requireTherapistOf(viewer, clientId, 'Client', { entityType: 'treatment_plan', verb: 'write' });
    const draft: PlanDraft = { ...request, status: 'active' };
    checkDates(draft);
    const { repository } = this.deps;
    const row = await repository.transaction(async (transaction) => {
      const created = await repository.insert({ ...this.seal(draft), client_id: clientId, therapist_id: viewer.id }, transaction);
      await this.audit(viewer, 'write', [created.id], transaction, 'create');
      return created;
    });
    return this.open(row);
  }

  /** The viewer's plans for one of their clients, newest start first. */
  async listForClient(viewer: AuthenticatedUser, clientId: string): Promise<TreatmentPlan[]> {
    await this.deps.care.requireTherapistOf(viewer, clientId, 'Client', { entityType: 'treatment_plan', verb: 'read' });
    const rows = await this.deps.repository.forClient(clientId, viewer.id);
    await this.audit(viewer, 'read', rows.map((row) => row.id));
    return rows.map((row) => this.open(row));
  }

  async get(viewer: AuthenticatedUser, id: string): Promise<TreatmentPlan> {
    const row = await this.deps.repository.find(id, viewer.id);
    if (!row) return this.refuse(viewer, 'read', id);
    await this.audit(viewer, 'read', [row.id]);
    return this.open(row);
  }

  /** Applies the fields sent (null clears one) to an active plan, in one transaction with its audit row. */
  async update(viewer: AuthenticatedUser, id: string, request: UpdateTreatmentPlanRequest): Promise<TreatmentPlan> {
    const { repository } = this.deps;
    const row = await repository.transaction(async (transaction) => {
      const current = await repository.find(id, viewer.id, transaction, true);
      if (!current) return null;
      if (current.status !== 'active') throw new ConflictError('TREATMENT_PLAN_CLOSED', `A ${current.status} treatment plan cannot be changed`, { status: current.status });
      const edited: PlanDraft = { ...this.draftOf(current), ...withoutUndefined(request) };
      checkDates(edited);
      const updated = await repository.update(id, viewer.id, this.seal(edited), transaction);
      await this.audit(viewer, 'write', [id], transaction, request.status && request.status !== current.status ? request.status : 'update');
      return updated;
    });
    // Refused after the transaction: inside it (a savepoint of the request's transaction) the
    // refusal would roll the access_denied row back with it.
    if (!row) return this.refuse(viewer, 'write', id);
    return this.open(row);
  }

  private audit(viewer: AuthenticatedUser, verb: 'read' | 'write', ids: string[], transaction?: Transaction, change?: string): Promise<void> {
    return auditClinicalAccess(this.deps.audit, viewer, { entityType: 'treatment_plan', verb, ids, change }, transaction);
  }

  /** Another therapist's plan, or none: "not found", audited as denied. */
  private refuse(viewer: AuthenticatedUser, verb: 'read' | 'write', id: string): Promise<never> {
    return refuseClinicalAccess(this.deps.audit, viewer, { entityType: 'treatment_plan', verb, ids: [id] }, new NotFoundError('Treatment plan'));
  }

  private seal(plan: PlanDraft): SealedTreatmentPlan {
    const { cipher } = this.deps;
    return {
      status: plan.status,
      start_date: plan.startDate,
      review_date: plan.reviewDate ?? null,
      presenting_problems: cipher.encryptNullable(plan.presentingProblems),
      diagnoses: plan.diagnoses ? cipher.encrypt(JSON.stringify(plan.diagnoses)) : null,
      treatment_goals: cipher.encryptNullable(plan.treatmentGoals),
      interventions_planned: cipher.encryptNullable(plan.interventionsPlanned),
      measurement_tools: plan.measurementTools ?? null,
      expected_duration: plan.expectedDuration ?? null,
      encryption_key_id: cipher.currentKeyId,
    };
  }

  private draftOf(row: TreatmentPlanRow): PlanDraft {
    const { cipher } = this.deps;
    return {
      status: row.status,
      startDate: row.start_date,
      reviewDate: row.review_date,
      presentingProblems: cipher.decryptNullable(row.presenting_problems),
      diagnoses: row.diagnoses && (JSON.parse(cipher.decrypt(row.diagnoses)) as string[]),
      treatmentGoals: cipher.decryptNullable(row.treatment_goals),
      interventionsPlanned: cipher.decryptNullable(row.interventions_planned),
      measurementTools: row.measurement_tools,
      expectedDuration: row.expected_duration,
    };
  }

  private open(row: TreatmentPlanRow): TreatmentPlan {
    const draft = this.draftOf(row);
    return {
      id: row.id,
      clientId: row.client_id,
      therapistId: row.therapist_id,
      status: draft.status,
      startDate: draft.startDate,
      reviewDate: draft.reviewDate ?? null,
      presentingProblems: draft.presentingProblems ?? null,
      diagnoses: draft.diagnoses ?? [],
      treatmentGoals: draft.treatmentGoals ?? null,
      interventionsPlanned: draft.interventionsPlanned ?? null,
      measurementTools: draft.measurementTools ?? [],
      expectedDuration: draft.expectedDuration ?? null,
      createdAt: toIsoInZone(row.created_at, row.timezone),
      updatedAt: toIsoInZone(row.updated_at, row.timezone),
    };
  }
}

/** A review cannot come before the plan starts; YYYY-MM-DD strings compare as dates. */
function checkDates(plan: PlanDraft): void {
  if (plan.reviewDate && plan.reviewDate < plan.startDate) {
    throw new ValidationError('Invalid body', [{ path: 'reviewDate', message: `must not be before startDate (${plan.startDate})` }]);
  }
}
