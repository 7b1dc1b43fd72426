import { pullRequestSchema, pushRequestSchema } from '@therapy-field/sync';
import type { SocketEvents } from '../realtime/index.js';
import type { SyncService } from './sync.service.js';

/** `sync.pull` and `sync.push` on every authenticated socket, acked like the HTTP routes answer. */
export function registerSyncEvents(events: SocketEvents, service: SyncService): void {
  events.on('sync.pull', pullRequestSchema, (socket, { collection, checkpoint, limit }) => service.pull(socket.data.userId, collection, checkpoint, limit));
  events.on('sync.push', pushRequestSchema, (socket, { collection, rows }) => service.push(socket.data.userId, collection, rows));
}
