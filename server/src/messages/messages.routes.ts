import type { MiddlewareHandler } from 'hono';
import { messagesApi } from '@therapy-field/sync';
import { bindRoutes, createRouter, type AppEnv } from '../http/index.js';
import type { MessagesService } from './messages.service.js';

/** `/conversations`: the caller's secure messages with their therapist or clients. */
export function messagesRoutes(service: MessagesService, authenticated: MiddlewareHandler<AppEnv>) {
  const router = createRouter();
  // Also guards `/conversations` itself.
  router.use('/conversations/*', authenticated);
  return bindRoutes(router, messagesApi, {
    listConversations: (_input, c) => service.conversations(c.var.user.id),
    listMessages: ({ params, query }, c) => service.page(c.var.user.id, params.peerId, query),
    sendMessage: ({ params, body }, c) => service.send(c.var.user.id, params.peerId, body),
    markConversationRead: async ({ params }, c) => ({ updated: await service.markRead(c.var.user.id, params.peerId) }),
  });
}
