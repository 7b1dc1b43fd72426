import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { breakGlassRecordSchema, breakGlassRequestSchema, myRecordSchema, recordReadSchema, recordReadsQuerySchema } from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, requestOrigin, type AppEnv } from '../http/index.js';
import type { MyRecordService } from './my-record.service.js';

export interface MyRecordRouteDeps {
  service: MyRecordService;
  client: MiddlewareHandler<AppEnv>;
  superAdmin: MiddlewareHandler<AppEnv>;
}

/** `/me/record`, `/me/record/reads` (the client's own) and `/admin/break-glass/clients/{clientId}` (super admins, with a reason). */
export function myRecordRoutes({ service, client, superAdmin }: MyRecordRouteDeps): OpenAPIHono<AppEnv> {
  const secured = [{ bearerAuth: [] }];
  const routes = {
    record: createRoute({
      method: 'get', path: '/me/record', operationId: 'getMyRecord', tags: ['my record'], security: secured, middleware: client,
      summary: 'My own record: histories, treatment plan goals, consents, appointments (not the therapist’s notes)',
      responses: { 200: jsonContent(myRecordSchema, 'My record'), ...errorResponses(401, 403) },
    }),
    reads: createRoute({
      method: 'get', path: '/me/record/reads', operationId: 'listMyRecordReads', tags: ['my record'], security: secured, middleware: client,
      summary: 'Who read my clinical data: every read by someone else, newest first (who, role, when, what kind of record)',
      request: { query: recordReadsQuerySchema },
      responses: { 200: jsonContent(z.array(recordReadSchema), 'The reads'), ...errorResponses(400, 401, 403) },
    }),
    breakGlass: createRoute({
      method: 'post', path: '/admin/break-glass/clients/{clientId}', operationId: 'breakGlassReadClientRecord', tags: ['admin'], security: secured, middleware: superAdmin,
      summary: 'Emergency read of a client’s clinical record: needs a written reason; audited; the client and their therapists are notified',
      request: { params: z.object({ clientId: z.uuid() }), body: jsonBody(breakGlassRequestSchema) },
      responses: { 200: jsonContent(breakGlassRecordSchema, 'The record'), ...errorResponses(400, 401, 403, 404) },
    }),
  };
  return createRouter()
    .openapi(routes.record, async (c) => c.json(await service.record(c.var.user), 200))
    .openapi(routes.reads, async (c) => c.json(await service.reads(c.var.user, c.req.valid('query').limit), 200))
    .openapi(routes.breakGlass, async (c) => c.json(await service.breakGlass(c.var.user, c.req.valid('param').clientId, c.req.valid('json'), requestOrigin(c)), 200));
}
