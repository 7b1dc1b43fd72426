import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  coSignNoteRequestSchema,
  createSupervisionSessionRequestSchema,
  startSupervisionRequestSchema,
  supervisedNoteSchema,
  supervisionRelationshipSchema,
  supervisionSessionSchema,
} from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, type AppEnv } from '../http/index.js';
import type { SupervisionService } from './supervision.service.js';

const idParams = z.object({ id: z.uuid() });

/** `/supervision/*` and `/session-notes/{id}/review-request`: therapists only. */
export function supervisionRoutes({ service, therapist }: { service: SupervisionService; therapist: MiddlewareHandler<AppEnv> }): OpenAPIHono<AppEnv> {
  const therapistOnly = { security: [{ bearerAuth: [] }], middleware: therapist, tags: ['supervision'] };
  const relationship = jsonContent(supervisionRelationshipSchema, 'The relationship');
  const routes = {
    start: createRoute({
      method: 'post', path: '/supervision/relationships', operationId: 'startSupervision', summary: 'Choose my supervisor (another therapist): they may then read the notes I mark for review', ...therapistOnly,
      request: { body: jsonBody(startSupervisionRequestSchema) },
      responses: { 201: relationship, ...errorResponses(400, 401, 403, 404) },
    }),
    list: createRoute({
      method: 'get', path: '/supervision/relationships', operationId: 'listSupervisionRelationships', summary: 'My supervision relationships, as supervisor or supervisee', ...therapistOnly,
      responses: { 200: jsonContent(z.array(supervisionRelationshipSchema), 'The relationships'), ...errorResponses(401, 403) },
    }),
    end: createRoute({
      method: 'post', path: '/supervision/relationships/{id}/end', operationId: 'endSupervision', summary: 'End a supervision relationship (either party): the supervisor reads no more', ...therapistOnly,
      request: { params: idParams },
      responses: { 200: relationship, ...errorResponses(400, 401, 403, 404) },
    }),
    requestReview: createRoute({
      method: 'post', path: '/session-notes/{id}/review-request', operationId: 'requestNoteReview', summary: 'Mark my note for my supervisor’s review (audited)', ...therapistOnly,
      request: { params: idParams },
      responses: { 204: { description: 'Marked' }, ...errorResponses(400, 401, 403, 404) },
    }),
    queue: createRoute({
      method: 'get', path: '/supervision/review-queue', operationId: 'listNotesForReview', summary: 'Notes my active supervisees marked for review (audited)', ...therapistOnly,
      responses: { 200: jsonContent(z.array(supervisedNoteSchema), 'The notes, newest request first'), ...errorResponses(401, 403) },
    }),
    note: createRoute({
      method: 'get', path: '/supervision/notes/{id}', operationId: 'getNoteForReview', summary: 'One note marked for my review (audited); any other note is not found', ...therapistOnly,
      request: { params: idParams },
      responses: { 200: jsonContent(supervisedNoteSchema, 'The note'), ...errorResponses(400, 401, 403, 404) },
    }),
    coSign: createRoute({
      method: 'post', path: '/supervision/notes/{id}/co-sign', operationId: 'coSignNote', summary: 'Co-sign a signed note marked for my review, with my notes (encrypted, audited)', ...therapistOnly,
      request: { params: idParams, body: jsonBody(coSignNoteRequestSchema) },
      responses: { 200: jsonContent(supervisedNoteSchema, 'The note'), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    addSession: createRoute({
      method: 'post', path: '/supervision/relationships/{id}/sessions', operationId: 'addSupervisionSession', summary: 'Record a supervision session I gave: topics, action items, my notes (encrypted)', ...therapistOnly,
      request: { params: idParams, body: jsonBody(createSupervisionSessionRequestSchema) },
      responses: { 201: jsonContent(supervisionSessionSchema, 'The session'), ...errorResponses(400, 401, 403, 404) },
    }),
    sessions: createRoute({
      method: 'get', path: '/supervision/relationships/{id}/sessions', operationId: 'listSupervisionSessions', summary: 'The sessions of a relationship I am party to (the supervisor’s notes for the supervisor only)', ...therapistOnly,
      request: { params: idParams },
      responses: { 200: jsonContent(z.array(supervisionSessionSchema), 'The sessions, newest first'), ...errorResponses(400, 401, 403, 404) },
    }),
  };
  return createRouter()
    .openapi(routes.start, async (c) => c.json(await service.start(c.var.user, c.req.valid('json')), 201))
    .openapi(routes.list, async (c) => c.json(await service.relationships(c.var.user), 200))
    .openapi(routes.end, async (c) => c.json(await service.end(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.requestReview, async (c) => {
      await service.requestReview(c.var.user, c.req.valid('param').id);
      return c.body(null, 204);
    })
    .openapi(routes.queue, async (c) => c.json(await service.reviewQueue(c.var.user), 200))
    .openapi(routes.note, async (c) => c.json(await service.supervisedNote(c.var.user, c.req.valid('param').id), 200))
    .openapi(routes.coSign, async (c) => c.json(await service.coSign(c.var.user, c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(routes.addSession, async (c) => c.json(await service.addSession(c.var.user, c.req.valid('param').id, c.req.valid('json')), 201))
    .openapi(routes.sessions, async (c) => c.json(await service.sessions(c.var.user, c.req.valid('param').id), 200));
}
