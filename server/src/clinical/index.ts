import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { AppEnv } from '../http/index.js';
import type { SchedulingService } from '../scheduling/index.js';
import { CareRelationships } from './care-relationships.js';
import { ClinicalAssessmentsRepository } from './clinical-assessments.repository.js';
import { clinicalAssessmentsRoutes } from './clinical-assessments.routes.js';
import { ClinicalAssessmentsService } from './clinical-assessments.service.js';
import { clinicalRecordsRoutes } from './clinical-records.routes.js';
import { HistoriesRepository } from './histories.repository.js';
import { HistoriesService } from './histories.service.js';
import { NoteAmendmentsRepository } from './note-amendments.repository.js';
import { NoteAmendmentsService } from './note-amendments.service.js';
import { noteRecordsRoutes } from './note-records.routes.js';
import { NoteTemplatesRepository } from './note-templates.repository.js';
import { NoteTemplatesService } from './note-templates.service.js';
import { SessionNotesRepository } from './session-notes.repository.js';
import { sessionNotesRoutes } from './session-notes.routes.js';
import { SessionNotesService } from './session-notes.service.js';
import { TreatmentPlansRepository } from './treatment-plans.repository.js';
import { TreatmentPlansService } from './treatment-plans.service.js';

export type { HistoriesService } from './histories.service.js';
export { CareRelationships } from './care-relationships.js';
export { postgresArray } from './postgres-array.js';
export { SESSION_NOTE_COLUMNS, SESSION_NOTE_FROM, type SessionNoteRow } from './session-notes.repository.js';
export { auditClinicalAccess, refuseClinicalAccess } from './clinical-audit.js';
export type { SessionNotesService } from './session-notes.service.js';
export type { TreatmentPlansService } from './treatment-plans.service.js';

export interface ClinicalModuleDeps {
  sequelize: Sequelize;
  scheduling: SchedulingService;
  cipher: FieldCipher;
  audit: AuditLog;
  authenticated: MiddlewareHandler<AppEnv>;
  therapist: MiddlewareHandler<AppEnv>;
}

/**
 * A client's clinical record: session notes (the appointment's therapist), intake histories (the
 * client's therapists), treatment plans and clinical assessments (the writing therapist); encrypted at rest, every access audited.
 */
export function createClinicalModule(deps: ClinicalModuleDeps) {
  const { sequelize, cipher, audit, authenticated } = deps;
  const care = new CareRelationships(sequelize, audit);
  const noteRows = new SessionNotesRepository(sequelize);
  const notes = new SessionNotesService({ repository: noteRows, scheduling: deps.scheduling, care, cipher, audit });
  const amendments = new NoteAmendmentsService({ repository: new NoteAmendmentsRepository(sequelize), noteRows, notes, cipher, audit });
  const templates = new NoteTemplatesService(new NoteTemplatesRepository(sequelize));
  const histories = new HistoriesService({ repository: new HistoriesRepository(sequelize), care, cipher, audit });
  const plans = new TreatmentPlansService({ repository: new TreatmentPlansRepository(sequelize), care, cipher, audit });
  const assessments = new ClinicalAssessmentsService({ repository: new ClinicalAssessmentsRepository(sequelize), care, cipher, audit });
  const routes = sessionNotesRoutes({ notes, authenticated, therapist: deps.therapist })
    .route('/', clinicalRecordsRoutes({ histories, plans, authenticated }))
    .route('/', noteRecordsRoutes({ amendments, templates, authenticated, therapist: deps.therapist }))
    .route('/', clinicalAssessmentsRoutes({ assessments, authenticated }));
  return { notes, histories, plans, assessments, amendments, templates, routes };
}

/**
 * Histories read through `sequelize` for a viewer let in by the caller (`HistoriesService.read`):
 * the client's own connection, or the platform's for a break-glass read.
 */
export function createHistoriesReader(sequelize: Sequelize, cipher: FieldCipher, audit: AuditLog): HistoriesService {
  return new HistoriesService({ repository: new HistoriesRepository(sequelize), care: new CareRelationships(sequelize, audit), cipher, audit });
}

export type ClinicalModule = ReturnType<typeof createClinicalModule>;
