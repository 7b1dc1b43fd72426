import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { AppEnv } from '../http/index.js';
import type { SchedulingService } from '../scheduling/index.js';
import { CareRelationships } from './care-relationships.js';
import { clinicalRecordsRoutes } from './clinical-records.routes.js';
import { HistoriesRepository } from './histories.repository.js';
import { HistoriesService } from './histories.service.js';
import { SessionNotesRepository } from './session-notes.repository.js';
import { sessionNotesRoutes } from './session-notes.routes.js';
import { SessionNotesService } from './session-notes.service.js';
import { TreatmentPlansRepository } from './treatment-plans.repository.js';
import { TreatmentPlansService } from './treatment-plans.service.js';

export type { HistoriesService } from './histories.service.js';
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
 * client's therapists) and treatment plans (the writing therapist); encrypted at rest, every access audited.
 */
export function createClinicalModule(deps: ClinicalModuleDeps) {
  const { sequelize, cipher, audit, authenticated } = deps;
  const care = new CareRelationships(sequelize, audit);
  const notes = new SessionNotesService({ repository: new SessionNotesRepository(sequelize), scheduling: deps.scheduling, care, cipher, audit });
  const histories = new HistoriesService({ repository: new HistoriesRepository(sequelize), care, cipher, audit });
  const plans = new TreatmentPlansService({ repository: new TreatmentPlansRepository(sequelize), care, cipher, audit });
  const routes = sessionNotesRoutes({ notes, authenticated, therapist: deps.therapist }).route('/', clinicalRecordsRoutes({ histories, plans, authenticated }));
  return { notes, histories, plans, routes };
}

export type ClinicalModule = ReturnType<typeof createClinicalModule>;
