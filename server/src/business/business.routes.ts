import type { MiddlewareHandler } from 'hono';
import { businessApi } from '@therapy-field/sync';
import { bindRoutes, createRouter, type AppEnv } from '../http/index.js';
import type { BusinessService } from './business.service.js';

/** `/businesses`: company admins (and super admins) read aggregates of their own company. */
export function businessRoutes(service: BusinessService, businessAdmin: MiddlewareHandler<AppEnv>) {
  const router = createRouter();
  // Also guards `/businesses` itself.
  router.use('/businesses/*', businessAdmin);
  return bindRoutes(router, businessApi, {
    listMyBusinesses: (_input, c) => service.mine(c.var.user),
    getBusinessUsage: ({ params }, c) => service.usage(c.var.user, params.id),
  });
}
