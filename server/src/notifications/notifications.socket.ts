import { z } from 'zod';
import { notificationIdParamsSchema, notificationListQuerySchema } from '@therapy-field/sync';
import type { SocketEvents } from '../realtime/index.js';
import type { NotificationsService } from './notifications.service.js';

const empty = z.object({}).strict();
const notificationIdSchema = notificationIdParamsSchema.strict();

/** The socket twins of the REST routes, for the caller's own notifications. */
export function registerNotificationEvents(events: SocketEvents, service: NotificationsService): void {
  events.on('notifications.list', notificationListQuerySchema, (socket, request) => service.list(socket.data.userId, request));
  events.on('notifications.unreadCount', empty, async (socket) => ({ count: await service.unreadCount(socket.data.userId) }));
  events.on('notifications.read', notificationIdSchema, (socket, { id }) => service.markRead(socket.data.userId, id));
  events.on('notifications.readAll', empty, async (socket) => ({ updated: await service.markAllRead(socket.data.userId) }));
}
