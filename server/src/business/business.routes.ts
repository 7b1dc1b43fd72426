import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { businessIdParamsSchema, businessUsageSchema, myBusinessesSchema } from '@therapy-field/sync';
import { createRouter, errorResponses, jsonContent, type AppEnv } from '../http/index.js';
import type { BusinessService } from './business.service.js';

const mine = createRoute({
  method: 'get', path: '/', tags: ['business'], security: [{ bearerAuth: [] }], summary: 'The companies I administer',
  responses: { 200: jsonContent(myBusinessesSchema, 'My companies'), ...errorResponses(401, 403) },
});

const usage = createRoute({
  method: 'get', path: '/{id}/usage', tags: ['business'], security: [{ bearerAuth: [] }],
  summary: 'Enrolment and session totals of my company (groups under the minimum size are suppressed)',
  request: { params: businessIdParamsSchema },
  responses: { 200: jsonContent(businessUsageSchema, 'Usage'), ...errorResponses(400, 401, 403, 404) },
});

/** `/businesses`: company admins (and super admins) read aggregates of their own company. */
export function businessRoutes(service: BusinessService, businessAdmin: MiddlewareHandler<AppEnv>) {
  const router = createRouter();
  router.use('*', businessAdmin);
  return router
    .openapi(mine, async (c) => c.json(await service.mine(c.var.user), 200))
    .openapi(usage, async (c) => c.json(await service.usage(c.var.user, c.req.valid('param').id), 200));
}
