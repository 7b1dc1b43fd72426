import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  answerMeasureRequestSchema,
  createMeasureAssignmentRequestSchema,
  measureAssignmentSchema,
  measureResultSchema,
  measureSeriesQuerySchema,
  measureSeriesSchema,
  measureTemplateSchema,
  riskAlertListQuerySchema,
  riskAlertSchema,
} from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, type AppEnv } from '../http/index.js';
import type { MeasuresService } from './measures.service.js';
import type { RiskAlertsService } from './risk-alerts.service.js';

const tags = ['measures'];
const signedIn = { security: [{ bearerAuth: [] }] };
const clientParams = z.object({ clientId: z.uuid() });
const idParams = z.object({ id: z.uuid() });
const assignment = jsonContent(measureAssignmentSchema, 'The assignment');
const series = jsonContent(measureSeriesSchema, 'Scores over time, oldest first');

export interface MeasuresRouteDeps {
  measures: MeasuresService;
  alerts: RiskAlertsService;
  authenticated: MiddlewareHandler<AppEnv>;
  therapist: MiddlewareHandler<AppEnv>;
  client: MiddlewareHandler<AppEnv>;
}

/**
 * Measures: templates (`/measures/templates`), the therapist's assignments, scores and risk alerts
 * (`/clients/{clientId}/measures…`, `/measures/risk-alerts`), the client's own (`/measures/assigned`,
 * `/measures/responses`, `/measures/my-series`).
 */
export function measuresRoutes({ measures, alerts, authenticated, therapist, client }: MeasuresRouteDeps): OpenAPIHono<AppEnv> {
  const routes = {
    templates: createRoute({
      method: 'get', path: '/measures/templates', tags, summary: 'The current version of each measure (PHQ-9, GAD-7, WHO-5) in Greek and English',
      ...signedIn, middleware: authenticated,
      responses: { 200: jsonContent(z.array(measureTemplateSchema), 'The templates'), ...errorResponses(401) },
    }),
    template: createRoute({
      method: 'get', path: '/measures/templates/{id}', tags, summary: 'One version of a questionnaire, current or not',
      ...signedIn, middleware: authenticated,
      request: { params: idParams },
      responses: { 200: jsonContent(measureTemplateSchema, 'The template'), ...errorResponses(400, 401, 404) },
    }),
    assign: createRoute({
      method: 'post', path: '/clients/{clientId}/measures', tags, summary: 'Give one of my clients a measure, once or on a schedule; the client is notified',
      ...signedIn, middleware: authenticated,
      request: { params: clientParams, body: jsonBody(createMeasureAssignmentRequestSchema) },
      responses: { 201: assignment, ...errorResponses(400, 401, 404) },
    }),
    assignmentsForClient: createRoute({
      method: 'get', path: '/clients/{clientId}/measures', tags, summary: 'My assignments to one of my clients, newest first (audited)',
      ...signedIn, middleware: authenticated,
      request: { params: clientParams },
      responses: { 200: jsonContent(z.array(measureAssignmentSchema), 'The assignments'), ...errorResponses(400, 401, 404) },
    }),
    seriesForClient: createRoute({
      method: 'get', path: '/clients/{clientId}/measures/series', tags, summary: 'One of my clients’ scores on a measure over time (audited)',
      ...signedIn, middleware: authenticated,
      request: { params: clientParams, query: measureSeriesQuerySchema },
      responses: { 200: series, ...errorResponses(400, 401, 404) },
    }),
    endAssignment: createRoute({
      method: 'post', path: '/measures/assignments/{id}/end', tags, summary: 'Stop an assignment of mine: nothing more is due',
      ...signedIn, middleware: therapist,
      request: { params: idParams },
      responses: { 200: assignment, ...errorResponses(400, 401, 403, 404) },
    }),
    alerts: createRoute({
      method: 'get', path: '/measures/risk-alerts', tags, summary: 'Risk alerts raised by my clients’ answers, newest first (audited)',
      ...signedIn, middleware: therapist,
      request: { query: riskAlertListQuerySchema },
      responses: { 200: jsonContent(z.array(riskAlertSchema), 'The alerts'), ...errorResponses(400, 401, 403) },
    }),
    acknowledge: createRoute({
      method: 'post', path: '/measures/risk-alerts/{id}/acknowledge', tags, summary: 'Record that I have seen a risk alert (the first time counts)',
      ...signedIn, middleware: therapist,
      request: { params: idParams },
      responses: { 200: jsonContent(riskAlertSchema, 'The alert'), ...errorResponses(400, 401, 403, 404) },
    }),
    assigned: createRoute({
      method: 'get', path: '/measures/assigned', tags, summary: 'My measures to answer, due ones first',
      ...signedIn, middleware: client,
      responses: { 200: jsonContent(z.array(measureAssignmentSchema), 'The assignments'), ...errorResponses(401, 403) },
    }),
    answer: createRoute({
      method: 'post', path: '/measures/responses', tags, summary: 'Answer an assigned measure; scored by the server; the same id again stores nothing new',
      ...signedIn, middleware: client,
      request: { body: jsonBody(answerMeasureRequestSchema) },
      responses: { 201: jsonContent(measureResultSchema, 'The scored answers'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    myResult: createRoute({
      method: 'get', path: '/measures/responses/{id}', tags, summary: 'One of my scored answers (audited)',
      ...signedIn, middleware: client,
      request: { params: idParams },
      responses: { 200: jsonContent(measureResultSchema, 'The scored answers'), ...errorResponses(400, 401, 403, 404) },
    }),
    mySeries: createRoute({
      method: 'get', path: '/measures/my-series', tags, summary: 'My scores on a measure over time (audited)',
      ...signedIn, middleware: client,
      request: { query: measureSeriesQuerySchema },
      responses: { 200: series, ...errorResponses(400, 401, 403) },
    }),
  };

  return createRouter()
    .openapi(routes.templates, async (c) => c.json(await measures.templates(), 200))
    .openapi(routes.template, async (c) => c.json(await measures.template(c.req.valid('param').id), 200))
    .openapi(routes.assign, async (c) => c.json(await measures.assign(c.var.user, c.req.valid('param').clientId, c.req.valid('json')), 201))
    .openapi(routes.assignmentsForClient, async (c) => c.json(await measures.assignmentsForClient(c.var.user, c.req.valid('param').clientId), 200))
    .openapi(routes.seriesForClient, async (c) =>
      c.json(await measures.seriesForClient(c.var.user, c.req.valid('param').clientId, c.req.valid('query').measure), 200),
    )
    .openapi(routes.endAssignment, async (c) => c.json(await measures.endAssignment(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.alerts, async (c) => c.json(await alerts.list(c.var.user, c.req.valid('query').unacknowledged === 'true'), 200))
    .openapi(routes.acknowledge, async (c) => c.json(await alerts.acknowledge(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.assigned, async (c) => c.json(await measures.myAssignments(c.var.user), 200))
    .openapi(routes.answer, async (c) => c.json(await measures.answer(c.var.user, c.req.valid('json')), 201))
    .openapi(routes.myResult, async (c) => c.json(await measures.myResult(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.mySeries, async (c) => c.json(await measures.mySeries(c.var.user, c.req.valid('query').measure), 200));
}
