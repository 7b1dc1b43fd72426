import { z } from 'zod';
import { isoDateTimeSchema, pageQuerySchema, uuidSchema } from './common.js';
import { defineApi } from './route.js';

export const notificationSchema = z.object({
  id: uuidSchema,
  type: z.string(),
  title: z.string().nullable(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()),
  isRead: z.boolean(),
  readAt: isoDateTimeSchema.nullable(),
  createdAt: isoDateTimeSchema,
});

export const notificationPageSchema = z.object({
  notifications: z.array(notificationSchema),
  nextCursor: z.string().nullable(),
});

export const notificationListQuerySchema = pageQuerySchema;

export const unreadCountSchema = z.object({ count: z.number().int() });

/** How many notifications `read-all` changed. */
export const markAllReadResponseSchema = z.object({ updated: z.number().int() });

export const notificationIdParamsSchema = z.object({ id: uuidSchema });

export type Notification = z.infer<typeof notificationSchema>;
export type NotificationPage = z.infer<typeof notificationPageSchema>;
export type NotificationListRequest = z.input<typeof notificationListQuerySchema>;

/** `/notifications`: only ever the caller's own. */
export const notificationsApi = defineApi({
  components: { Notification: notificationSchema, NotificationPage: notificationPageSchema },
  routes: {
    listNotifications: {
      method: 'get', path: '/notifications', tag: 'notifications', summary: 'My notifications, newest first (cursor pagination)',
      query: notificationListQuerySchema,
      response: { status: 200, schema: notificationPageSchema, description: 'A page' },
      errors: ['INVALID_CURSOR'],
    },
    countUnreadNotifications: {
      method: 'get', path: '/notifications/unread-count', tag: 'notifications', summary: 'How many of my notifications are unread',
      response: { status: 200, schema: unreadCountSchema, description: 'The count' },
    },
    markNotificationRead: {
      method: 'post', path: '/notifications/{id}/read', tag: 'notifications', summary: 'Mark one of my notifications read',
      params: notificationIdParamsSchema,
      response: { status: 200, schema: notificationSchema, description: 'The notification' },
      errors: ['NOT_FOUND'],
    },
    markAllNotificationsRead: {
      method: 'post', path: '/notifications/read-all', tag: 'notifications', summary: 'Mark all my notifications read',
      response: { status: 200, schema: markAllReadResponseSchema, description: 'How many changed' },
    },
  },
});
