import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  clientHistorySchema,
  createTreatmentPlanRequestSchema,
  historyKindSchema,
  historySectionRequestSchemas,
  treatmentPlanSchema,
  updateTreatmentPlanRequestSchema,
  type HistoryKind,
  type HistorySectionRequest,
} from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, type AppEnv } from '../http/index.js';
import type { HistoriesService } from './histories.service.js';
import type { TreatmentPlansService } from './treatment-plans.service.js';

// Any signed-in user may ask, so that a record someone else may not open is "not found", not "forbidden".
const signedIn = { security: [{ bearerAuth: [] }] };
const clientParams = z.object({ clientId: z.uuid() });
const idParams = z.object({ id: z.uuid() });
const plan = jsonContent(treatmentPlanSchema, 'The treatment plan');

export interface ClinicalRecordsRouteDeps {
  histories: HistoriesService;
  plans: TreatmentPlansService;
  authenticated: MiddlewareHandler<AppEnv>;
}

/** One PUT per history kind, so each documents and validates its own fields. */
const replaceHistoryRoute = <Kind extends HistoryKind>(kind: Kind, authenticated: MiddlewareHandler<AppEnv>) =>
  createRoute({
    method: 'put', path: `/clients/{clientId}/history/${kind}`, tags: ['clinical records'], summary: `Replace the client's ${kind} history; a field left out is emptied (encrypted, audited)`,
    ...signedIn, middleware: authenticated,
    request: { params: clientParams, body: jsonBody(historySectionRequestSchemas[kind]) },
    responses: { 200: jsonContent(clientHistorySchema.shape[kind].unwrap(), `The ${kind} history as stored`), ...errorResponses(400, 401, 404) },
  });

/**
 * `/clients/{clientId}/history[/{kind}]`, `/clients/{clientId}/treatment-plans` and `/treatment-plans/{id}`:
 * for the client's therapists (histories) and the plan's therapist (plans) only.
 */
export function clinicalRecordsRoutes({ histories, plans, authenticated }: ClinicalRecordsRouteDeps): OpenAPIHono<AppEnv> {
  const routes = {
    history: createRoute({
      method: 'get', path: '/clients/{clientId}/history', tags: ['clinical records'], summary: 'The client’s medical, psychiatric and social histories; null where never written (audited)',
      ...signedIn, middleware: authenticated,
      request: { params: clientParams },
      responses: { 200: jsonContent(clientHistorySchema, 'The histories'), ...errorResponses(400, 401, 404) },
    }),
    createPlan: createRoute({
      method: 'post', path: '/clients/{clientId}/treatment-plans', tags: ['clinical records'], summary: 'Write a treatment plan for one of my clients (encrypted, audited)',
      ...signedIn, middleware: authenticated,
      request: { params: clientParams, body: jsonBody(createTreatmentPlanRequestSchema) },
      responses: { 201: plan, ...errorResponses(400, 401, 404) },
    }),
    plansForClient: createRoute({
      method: 'get', path: '/clients/{clientId}/treatment-plans', tags: ['clinical records'], summary: 'My treatment plans for one of my clients, newest start first (audited)',
      ...signedIn, middleware: authenticated,
      request: { params: clientParams },
      responses: { 200: jsonContent(z.array(treatmentPlanSchema), 'The plans'), ...errorResponses(400, 401, 404) },
    }),
    getPlan: createRoute({
      method: 'get', path: '/treatment-plans/{id}', tags: ['clinical records'], summary: 'One of my treatment plans (audited)',
      ...signedIn, middleware: authenticated,
      request: { params: idParams },
      responses: { 200: plan, ...errorResponses(400, 401, 404) },
    }),
    updatePlan: createRoute({
      method: 'patch', path: '/treatment-plans/{id}', tags: ['clinical records'], summary: 'Change an active plan or close it (completed, terminated); 409 TREATMENT_PLAN_CLOSED once closed',
      ...signedIn, middleware: authenticated,
      request: { params: idParams, body: jsonBody(updateTreatmentPlanRequestSchema) },
      responses: { 200: plan, ...errorResponses(400, 401, 404, 409) },
    }),
  };

  const router = createRouter()
    .openapi(routes.history, async (c) => c.json(await histories.get(c.var.user, c.req.valid('param').clientId), 200))
    .openapi(routes.createPlan, async (c) => c.json(await plans.create(c.var.user, c.req.valid('param').clientId, c.req.valid('json')), 201))
    .openapi(routes.plansForClient, async (c) => c.json(await plans.listForClient(c.var.user, c.req.valid('param').clientId), 200))
    .openapi(routes.getPlan, async (c) => c.json(await plans.get(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.updatePlan, async (c) => c.json(await plans.update(c.var.user, c.req.valid('param').id, c.req.valid('json')), 200));
  for (const kind of historyKindSchema.options) {
    // The route validated the body with this kind's schema; TypeScript cannot follow that through the loop.
    router.openapi(replaceHistoryRoute(kind, authenticated), async (c) =>
      c.json(await histories.replace(c.var.user, c.req.valid('param').clientId, kind, c.req.valid('json') as HistorySectionRequest<HistoryKind>), 200),
    );
  }
  return router;
}
