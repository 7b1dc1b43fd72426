import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { meSchema, updateMeRequestSchema } from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, type AppEnv } from '../http/index.js';
import type { MeService } from './me.service.js';

const secured = [{ bearerAuth: [] }];

const getMe = createRoute({
  method: 'get', path: '/', tags: ['me'], summary: 'The signed-in user with their profile', security: secured,
  responses: { 200: jsonContent(meSchema, 'The user'), ...errorResponses(401) },
});

const updateMe = createRoute({
  method: 'patch', path: '/', tags: ['me'], summary: 'Change profile fields (name, phone, language, time zone…)', security: secured,
  request: { body: jsonBody(updateMeRequestSchema) },
  responses: { 200: jsonContent(meSchema, 'The updated user'), ...errorResponses(400, 401) },
});

/** `/me`: only ever the caller's own account. */
export function meRoutes(service: MeService, authenticated: MiddlewareHandler<AppEnv>) {
  const router = createRouter();
  router.use('*', authenticated);
  return router
    .openapi(getMe, async (c) => c.json(await service.get(c.var.user.id), 200))
    .openapi(updateMe, async (c) => c.json(await service.update(c.var.user.id, c.req.valid('json')), 200));
}
