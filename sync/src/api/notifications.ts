import { z } from 'zod';
import { isoDateTimeSchema, pageQuerySchema, uuidSchema } from './common.js';

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
