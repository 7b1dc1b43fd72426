import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { insightsQuerySchema, wellnessInsightsSchema } from '@therapy-field/sync';
import { createRouter, errorResponses, jsonContent, type AppEnv } from '../http/index.js';
import type { WellnessInsightsService } from './wellness-insights.service.js';

const tags = ['wellness insights'];

/** `/me/insights` (the client's own) and `/clients/{clientId}/insights` (their therapist: what the client shares). */
export function wellnessInsightsRoutes(deps: {
  service: WellnessInsightsService;
  client: MiddlewareHandler<AppEnv>;
  authenticated: MiddlewareHandler<AppEnv>;
}): OpenAPIHono<AppEnv> {
  const { service } = deps;
  const routes = {
    own: createRoute({
      method: 'get', path: '/me/insights', operationId: 'getMyInsights', tags, security: [{ bearerAuth: [] }], middleware: deps.client,
      summary: 'My mood trends (Europe/Athens days), habit streaks and goal progress (audited)',
      request: { query: insightsQuerySchema },
      responses: { 200: jsonContent(wellnessInsightsSchema, 'My insights'), ...errorResponses(400, 401, 403) },
    }),
    ofClient: createRoute({
      method: 'get', path: '/clients/{clientId}/insights', operationId: 'getClientInsights', tags, security: [{ bearerAuth: [] }], middleware: deps.authenticated,
      // Anyone signed in may ask, so that a client who is not theirs is "not found", not "forbidden".
      summary: 'A client’s mood trends and goals from what they share with me, their therapist (audited)',
      request: { params: z.object({ clientId: z.uuid() }), query: insightsQuerySchema },
      responses: { 200: jsonContent(wellnessInsightsSchema, 'What the client shares'), ...errorResponses(400, 401, 403, 404) },
    }),
  };
  return createRouter()
    .openapi(routes.own, async (c) => c.json(await service.own(c.var.user, c.req.valid('query')), 200))
    .openapi(routes.ofClient, async (c) => c.json(await service.ofClient(c.var.user, c.req.valid('param').clientId, c.req.valid('query')), 200));
}
