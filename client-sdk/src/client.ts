import type { RxStorage } from 'rxdb';
import type { Observable } from 'rxjs';
import type { CollectionName } from '@therapy-field/sync';
import { AuthApi } from './auth.js';
import { allCollections, createLocalDatabase, type TherapyFieldDatabase } from './database.js';
import { HttpClient, type Session } from './http.js';
import { LiveConnection, type LiveEvents } from './live.js';
import { createPresenceApi, type PresenceApi } from './presence.js';
import { createRestApi, type RestApi } from './rest.js';
import { SyncEngine, type SyncState } from './sync-engine.js';

export interface ClientOptions<Names extends CollectionName = CollectionName> {
  /** The platform's base URL, e.g. `https://api.therapyfield.gr`. */
  url: string;
  /** RxDB storage: `getRxStorageMemory()` in Node, `getRxStorageDexie()` in browsers. */
  storage: RxStorage<any, any>;
  /** The collections to keep locally. @default every synced collection */
  collections?: readonly Names[];
  /** Local database name; give each device (or user) its own. @default 'therapy-field' */
  databaseName?: string;
  /** Use the socket for live events and replication (HTTP only when false). @default true */
  realtime?: boolean;
  /** Wait before retrying a failed pull or push. @default 5000 */
  retryTimeMs?: number;
  /** @default 100 */
  pushBatchSize?: number;
  /** @default 200 */
  pullBatchSize?: number;
  /** Socket request timeout. @default 10000 */
  requestTimeoutMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Called whenever tokens change (login, refresh, logout), e.g. to persist them. */
  onSession?: (session: Session | null) => void;
}

export interface TherapyFieldClient<Names extends CollectionName = CollectionName> {
  auth: AuthApi;
  api: RestApi;
  /** The local RxDB database; write to it offline, `sync.start()` replicates it. */
  db: TherapyFieldDatabase<Names>;
  sync: {
    /**
     * Starts replicating every collection (live), over the socket or HTTP.
     * @example
     * client.sync.start();
     * client.sync.state$.subscribe((state) => console.log(state.online, state.pendingPushes));
     */
    start(): void;
    /**
     * Stops replicating (cancels the replications) and disconnects the socket; local data
     * stays, and `pendingPushes` goes on counting what is written meanwhile. `start()` carries
     * on from where replication stopped; nothing written meanwhile is lost.
     * @example
     * await client.sync.stop();
     */
    stop(): Promise<void>;
    /**
     * Resolves when every collection has pushed and pulled what there is.
     * @example
     * await client.sync.awaitInSync();
     */
    awaitInSync(): Promise<void>;
    /**
     * Pulls every collection again from its checkpoint.
     * @example
     * client.sync.resync();
     */
    resync(): void;
    /** Online/offline, pending pushes, last synced at, errors, conflicts, rejected rows. */
    state$: Observable<SyncState>;
    readonly state: SyncState;
  };
  /**
   * Listens to a live event (`change`, `resync`, `error`, `connected`, `disconnected`); returns
   * a function that stops listening.
   * @example
   * const off = client.on('change', (change) => console.log(change.collection, change.recordId));
   */
  on<E extends keyof LiveEvents>(event: E, handler: LiveEvents[E]): () => void;
  /** Who is online among the people in care with the user (needs `realtime: true`). */
  presence: PresenceApi;
  /**
   * Stops sync, closes the socket and the local database.
   * @example
   * await client.close();
   */
  close(): Promise<void>;
}

/**
 * Creates a Therapy Field client: auth, typed REST calls, live events and an offline-first
 * RxDB database that syncs with the platform.
 * @example
 * import { createClient } from '@therapy-field/client-sdk';
 * import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
 *
 * const client = await createClient({ url: 'http://localhost:3000', storage: getRxStorageMemory() });
 * await client.auth.login('maria@example.gr', 'correct horse battery staple');
 * client.sync.start();
 */
export async function createClient<Names extends CollectionName = CollectionName>(options: ClientOptions<Names>): Promise<TherapyFieldClient<Names>> {
  const collections = (options.collections ?? allCollections) as readonly Names[];
  const http = new HttpClient(options.url, options.fetch ?? globalThis.fetch.bind(globalThis), (session) => options.onSession?.(session));
  const live = options.realtime === false ? undefined : new LiveConnection(options.url, http, options.requestTimeoutMs ?? 10_000);
  let engine: SyncEngine | undefined;
  const db = await createLocalDatabase({
    name: options.databaseName ?? 'therapy-field',
    storage: options.storage,
    collections,
    onConflict: (collection, id) => engine?.noteConflict(collection, id),
  });
  engine = new SyncEngine(db, collections, http, live, options.url, {
    retryTimeMs: options.retryTimeMs ?? 5_000,
    pushBatchSize: options.pushBatchSize ?? 100,
    pullBatchSize: options.pullBatchSize ?? 200,
  });
  const sync = engine;
  let closed: Promise<void> | undefined;
  return {
    auth: new AuthApi(http),
    api: createRestApi(http),
    db,
    sync: {
      start: () => sync.start(),
      stop: () => sync.stop(),
      awaitInSync: () => sync.awaitInSync(),
      resync: () => sync.resync(),
      state$: sync.state,
      get state() {
        return sync.state$.value;
      },
    },
    on: (event, handler) => {
      if (!live) throw new Error('live events need realtime: true');
      return live.on(event, handler);
    },
    get presence() {
      if (!live) throw new Error('presence needs realtime: true');
      return createPresenceApi(live);
    },
    close: () =>
      (closed ??= (async () => {
        await sync.close();
        live?.disconnect();
        await db.close();
      })()),
  };
}
