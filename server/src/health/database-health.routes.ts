import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { databaseHealthSchema } from '@therapy-field/sync';
import { createRouter, errorResponses, jsonContent, type AppEnv } from '../http/index.js';
import type { DatabaseHealthRepository } from './database-health.repository.js';

const databaseHealth = createRoute({
  method: 'get', path: '/admin/database-health', tags: ['operations'], operationId: 'getDatabaseHealth',
  summary: 'The database health checks (size, connections, long queries, dead rows, default partitions) and their status',
  security: [{ bearerAuth: [] }],
  responses: {
    200: jsonContent(databaseHealthSchema, 'Each check and the worst status'),
    ...errorResponses(401, 403),
  },
});

/** Super admins only: the numbers say how the database is doing, not who uses it. */
export function databaseHealthRoutes(repository: DatabaseHealthRepository, superAdminOnly: MiddlewareHandler<AppEnv>) {
  return createRouter().openapi({ ...databaseHealth, middleware: [superAdminOnly] as const }, async (c) => c.json(await repository.check(), 200));
}
