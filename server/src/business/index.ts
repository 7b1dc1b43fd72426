import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import { appointmentEventNames } from '@therapy-field/sync';
import type { ReadCache } from '../cache/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { AppEnv } from '../http/index.js';
import { businessRoom, type RealtimeHub } from '../realtime/index.js';
import { BusinessRepository } from './business.repository.js';
import { businessRoutes } from './business.routes.js';
import { BusinessService } from './business.service.js';

export interface BusinessModuleDeps {
  sequelize: Sequelize;
  businessAdmin: MiddlewareHandler<AppEnv>;
  hub: RealtimeHub;
  events: DomainEventBus;
  cache: ReadCache;
}

/**
 * Company accounts: `/businesses/{id}/usage`, and the same totals pushed live as `business.usage`
 * to the company's room whenever an employee's appointment changes (only once they are not suppressed).
 */
export function createBusinessModule({ sequelize, businessAdmin, hub, events, cache }: BusinessModuleDeps) {
  const service = new BusinessService(new BusinessRepository(sequelize), cache);
  const unsubscribe = appointmentEventNames.map((name) =>
    events.subscribe(name, async ({ clientId }) => {
      for (const usage of await service.usageOfEmployers(clientId)) {
        if (usage.sessions) hub.io.to(businessRoom(usage.businessId)).emit('business.usage', usage);
      }
    }),
  );
  return { service, routes: businessRoutes(service, businessAdmin), close: () => unsubscribe.forEach((stop) => stop()) };
}
