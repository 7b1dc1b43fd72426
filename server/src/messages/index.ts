import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import type { DomainEventBus } from '../events/index.js';
import type { AppEnv } from '../http/index.js';
import type { SyncService } from '../sync/index.js';
import { MessagesRepository } from './messages.repository.js';
import { messagesRoutes } from './messages.routes.js';
import { MessagesService } from './messages.service.js';

export { MessagesService } from './messages.service.js';

export interface MessagesModuleDeps {
  sequelize: Sequelize;
  sync: SyncService;
  events: DomainEventBus;
  authenticated: MiddlewareHandler<AppEnv>;
}

/**
 * Secure messages over REST; devices sync the same `messages` collection through `/sync` and the
 * hub. Every new message, however it came, is announced as `message.sent`.
 */
export function createMessagesModule({ sequelize, sync, events, authenticated }: MessagesModuleDeps) {
  const service = new MessagesService(new MessagesRepository(sequelize), sync);
  sync.onCreated('messages', (documents) => {
    for (const { id, senderId, recipientId } of documents) {
      events.publish('message.sent', { messageId: String(id), senderId: String(senderId), recipientId: String(recipientId) });
    }
  });
  return { service, routes: messagesRoutes(service, authenticated) };
}
