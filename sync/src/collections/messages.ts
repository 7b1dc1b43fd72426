import { z } from 'zod';
import { defineCollection, type DocOf } from './define-collection.js';
import { checkLoggedAt, idField, timestampField } from './shapes.js';

/** The longest message body, in characters. */
export const MESSAGE_BODY_MAX_LENGTH = 5000;

/**
 * Secure messages between a client and their therapist. Append-only (sync/README.md): the sender
 * writes a message once and may delete it; `readAt` is the recipient's read receipt, set by the
 * server when the recipient reads the conversation.
 */
export const messages = defineCollection({
  name: 'messages',
  access: 'read-write',
  // The server also sets `senderId` (the signed-in sender) and `readAt`, but they are compared like
  // content: a device must take a read receipt that arrives, and may not change either.
  serverFields: ['updatedAt'],
  indexes: ['createdAt'],
  schema: z.object({
    id: idField,
    senderId: idField.nullish(),
    recipientId: idField,
    body: z.string().max(MESSAGE_BODY_MAX_LENGTH),
    createdAt: timestampField,
    readAt: timestampField.nullish(),
    updatedAt: timestampField.nullish(),
  }),
  // An empty body is refused here, not in the schema: a deleted message's tombstone has one.
  check: (doc, now) => [...checkLoggedAt('createdAt', doc.createdAt, now), ...(doc.body.trim() === '' ? ['body: empty'] : [])],
});
export type MessageDoc = DocOf<typeof messages>;
