import { z } from 'zod';
import { defineCollection, type DocOf } from './define-collection.js';
import { idField, timestampField } from './shapes.js';

/** Written by the server; a device may only mark one read (`isRead`, `readAt`). */
export const notifications = defineCollection({
  name: 'notifications',
  access: 'mark-read',
  serverFields: ['userId', 'type', 'title', 'message', 'data', 'createdAt'],
  schema: z.object({
    id: idField,
    userId: idField.nullish(),
    type: z.string().max(50),
    title: z.string().max(200).nullish(),
    message: z.string().max(10_000),
    data: z.record(z.string(), z.unknown()),
    isRead: z.boolean(),
    readAt: timestampField.nullish(),
    createdAt: timestampField,
  }),
});
export type NotificationDoc = DocOf<typeof notifications>;
