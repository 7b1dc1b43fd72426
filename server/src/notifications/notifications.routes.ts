import type { MiddlewareHandler } from 'hono';
import { notificationsApi } from '@therapy-field/sync';
import { bindRoutes, createRouter, type AppEnv } from '../http/index.js';
import type { NotificationsService } from './notifications.service.js';

/** `/notifications`: only ever the caller's own. */
export function notificationsRoutes(service: NotificationsService, authenticated: MiddlewareHandler<AppEnv>) {
  const router = createRouter();
  // Also guards `/notifications` itself.
  router.use('/notifications/*', authenticated);
  return bindRoutes(router, notificationsApi, {
    listNotifications: ({ query }, c) => service.list(c.var.user.id, query),
    countUnreadNotifications: async (_input, c) => ({ count: await service.unreadCount(c.var.user.id) }),
    markNotificationRead: ({ params }, c) => service.markRead(c.var.user.id, params.id),
    markAllNotificationsRead: async (_input, c) => ({ updated: await service.markAllRead(c.var.user.id) }),
  });
}
