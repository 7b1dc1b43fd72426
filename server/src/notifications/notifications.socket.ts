import { z } from 'zod';
import { notificationIdParamsSchema, notificationListQuerySchema } from '@therapy-field/sync';
import type { Logger } from '../logger/index.js';
import { handleEvent, type HubSocket } from '../realtime/index.js';
import type { NotificationsService } from './notifications.service.js';

const empty = z.object({}).strict();

/** The socket twins of the REST routes, for the caller's own notifications. */
export function notificationSocketHandlers(service: NotificationsService, logger: Logger) {
  return (socket: HubSocket) => {
    const userId = socket.data.userId;
    handleEvent(socket, logger, 'notifications.list', notificationListQuerySchema, (request) => service.list(userId, request));
    handleEvent(socket, logger, 'notifications.unreadCount', empty, async () => ({ count: await service.unreadCount(userId) }));
    handleEvent(socket, logger, 'notifications.read', notificationIdParamsSchema.strict(), ({ id }) => service.markRead(userId, id));
    handleEvent(socket, logger, 'notifications.readAll', empty, async () => ({ updated: await service.markAllRead(userId) }));
  };
}
