import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { continuingEducationOverviewSchema, continuingEducationSchema, createContinuingEducationRequestSchema } from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, type AppEnv } from '../http/index.js';
import type { ContinuingEducationService } from './continuing-education.service.js';

/** `/continuing-education`: the therapist's own courses. */
export function continuingEducationRoutes({ service, therapist }: { service: ContinuingEducationService; therapist: MiddlewareHandler<AppEnv> }): OpenAPIHono<AppEnv> {
  const own = { security: [{ bearerAuth: [] }], middleware: therapist, tags: ['continuing education'] };
  const routes = {
    list: createRoute({
      method: 'get', path: '/continuing-education', operationId: 'listContinuingEducation', summary: 'My courses, the credits still valid and my licence’s expiry', ...own,
      responses: { 200: jsonContent(continuingEducationOverviewSchema, 'My continuing education'), ...errorResponses(401, 403) },
    }),
    add: createRoute({
      method: 'post', path: '/continuing-education', operationId: 'addContinuingEducation', summary: 'Record a course with its credits and expiry (reminded before it lapses)', ...own,
      request: { body: jsonBody(createContinuingEducationRequestSchema) },
      responses: { 201: jsonContent(continuingEducationSchema, 'The course'), ...errorResponses(400, 401, 403) },
    }),
    delete: createRoute({
      method: 'delete', path: '/continuing-education/{id}', operationId: 'deleteContinuingEducation', summary: 'Delete one of my courses', ...own,
      request: { params: z.object({ id: z.uuid() }) },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) },
    }),
  };
  return createRouter()
    .openapi(routes.list, async (c) => c.json(await service.overview(c.var.user), 200))
    .openapi(routes.add, async (c) => c.json(await service.add(c.var.user, c.req.valid('json')), 201))
    .openapi(routes.delete, async (c) => {
      await service.delete(c.var.user, c.req.valid('param').id);
      return c.body(null, 204);
    });
}
