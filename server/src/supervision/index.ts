import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { SessionNotesService } from '../clinical/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { AppEnv } from '../http/index.js';
import { SupervisionRepository } from './supervision.repository.js';
import { supervisionRoutes } from './supervision.routes.js';
import { SupervisionService } from './supervision.service.js';

export type { SupervisionService } from './supervision.service.js';

export interface SupervisionModuleDeps {
  sequelize: Sequelize;
  notes: SessionNotesService;
  cipher: FieldCipher;
  audit: AuditLog;
  therapist: MiddlewareHandler<AppEnv>;
}

/** Clinical supervision between therapists: relationships, notes marked for review, co-signing, supervision sessions. */
export function createSupervisionModule(deps: SupervisionModuleDeps) {
  const service = new SupervisionService({ repository: new SupervisionRepository(deps.sequelize), notes: deps.notes, cipher: deps.cipher, audit: deps.audit });
  return { service, routes: supervisionRoutes({ service, therapist: deps.therapist }) };
}
