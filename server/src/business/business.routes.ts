import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { businessIdParamsSchema, businessUsageSchema } from '@therapy-field/sync';
import { createRouter, errorResponses, jsonContent, type AppEnv } from '../http/index.js';
import type { BusinessService } from './business.service.js';

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
  return router.openapi(usage, async (c) => c.json(await service.usage(c.var.user, c.req.valid('param').id), 200));
}
