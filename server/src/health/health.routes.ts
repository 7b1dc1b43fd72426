import { createRoute, z } from '@hono/zod-openapi';
import { AppError, errorBodySchema } from '@therapy-field/sync';
import type { Database } from '../database/index.js';
import { createRouter, jsonContent } from '../http/index.js';

const health = createRoute({
  method: 'get', path: '/health', tags: ['operations'], summary: 'The process is up',
  responses: { 200: jsonContent(z.object({ status: z.literal('ok'), uptimeSeconds: z.number() }), 'Alive') },
});

const ready = createRoute({
  method: 'get', path: '/ready', tags: ['operations'], summary: 'The database is reachable and fully migrated',
  responses: {
    200: jsonContent(z.object({ status: z.literal('ready') }), 'Ready for traffic'),
    503: jsonContent(errorBodySchema, 'Not ready'),
  },
});

export function healthRoutes(database: Database) {
  return createRouter()
    .openapi(health, (c) => c.json({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()) }, 200))
    .openapi(ready, async (c) => {
      const state = await database.isReady();
      if (state.reachable && state.pendingMigrations.length === 0) return c.json({ status: 'ready' as const }, 200);
      const message = state.reachable ? 'Migrations are pending' : 'Database is unreachable';
      return c.json(new AppError('NOT_READY', message, state).toBody(), 503);
    });
}
