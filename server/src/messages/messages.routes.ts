import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  conversationListSchema,
  conversationParamsSchema,
  markConversationReadResponseSchema,
  messageListQuerySchema,
  messagePageSchema,
  messageSchema,
  sendMessageRequestSchema,
} from '@therapy-field/sync';
import { createRouter, errorResponses, jsonBody, jsonContent, type AppEnv } from '../http/index.js';
import type { MessagesService } from './messages.service.js';

const secured = [{ bearerAuth: [] }];

const list = createRoute({
  method: 'get', path: '/', tags: ['messages'], security: secured,
  summary: 'My conversations: each peer I may message or have messages with, the last message time and my unread count (no bodies)',
  responses: { 200: jsonContent(conversationListSchema, 'Most recent first'), ...errorResponses(401) },
});

const page = createRoute({
  method: 'get', path: '/{peerId}/messages', tags: ['messages'], security: secured,
  summary: 'Messages between me and the peer, newest first (cursor pagination); each read is audited',
  request: { params: conversationParamsSchema, query: messageListQuerySchema },
  responses: { 200: jsonContent(messagePageSchema, 'A page'), ...errorResponses(400, 401, 404) },
});

const send = createRoute({
  method: 'post', path: '/{peerId}/messages', tags: ['messages'], security: secured,
  summary: 'Send a message to my therapist or client (a confirmed or completed appointment together); sealed at rest',
  request: { params: conversationParamsSchema, body: jsonBody(sendMessageRequestSchema) },
  responses: { 201: jsonContent(messageSchema, 'The message'), ...errorResponses(400, 401, 403, 409) },
});

const markRead = createRoute({
  method: 'post', path: '/{peerId}/read', tags: ['messages'], security: secured,
  summary: "Mark every message from the peer to me read (the peer's read receipt)",
  request: { params: conversationParamsSchema },
  responses: { 200: jsonContent(markConversationReadResponseSchema, 'How many changed'), ...errorResponses(400, 401, 404) },
});

/** `/conversations`: the caller's secure messages with their therapist or clients. */
export function messagesRoutes(service: MessagesService, authenticated: MiddlewareHandler<AppEnv>) {
  const router = createRouter();
  router.use('*', authenticated);
  return router
    .openapi(list, async (c) => c.json(await service.conversations(c.var.user.id), 200))
    .openapi(page, async (c) => c.json(await service.page(c.var.user.id, c.req.valid('param').peerId, c.req.valid('query')), 200))
    .openapi(send, async (c) => c.json(await service.send(c.var.user.id, c.req.valid('param').peerId, c.req.valid('json')), 201))
    .openapi(markRead, async (c) => c.json({ updated: await service.markRead(c.var.user.id, c.req.valid('param').peerId) }, 200));
}
