import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  createSessionNoteRequestSchema,
  sessionNoteListQuerySchema,
  sessionNotePageSchema,
  sessionNoteSchema,
  updateSessionNoteRequestSchema,
} from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, type AppEnv } from '../http/index.js';
import type { SessionNotesService } from './session-notes.service.js';

const secured = [{ bearerAuth: [] }];
const idParams = z.object({ id: z.uuid() });
const note = jsonContent(sessionNoteSchema, 'The session note');

export interface SessionNotesRouteDeps {
  notes: SessionNotesService;
  authenticated: MiddlewareHandler<AppEnv>;
  therapist: MiddlewareHandler<AppEnv>;
}

/** `/appointments/{id}/session-notes`, `/clients/{clientId}/session-notes` and `/session-notes/{id}`: the writing therapist's only. */
export function sessionNotesRoutes({ notes, authenticated, therapist }: SessionNotesRouteDeps): OpenAPIHono<AppEnv> {
  const therapistOnly = { security: secured, middleware: therapist };
  // Any signed-in user may ask for a note id, so that someone else's note is "not found", not "forbidden".
  const signedIn = { security: secured, middleware: authenticated };

  const routes = {
    create: createRoute({
      method: 'post', path: '/appointments/{id}/session-notes', tags: ['session notes'], summary: 'Write a session note for one of my appointments (encrypted, audited)', ...therapistOnly,
      request: { params: idParams, body: jsonBody(createSessionNoteRequestSchema) },
      responses: { 201: note, ...errorResponses(400, 401, 403, 404, 409) },
    }),
    forAppointment: createRoute({
      method: 'get', path: '/appointments/{id}/session-notes', tags: ['session notes'], summary: 'My session notes of one of my appointments (audited)', ...therapistOnly,
      request: { params: idParams },
      responses: { 200: jsonContent(z.array(sessionNoteSchema), 'The notes, oldest first'), ...errorResponses(400, 401, 403, 404) },
    }),
    forClient: createRoute({
      method: 'get', path: '/clients/{clientId}/session-notes', tags: ['session notes'], summary: 'My session notes about one client, newest first (cursor pagination, audited)', ...therapistOnly,
      request: { params: z.object({ clientId: z.uuid() }), query: sessionNoteListQuerySchema },
      responses: { 200: jsonContent(sessionNotePageSchema, 'A page'), ...errorResponses(400, 401, 403) },
    }),
    get: createRoute({
      method: 'get', path: '/session-notes/{id}', tags: ['session notes'], summary: 'One of my session notes (audited)', ...signedIn,
      request: { params: idParams },
      responses: { 200: note, ...errorResponses(400, 401, 404) },
    }),
    update: createRoute({
      method: 'patch', path: '/session-notes/{id}', tags: ['session notes'], summary: 'Edit an unsigned note, from the version I saw (409 NOTE_VERSION_CONFLICT if it changed since)', ...signedIn,
      request: { params: idParams, body: jsonBody(updateSessionNoteRequestSchema) },
      responses: { 200: note, ...errorResponses(400, 401, 404, 409) },
    }),
    sign: createRoute({
      method: 'post', path: '/session-notes/{id}/sign', tags: ['session notes'], summary: 'Sign a note: it cannot be changed afterwards', ...signedIn,
      request: { params: idParams },
      responses: { 200: note, ...errorResponses(400, 401, 404, 409) },
    }),
    delete: createRoute({
      method: 'delete', path: '/session-notes/{id}', tags: ['session notes'], summary: 'Delete an unsigned note', ...signedIn,
      request: { params: idParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 404, 409) },
    }),
  };

  return createRouter()
    .openapi(routes.create, async (c) => c.json(await notes.create(c.var.user, c.req.valid('param').id, c.req.valid('json')), 201))
    .openapi(routes.forAppointment, async (c) => c.json(await notes.listForAppointment(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.forClient, async (c) => c.json(await notes.listForClient(c.var.user, c.req.valid('param').clientId, c.req.valid('query')), 200))
    .openapi(routes.get, async (c) => c.json(await notes.get(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.update, async (c) => c.json(await notes.update(c.var.user, c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(routes.sign, async (c) => c.json(await notes.sign(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.delete, async (c) => {
      await notes.delete(c.var.user, c.req.valid('param').id);
      return c.body(null, 204);
    });
}
