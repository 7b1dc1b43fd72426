import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import type { AuditLog } from '../audit/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { AppEnv } from '../http/index.js';
import type { SyncService } from '../sync/index.js';
import { MeasuresRepository } from './measures.repository.js';
import { measuresRoutes } from './measures.routes.js';
import { MeasuresService } from './measures.service.js';
import { RiskAlertsService } from './risk-alerts.service.js';

export type { MeasuresService } from './measures.service.js';
export type { RiskAlertsService } from './risk-alerts.service.js';

export interface MeasuresModuleDeps {
  sequelize: Sequelize;
  sync: SyncService;
  cipher: FieldCipher;
  audit: AuditLog;
  events: DomainEventBus;
  authenticated: MiddlewareHandler<AppEnv>;
  therapist: MiddlewareHandler<AppEnv>;
  client: MiddlewareHandler<AppEnv>;
}

/**
 * Measures and questionnaires (PHQ-9, GAD-7, WHO-5): assignments, answers (REST and the
 * `measure_responses` sync collection), scores over time and risk alerts. Every stored answer,
 * however it came, is announced as `measure.answered`; one that raised a risk alert as
 * `measure.risk_alert` (the hub and the notifications take it from there).
 */
export function createMeasuresModule(deps: MeasuresModuleDeps) {
  const repository = new MeasuresRepository(deps.sequelize);
  const measures = new MeasuresService({ repository, sync: deps.sync, cipher: deps.cipher, audit: deps.audit, events: deps.events });
  const alerts = new RiskAlertsService({ repository, audit: deps.audit, events: deps.events });
  deps.sync.onCreated('measure_responses', (documents) => {
    for (const { id, clientId } of documents) deps.events.publish('measure.answered', { responseId: String(id), clientId: String(clientId) });
  });
  const unsubscribe = deps.events.subscribe('measure.answered', ({ responseId }) => alerts.announceFor(responseId));
  return {
    measures,
    alerts,
    routes: measuresRoutes({ measures, alerts, authenticated: deps.authenticated, therapist: deps.therapist, client: deps.client }),
    close: unsubscribe,
  };
}

export type MeasuresModule = ReturnType<typeof createMeasuresModule>;
