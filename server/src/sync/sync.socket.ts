import { pullRequestSchema, pushRequestSchema } from '@therapy-field/sync';
import type { Logger } from '../logger/index.js';
import { handleEvent, type ConnectionHandler } from '../realtime/index.js';
import type { SyncService } from './sync.service.js';

/** `sync.pull` and `sync.push` on every authenticated socket, acked like the HTTP routes answer. */
export function syncSocketHandlers(service: SyncService, logger: Logger): ConnectionHandler {
  const log = logger.child({ module: 'sync' });
  return (socket) => {
    handleEvent(socket, log, 'sync.pull', pullRequestSchema, ({ collection, checkpoint, limit }) =>
      service.pull(socket.data.userId, collection, checkpoint, limit),
    );
    handleEvent(socket, log, 'sync.push', pushRequestSchema, ({ collection, rows }) => service.push(socket.data.userId, collection, rows));
  };
}
