import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { AppEnv } from '../http/index.js';
import { ConsentRepository } from './consent.repository.js';
import { consentRoutes } from './consent.routes.js';
import { ConsentService } from './consent.service.js';

export type { ConsentService } from './consent.service.js';

/** Consent records (terms, data processing, sharing, telehealth, business analytics): give, withdraw, list. */
export function createConsentModule(deps: { sequelize: Sequelize; audit: AuditLog; authenticated: MiddlewareHandler<AppEnv> }) {
  const service = new ConsentService({ repository: new ConsentRepository(deps.sequelize), audit: deps.audit });
  return { service, routes: consentRoutes({ service, authenticated: deps.authenticated }) };
}
