import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import { CareRelationships } from '../clinical/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { AppEnv } from '../http/index.js';
import { refreshAllMoodRollups, WellnessInsightsRepository } from './wellness-insights.repository.js';
import { wellnessInsightsRoutes } from './wellness-insights.routes.js';
import { WellnessInsightsService } from './wellness-insights.service.js';

export type { WellnessInsightsService } from './wellness-insights.service.js';

/** Wellness analytics over the daily mood rollups (1620), habit logs and goals: the client's, and their therapist's share. */
export function createWellnessInsightsModule(deps: {
  sequelize: Sequelize;
  system: Sequelize;
  cipher: FieldCipher;
  audit: AuditLog;
  client: MiddlewareHandler<AppEnv>;
  authenticated: MiddlewareHandler<AppEnv>;
}) {
  const service = new WellnessInsightsService({
    repository: new WellnessInsightsRepository(deps.sequelize),
    care: new CareRelationships(deps.sequelize, deps.audit),
    cipher: deps.cipher,
    audit: deps.audit,
  });
  return {
    service,
    routes: wellnessInsightsRoutes({ service, client: deps.client, authenticated: deps.authenticated }),
    /** The job's work: rollups of every day changed since it last ran (reads bring their own up to date first). */
    refreshRollups: () => refreshAllMoodRollups(deps.system),
  };
}
