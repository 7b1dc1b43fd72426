import type { MiddlewareHandler } from 'hono';
import type { Sequelize } from 'sequelize';
import { collectionNames, type CollectionName } from '@therapy-field/sync';
import type { AuditLog } from '../audit/index.js';
import type { ChangeFeed } from '../changes/index.js';
import type { FieldCipher } from '../crypto/index.js';
import type { AppEnv } from '../http/index.js';
import { loadForEachRecipient, type CollectionRegistry, type SocketEvents, type UserRequestQueue } from '../realtime/index.js';
import { SyncRepository } from './sync.repository.js';
import { syncRoutes } from './sync.routes.js';
import { SyncService, type CollectionLoader } from './sync.service.js';
import { registerSyncEvents } from './sync.socket.js';

export { SyncService, type CollectionLoader } from './sync.service.js';

export interface SyncModuleDeps {
  sequelize: Sequelize;
  changes: ChangeFeed;
  cipher: FieldCipher;
  audit: AuditLog;
  authenticated: MiddlewareHandler<AppEnv>;
  /** The hub's registry: live `change` events of the wellness collections and messages carry their record. */
  liveCollections: CollectionRegistry;
  /** The hub's client→server events: `sync.pull` and `sync.push` are registered there. */
  socketEvents: SocketEvents;
  /** The hub's per-account line, which the HTTP sync routes share with the socket's. */
  requests: UserRequestQueue;
}

/** Collections whose live data this module loads; the hub loads notifications and appointments itself. */
const liveLoadedCollections = ['mood_entries', 'journal_entries', 'habit_definitions', 'habit_logs', 'goals', 'messages'] as const;

/**
 * Offline sync: HTTP routes (`/sync/pull`, `/sync/push`), the socket handlers, and one loader per
 * collection for the hub's live `change` events.
 */
export function createSyncModule({ sequelize, changes, cipher, audit, authenticated, liveCollections, socketEvents, requests }: SyncModuleDeps) {
  const service = new SyncService({ repository: new SyncRepository(sequelize), changes, cipher, audit });
  const loaders = Object.fromEntries(collectionNames.map((name) => [name, service.loader(name)])) as Record<CollectionName, CollectionLoader>;
  for (const name of liveLoadedCollections) {
    // A tombstone (deleted, or no longer shared with this recipient) travels as `data: null`. One
    // recipient at a time: each load audits that recipient's reads of clinical text.
    liveCollections.registerCollection(
      name,
      loadForEachRecipient(async (recipientId, recordIds) => {
        const documents = await loaders[name](recipientId, recordIds);
        return new Map(documents.filter((document) => !document._deleted).map((document) => [String(document.id), document]));
      }),
    );
  }
  registerSyncEvents(socketEvents, service);
  return { service, loaders, routes: syncRoutes(service, authenticated, requests) };
}

export type SyncModule = ReturnType<typeof createSyncModule>;
