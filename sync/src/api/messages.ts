import { z } from 'zod';
import { MESSAGE_BODY_MAX_LENGTH } from '../collections/messages.js';
import { isoDateTimeSchema, nonBlankText, pageQuerySchema, uuidSchema } from './common.js';
import { defineApi } from './route.js';

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
    body: nonBlankText(MESSAGE_BODY_MAX_LENGTH),
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

/** `/conversations`: the caller's secure messages with their therapist or clients. */
export const messagesApi = defineApi({
  components: {
    Conversation: conversationSchema,
    ConversationList: conversationListSchema,
    Message: messageSchema,
    MessagePage: messagePageSchema,
    SendMessageRequest: sendMessageRequestSchema,
  },
  routes: {
    listConversations: {
      method: 'get', path: '/conversations', tag: 'messages',
      summary: 'My conversations: each peer I may message or have messages with, the last message time and my unread count (no bodies)',
      response: { status: 200, schema: conversationListSchema, description: 'Most recent first' },
    },
    listMessages: {
      method: 'get', path: '/conversations/{peerId}/messages', tag: 'messages',
      summary: 'Messages between me and the peer, newest first (cursor pagination); each read is audited',
      params: conversationParamsSchema, query: messageListQuerySchema,
      response: { status: 200, schema: messagePageSchema, description: 'A page' },
      errors: ['INVALID_CURSOR', 'NOT_FOUND'],
    },
    sendMessage: {
      method: 'post', path: '/conversations/{peerId}/messages', tag: 'messages',
      summary: 'Send a message to my therapist or client (a confirmed or completed appointment together); sealed at rest',
      description: 'Sending the same `id` and `createdAt` again changes nothing (a safe retry); the same `id` with another body is a CONFLICT.',
      params: conversationParamsSchema, body: sendMessageRequestSchema,
      response: { status: 201, schema: messageSchema, description: 'The message' },
      errors: ['FORBIDDEN', 'CONFLICT'],
    },
    markConversationRead: {
      method: 'post', path: '/conversations/{peerId}/read', tag: 'messages',
      summary: "Mark every message from the peer to me read (the peer's read receipt)",
      params: conversationParamsSchema,
      response: { status: 200, schema: markConversationReadResponseSchema, description: 'How many changed' },
      errors: ['NOT_FOUND'],
    },
  },
});
