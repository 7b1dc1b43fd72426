import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { AppEnv } from '../http/index.js';
import type { SchedulingService } from '../scheduling/index.js';
import { SessionNotesRepository } from './session-notes.repository.js';
import { sessionNotesRoutes } from './session-notes.routes.js';
import { SessionNotesService } from './session-notes.service.js';

export type { SessionNotesService } from './session-notes.service.js';

export interface ClinicalModuleDeps {
  sequelize: Sequelize;
  scheduling: SchedulingService;
  cipher: FieldCipher;
  audit: AuditLog;
  authenticated: MiddlewareHandler<AppEnv>;
  therapist: MiddlewareHandler<AppEnv>;
}

/** Clinical session notes: written and read by the appointment's therapist only, encrypted at rest, every access audited. */
export function createClinicalModule(deps: ClinicalModuleDeps) {
  const notes = new SessionNotesService({ repository: new SessionNotesRepository(deps.sequelize), scheduling: deps.scheduling, cipher: deps.cipher, audit: deps.audit });
  return { notes, routes: sessionNotesRoutes({ notes, authenticated: deps.authenticated, therapist: deps.therapist }) };
}

export type ClinicalModule = ReturnType<typeof createClinicalModule>;
