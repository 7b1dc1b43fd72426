import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  markAllReadResponseSchema,
  notificationIdParamsSchema,
  notificationListQuerySchema,
  notificationPageSchema,
  notificationSchema,
  unreadCountSchema,
} from '@therapy-field/sync';
import { createRouter, errorResponses, jsonContent, type AppEnv } from '../http/index.js';
import type { NotificationsService } from './notifications.service.js';

const secured = [{ bearerAuth: [] }];

const list = createRoute({
  method: 'get', path: '/', tags: ['notifications'], summary: 'My notifications, newest first (cursor pagination)', security: secured,
  request: { query: notificationListQuerySchema },
  responses: { 200: jsonContent(notificationPageSchema, 'A page'), ...errorResponses(400, 401) },
});

const unreadCount = createRoute({
  method: 'get', path: '/unread-count', tags: ['notifications'], summary: 'How many of my notifications are unread', security: secured,
  responses: { 200: jsonContent(unreadCountSchema, 'The count'), ...errorResponses(401) },
});

const markRead = createRoute({
  method: 'post', path: '/{id}/read', tags: ['notifications'], summary: 'Mark one of my notifications read', security: secured,
  request: { params: notificationIdParamsSchema },
  responses: { 200: jsonContent(notificationSchema, 'The notification'), ...errorResponses(400, 401, 404) },
});

const markAllRead = createRoute({
  method: 'post', path: '/read-all', tags: ['notifications'], summary: 'Mark all my notifications read', security: secured,
  responses: { 200: jsonContent(markAllReadResponseSchema, 'How many changed'), ...errorResponses(401) },
});

/** `/notifications`: only ever the caller's own. */
export function notificationsRoutes(service: NotificationsService, authenticated: MiddlewareHandler<AppEnv>) {
  const router = createRouter();
  router.use('*', authenticated);
  return router
    .openapi(list, async (c) => c.json(await service.list(c.var.user.id, c.req.valid('query')), 200))
    .openapi(unreadCount, async (c) => c.json({ count: await service.unreadCount(c.var.user.id) }, 200))
    .openapi(markAllRead, async (c) => c.json({ updated: await service.markAllRead(c.var.user.id) }, 200))
    .openapi(markRead, async (c) => c.json(await service.markRead(c.var.user.id, c.req.valid('param').id), 200));
}
