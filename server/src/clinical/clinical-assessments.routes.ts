import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { clinicalAssessmentSchema, createClinicalAssessmentRequestSchema, updateClinicalAssessmentRequestSchema } from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, type AppEnv } from '../http/index.js';
import type { ClinicalAssessmentsService } from './clinical-assessments.service.js';

// Any signed-in user may ask, so that a record someone else may not open is "not found", not "forbidden".
const signedIn = { security: [{ bearerAuth: [] }] };
const tags = ['clinical records'];
const clientParams = z.object({ clientId: z.uuid() });
const idParams = z.object({ id: z.uuid() });
const assessment = jsonContent(clinicalAssessmentSchema, 'The assessment');

/** `/clients/{clientId}/assessments` and `/assessments/{id}`: the writing therapist's only. */
export function clinicalAssessmentsRoutes({ assessments, authenticated }: { assessments: ClinicalAssessmentsService; authenticated: MiddlewareHandler<AppEnv> }): OpenAPIHono<AppEnv> {
  const routes = {
    create: createRoute({
      method: 'post', path: '/clients/{clientId}/assessments', tags, summary: 'Write a clinical assessment (findings, ICD-10 diagnoses) of one of my clients (encrypted, audited)',
      ...signedIn, middleware: authenticated,
      request: { params: clientParams, body: jsonBody(createClinicalAssessmentRequestSchema) },
      responses: { 201: assessment, ...errorResponses(400, 401, 404) },
    }),
    list: createRoute({
      method: 'get', path: '/clients/{clientId}/assessments', tags, summary: 'My clinical assessments of one of my clients, newest first (audited)',
      ...signedIn, middleware: authenticated,
      request: { params: clientParams },
      responses: { 200: jsonContent(z.array(clinicalAssessmentSchema), 'The assessments'), ...errorResponses(400, 401, 404) },
    }),
    get: createRoute({
      method: 'get', path: '/assessments/{id}', tags, summary: 'One of my clinical assessments (audited)',
      ...signedIn, middleware: authenticated,
      request: { params: idParams },
      responses: { 200: assessment, ...errorResponses(400, 401, 404) },
    }),
    update: createRoute({
      method: 'patch', path: '/assessments/{id}', tags, summary: 'Change one of my clinical assessments; null clears a field (encrypted, audited)',
      ...signedIn, middleware: authenticated,
      request: { params: idParams, body: jsonBody(updateClinicalAssessmentRequestSchema) },
      responses: { 200: assessment, ...errorResponses(400, 401, 404) },
    }),
  };
  return createRouter()
    .openapi(routes.create, async (c) => c.json(await assessments.create(c.var.user, c.req.valid('param').clientId, c.req.valid('json')), 201))
    .openapi(routes.list, async (c) => c.json(await assessments.listForClient(c.var.user, c.req.valid('param').clientId), 200))
    .openapi(routes.get, async (c) => c.json(await assessments.get(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.update, async (c) => c.json(await assessments.update(c.var.user, c.req.valid('param').id, c.req.valid('json')), 200));
}
