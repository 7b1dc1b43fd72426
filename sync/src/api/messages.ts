import { z } from 'zod';
import { MESSAGE_BODY_MAX_LENGTH } from '../collections/messages.js';
import { isoDateTimeSchema, pageQuerySchema, uuidSchema } from './common.js';

/** One thread of the caller: who with, when it last moved, how many of the peer's messages are unread. No bodies. */
export const conversationSchema = z.object({
  peerId: uuidSchema,
  /** "Former client" once the peer erased their account (migration 0650). */
  peerName: z.string().nullable(),
  /** Null while nothing was written yet. */
  lastMessageAt: isoDateTimeSchema.nullable(),
  unreadCount: z.number().int(),
});

export const conversationListSchema = z.object({ conversations: z.array(conversationSchema) });

export const messageSchema = z.object({
  id: uuidSchema,
  senderId: uuidSchema,
  recipientId: uuidSchema,
  body: z.string(),
  createdAt: isoDateTimeSchema,
  /** When the recipient read it: the sender's read receipt. */
  readAt: isoDateTimeSchema.nullable(),
});

export const messagePageSchema = z.object({
  messages: z.array(messageSchema),
  nextCursor: z.string().nullable(),
});

export const conversationParamsSchema = z.object({ peerId: uuidSchema });

export const messageListQuerySchema = pageQuerySchema;

/**
 * A message written without the offline database. Sending the same `id` (a UUID the app
 * generates) and `createdAt` again changes nothing, so a retry is safe; `createdAt` defaults to the
 * server's clock.
 */
export const sendMessageRequestSchema = z
  .object({
    id: uuidSchema.optional(),
    body: z.string().max(MESSAGE_BODY_MAX_LENGTH).refine((body) => body.trim() !== '', 'must not be blank'),
    createdAt: isoDateTimeSchema.optional(),
  })
  .strict();

/** How many of the peer's messages a read mark changed. */
export const markConversationReadResponseSchema = z.object({ updated: z.number().int() });

export type Conversation = z.infer<typeof conversationSchema>;
export type ConversationList = z.infer<typeof conversationListSchema>;
export type Message = z.infer<typeof messageSchema>;
export type MessagePage = z.infer<typeof messagePageSchema>;
export type MessageListRequest = z.input<typeof messageListQuerySchema>;
export type SendMessageRequest = z.input<typeof sendMessageRequestSchema>;
