import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import type { AppEnv } from '../http/index.js';
import type { SyncService } from '../sync/index.js';
import { MessagesRepository } from './messages.repository.js';
import { messagesRoutes } from './messages.routes.js';
import { MessagesService } from './messages.service.js';

export { MessagesService } from './messages.service.js';

export interface MessagesModuleDeps {
  sequelize: Sequelize;
  sync: SyncService;
  authenticated: MiddlewareHandler<AppEnv>;
}

/** Secure messages over REST; devices sync the same `messages` collection through `/sync` and the hub. */
export function createMessagesModule({ sequelize, sync, authenticated }: MessagesModuleDeps) {
  const service = new MessagesService(new MessagesRepository(sequelize), sync);
  return { service, routes: messagesRoutes(service, authenticated) };
}
