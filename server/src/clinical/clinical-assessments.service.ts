import {
  NotFoundError,
  type ClinicalAssessment,
  type CreateClinicalAssessmentRequest,
  type Diagnosis,
  type UpdateClinicalAssessmentRequest,
} from '@therapy-field/sync';
import type { Transaction } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { AuthenticatedUser } from '../http/index.js';
import { toIsoInZone } from '../scheduling/index.js';
import type { CareRelationships } from './care-relationships.js';
import type { AssessmentRow, ClinicalAssessmentsRepository, SealedAssessment } from './clinical-assessments.repository.js';
import { auditClinicalAccess, refuseClinicalAccess } from './clinical-audit.js';
import { withoutUndefined } from './edit-changes.js';

export interface ClinicalAssessmentsServiceDeps {
  repository: ClinicalAssessmentsRepository;
  care: CareRelationships;
  cipher: FieldCipher;
  audit: AuditLog;
}

/** An assessment's content in the clear; null is an empty field. */
interface AssessmentDraft {
  assessmentType: string;
  assessmentTool?: string | null;
  score?: number | null;
  findings?: string | null;
  diagnoses: Diagnosis[];
  administeredDate: string;
}

/**
 * The therapist's clinical assessments (findings, diagnoses with ICD-10 codes), with the access rules
 * of treatment plans: a therapist of the client (CareRelationships) writes one; only that therapist
 * reads and changes it; anyone else is told it does not exist. Findings and diagnoses are sealed;
 * every read and write is audited.
 */
export class ClinicalAssessmentsService {
  constructor(private readonly deps: ClinicalAssessmentsServiceDeps) {}

  async create(viewer: AuthenticatedUser, clientId: string, request: CreateClinicalAssessmentRequest): Promise<ClinicalAssessment> {
    await this.deps.care.requireTherapistOf(viewer, clientId, 'Client', { entityType: 'clinical_assessment', verb: 'write' });
    const draft: AssessmentDraft = { ...request, diagnoses: (request.diagnoses ?? []).map(withPrimary) };
    const { repository } = this.deps;
    const row = await repository.transaction(async (transaction) => {
      const created = await repository.insert({ ...this.seal(draft), client_id: clientId, therapist_id: viewer.id }, transaction);
      await this.audit(viewer, 'write', [created.id], transaction, 'create');
      return created;
    });
    return this.open(row);
  }

  /** The viewer's assessments of one of their clients, newest first. */
  async listForClient(viewer: AuthenticatedUser, clientId: string): Promise<ClinicalAssessment[]> {
    await this.deps.care.requireTherapistOf(viewer, clientId, 'Client', { entityType: 'clinical_assessment', verb: 'read' });
    const rows = await this.deps.repository.forClient(clientId, viewer.id);
    await this.audit(viewer, 'read', rows.map((row) => row.id));
    return rows.map((row) => this.open(row));
  }

  async get(viewer: AuthenticatedUser, id: string): Promise<ClinicalAssessment> {
    const row = await this.deps.repository.find(id, viewer.id);
    if (!row) return this.refuse(viewer, 'read', id);
    await this.audit(viewer, 'read', [row.id]);
    return this.open(row);
  }

  /** Applies the fields sent (null clears one), in one transaction with its audit row. */
  async update(viewer: AuthenticatedUser, id: string, request: UpdateClinicalAssessmentRequest): Promise<ClinicalAssessment> {
    const { repository } = this.deps;
    const row = await repository.transaction(async (transaction) => {
      const current = await repository.find(id, viewer.id, transaction, true);
      if (!current) return null;
      const changes = withoutUndefined(request);
      const edited: AssessmentDraft = { ...this.draftOf(current), ...changes, diagnoses: (changes.diagnoses ?? this.draftOf(current).diagnoses).map(withPrimary) };
      const updated = await repository.update(id, viewer.id, this.seal(edited), transaction);
      await this.audit(viewer, 'write', [id], transaction, 'update');
      return updated;
    });
    // Refused after the transaction, so the rollback does not take the access_denied row with it.
    if (!row) return this.refuse(viewer, 'write', id);
    return this.open(row);
  }

  private audit(viewer: AuthenticatedUser, verb: 'read' | 'write', ids: string[], transaction?: Transaction, change?: string): Promise<void> {
    return auditClinicalAccess(this.deps.audit, viewer, { entityType: 'clinical_assessment', verb, ids, change }, transaction);
  }

  private refuse(viewer: AuthenticatedUser, verb: 'read' | 'write', id: string): Promise<never> {
    return refuseClinicalAccess(this.deps.audit, viewer, { entityType: 'clinical_assessment', verb, ids: [id] }, new NotFoundError('Clinical assessment'));
  }

  private seal(draft: AssessmentDraft): SealedAssessment {
    const { cipher } = this.deps;
    return {
      assessment_type: draft.assessmentType,
      assessment_tool: draft.assessmentTool ?? null,
      score: draft.score ?? null,
      findings: cipher.encryptNullable(draft.findings),
      diagnoses: draft.diagnoses.length > 0 ? cipher.encrypt(JSON.stringify(draft.diagnoses)) : null,
      administered_date: draft.administeredDate,
      encryption_key_id: cipher.currentKeyId,
    };
  }

  private draftOf(row: AssessmentRow): AssessmentDraft {
    const { cipher } = this.deps;
    return {
      assessmentType: row.assessment_type,
      assessmentTool: row.assessment_tool,
      score: row.score,
      findings: cipher.decryptNullable(row.findings),
      diagnoses: row.diagnoses ? (JSON.parse(cipher.decrypt(row.diagnoses)) as Diagnosis[]) : [],
      administeredDate: row.administered_date,
    };
  }

  private open(row: AssessmentRow): ClinicalAssessment {
    const draft = this.draftOf(row);
    return {
      id: row.id,
      clientId: row.client_id,
      therapistId: row.therapist_id,
      assessmentType: draft.assessmentType,
      assessmentTool: draft.assessmentTool ?? null,
      score: draft.score ?? null,
      findings: draft.findings ?? null,
      diagnoses: draft.diagnoses.map((diagnosis) => ({ code: diagnosis.code, description: diagnosis.description ?? null, primary: diagnosis.primary })),
      administeredDate: draft.administeredDate,
      createdAt: toIsoInZone(row.created_at, row.timezone),
      updatedAt: toIsoInZone(row.updated_at, row.timezone),
    };
  }
}

const withPrimary = (diagnosis: { code: string; description?: string; primary?: boolean }): Diagnosis => ({ ...diagnosis, primary: diagnosis.primary ?? false });
