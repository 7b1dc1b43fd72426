import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  createNoteAmendmentRequestSchema,
  createNoteTemplateRequestSchema,
  noteAmendmentSchema,
  noteTemplateListQuerySchema,
  noteTemplateSchema,
  sessionNoteRecordSchema,
} from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, type AppEnv } from '../http/index.js';
import type { NoteAmendmentsService } from './note-amendments.service.js';
import type { NoteTemplatesService } from './note-templates.service.js';

const secured = [{ bearerAuth: [] }];
const idParams = z.object({ id: z.uuid() });

export interface NoteRecordsRouteDeps {
  amendments: NoteAmendmentsService;
  templates: NoteTemplatesService;
  authenticated: MiddlewareHandler<AppEnv>;
  therapist: MiddlewareHandler<AppEnv>;
}

/** `/session-notes/{id}/amendments`, `/session-notes/{id}/record` (the note's therapist only) and `/note-templates` (therapists). */
export function noteRecordsRoutes({ amendments, templates, authenticated, therapist }: NoteRecordsRouteDeps): OpenAPIHono<AppEnv> {
  // Any signed-in user may ask about a note id, so that someone else's note is "not found", not "forbidden".
  const signedIn = { security: secured, middleware: authenticated };
  const therapistOnly = { security: secured, middleware: therapist };
  const routes = {
    amend: createRoute({
      method: 'post', path: '/session-notes/{id}/amendments', operationId: 'amendSessionNote', tags: ['session notes'],
      summary: 'Add an amendment or addendum to my signed note: a new record, the original stays as signed (409 NOTE_NOT_SIGNED on a draft)', ...signedIn,
      request: { params: idParams, body: jsonBody(createNoteAmendmentRequestSchema) },
      responses: { 201: jsonContent(noteAmendmentSchema, 'The amendment'), ...errorResponses(400, 401, 404, 409) },
    }),
    record: createRoute({
      method: 'get', path: '/session-notes/{id}/record', operationId: 'getSessionNoteRecord', tags: ['session notes'],
      summary: 'My note with its earlier versions and its amendments, oldest first (audited)', ...signedIn,
      request: { params: idParams },
      responses: { 200: jsonContent(sessionNoteRecordSchema, 'The note’s record'), ...errorResponses(400, 401, 404) },
    }),
    listTemplates: createRoute({
      method: 'get', path: '/note-templates', operationId: 'listNoteTemplates', tags: ['note templates'],
      summary: 'Templates to start a note from: mine first, then the platform’s (SOAP, DAP, BIRP in Greek and English)', ...therapistOnly,
      request: { query: noteTemplateListQuerySchema },
      responses: { 200: jsonContent(z.array(noteTemplateSchema), 'The templates'), ...errorResponses(400, 401, 403) },
    }),
    getTemplate: createRoute({
      method: 'get', path: '/note-templates/{id}', operationId: 'getNoteTemplate', tags: ['note templates'], summary: 'One template (mine or the platform’s)', ...therapistOnly,
      request: { params: idParams },
      responses: { 200: jsonContent(noteTemplateSchema, 'The template'), ...errorResponses(400, 401, 403, 404) },
    }),
    createTemplate: createRoute({
      method: 'post', path: '/note-templates', operationId: 'createNoteTemplate', tags: ['note templates'], summary: 'Save a template of my own', ...therapistOnly,
      request: { body: jsonBody(createNoteTemplateRequestSchema) },
      responses: { 201: jsonContent(noteTemplateSchema, 'The template'), ...errorResponses(400, 401, 403) },
    }),
    deleteTemplate: createRoute({
      method: 'delete', path: '/note-templates/{id}', operationId: 'deleteNoteTemplate', tags: ['note templates'], summary: 'Delete a template of mine (the platform’s stay)', ...therapistOnly,
      request: { params: idParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) },
    }),
  };
  return createRouter()
    .openapi(routes.amend, async (c) => c.json(await amendments.amend(c.var.user, c.req.valid('param').id, c.req.valid('json')), 201))
    .openapi(routes.record, async (c) => c.json(await amendments.record(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.listTemplates, async (c) => c.json(await templates.list(c.var.user, c.req.valid('query')), 200))
    .openapi(routes.getTemplate, async (c) => c.json(await templates.get(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.createTemplate, async (c) => c.json(await templates.create(c.var.user, c.req.valid('json')), 201))
    .openapi(routes.deleteTemplate, async (c) => {
      await templates.delete(c.var.user, c.req.valid('param').id);
      return c.body(null, 204);
    });
}
