import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { createFormTemplateRequestSchema, formTemplateSchema, sendFormRequestSchema, sentFormSchema } from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, type AppEnv } from '../http/index.js';
import type { IntakeFormsService } from './intake-forms.service.js';

const tags = ['intake forms'];

/** `/form-templates` (a therapist's forms and the platform's, sent from there) and `/clients/{clientId}/forms` (sent to my client, with answers). */
export function intakeFormsRoutes({ service, therapist, authenticated }: { service: IntakeFormsService; therapist: MiddlewareHandler<AppEnv>; authenticated: MiddlewareHandler<AppEnv> }): OpenAPIHono<AppEnv> {
  const own = { security: [{ bearerAuth: [] }], middleware: therapist, tags };
  // Anyone signed in may ask, so that a client who is not theirs is "not found", not "forbidden".
  const signedIn = { security: [{ bearerAuth: [] }], middleware: authenticated, tags };
  const clientParams = z.object({ clientId: z.uuid() });
  const routes = {
    templates: createRoute({
      method: 'get', path: '/form-templates', operationId: 'listFormTemplates', summary: 'The latest version of the platform’s forms and of mine', ...own,
      responses: { 200: jsonContent(z.array(formTemplateSchema), 'Form templates'), ...errorResponses(401, 403) },
    }),
    create: createRoute({
      method: 'post', path: '/form-templates', operationId: 'createFormTemplate', summary: 'Create a form of my own in Greek and English, or the next version of one (`versionOf`)', ...own,
      request: { body: jsonBody(createFormTemplateRequestSchema) },
      responses: { 201: jsonContent(formTemplateSchema, 'The form'), ...errorResponses(400, 401, 403, 404) },
    }),
    send: createRoute({
      method: 'post', path: '/form-templates/{id}/send', operationId: 'sendForm', summary: 'Send this form (the platform’s or mine) to my client; they answer it in the app, offline too', ...signedIn,
      request: { params: z.object({ id: z.uuid() }), body: jsonBody(sendFormRequestSchema) },
      responses: { 201: jsonContent(sentFormSchema, 'The sent form'), ...errorResponses(400, 401, 404) },
    }),
    sent: createRoute({
      method: 'get', path: '/clients/{clientId}/forms', operationId: 'listSentForms', summary: 'The forms I sent to my client, with their answers (audited)', ...signedIn,
      request: { params: clientParams },
      responses: { 200: jsonContent(z.array(sentFormSchema), 'Sent forms'), ...errorResponses(400, 401, 404) },
    }),
  };
  return createRouter()
    .openapi(routes.templates, async (c) => c.json(await service.templates(c.var.user), 200))
    .openapi(routes.create, async (c) => c.json(await service.createTemplate(c.var.user, c.req.valid('json')), 201))
    .openapi(routes.send, async (c) => c.json(await service.send(c.var.user, c.req.valid('json').clientId, c.req.valid('param').id), 201))
    .openapi(routes.sent, async (c) => c.json(await service.sent(c.var.user, c.req.valid('param').clientId), 200));
}
