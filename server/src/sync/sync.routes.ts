import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { pullRequestSchema, pullResponseSchema, pushRequestSchema, pushResponseSchema } from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, rejectMalformedRequest, type AppEnv } from '../http/index.js';
import type { UserRequestQueue } from '../realtime/index.js';
import type { SyncService } from './sync.service.js';

const secured = [{ bearerAuth: [] }];

const pull = createRoute({
  method: 'post', path: '/pull', tags: ['sync'], security: secured,
  summary: 'Documents of one collection changed after a checkpoint (HTTP fallback of the `sync.pull` socket event)',
  request: { body: jsonBody(pullRequestSchema) },
  responses: { 200: jsonContent(pullResponseSchema, 'A page of documents and the next checkpoint; an empty page means in sync'), ...errorResponses(400, 401, 429) },
});

const push = createRoute({
  method: 'post', path: '/push', tags: ['sync'], security: secured,
  summary: 'Write documents a device changed, each with the server state it assumed (HTTP fallback of `sync.push`)',
  request: { body: jsonBody(pushRequestSchema) },
  responses: { 200: jsonContent(pushResponseSchema, 'Conflicts (the server states) and rejected rows with reasons'), ...errorResponses(400, 401, 413, 429) },
});

/** `/sync/*`: replication for the signed-in user only. */
export function syncRoutes(service: SyncService, authenticated: MiddlewareHandler<AppEnv>, requests: UserRequestQueue) {
  const router = createRouter();
  router.use('*', authenticated);
  return router
    .openapi(pull, async (c) => {
      const { collection, checkpoint, limit } = c.req.valid('json');
      return c.json(await requests.run(c.var.user.id, 'sync pull', () => service.pull(c.var.user.id, collection, checkpoint, limit)), 200);
    })
    .openapi(
      push,
      async (c) => {
        const { collection, rows } = c.req.valid('json');
        return c.json(await requests.run(c.var.user.id, 'sync push', () => service.push(c.var.user.id, collection, rows)), 200);
      },
      rejectMalformedRequest,
    );
}
