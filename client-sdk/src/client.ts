import type { RxStorage } from 'rxdb';
import type { Observable } from 'rxjs';
import type { CollectionName, PresenceState, RoomRef } from '@therapy-field/sync';
import { AuthApi } from './auth.js';
import type { TherapyFieldDatabase } from './database.js';
import { HttpClient, type Session } from './http.js';
import { LiveConnection, type LiveEvents } from './live.js';
import { createRestApi, type RestApi } from './rest.js';
import { RoomsAndPresence, type PresenceWatch } from './rooms.js';
import type { SyncEngine, SyncState } from './sync-engine.js';
import type { VideoSocket } from './video/signalling.js';

/** What a client without a local database needs: where the platform is and how to reach it. */
export interface OnlineClientOptions {
  /** The platform's base URL, e.g. `https://api.therapyfield.gr`. */
  url: string;
  /** Use the socket for live events (HTTP only when false). @default true */
  realtime?: boolean;
  /** Socket request timeout. @default 10000 */
  requestTimeoutMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Gives up on an HTTP request (with `TimeoutError`) after this many milliseconds. @default no limit */
  httpTimeoutMs?: number;
  /** Called whenever tokens change (login, refresh, logout), e.g. to persist them. */
  onSession?: (session: Session | null) => void;
}

export interface ClientOptions<Names extends CollectionName = CollectionName> extends OnlineClientOptions {
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
}

/**
 * Auth, typed REST calls and live events (rooms, presence) without a local database: what a
 * signed-out page needs. Creating one loads no RxDB code.
 */
export type OnlineClient = Pick<TherapyFieldClient, 'auth' | 'api' | 'on' | 'live' | 'close'>;

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
   * Listens to a live event: the change stream (`change`, `resync`), the hub's events (`presence`,
   * `typing`, `appointment`, `business.usage`, …) and the socket's state (`connected`,
   * `disconnected`, `error`); returns a function that stops listening. Events arrive while sync
   * runs or after `live.connect()`.
   * @example
   * const off = client.on('change', (change) => console.log(change.collection, change.recordId));
   */
  on<E extends keyof LiveEvents>(event: E, handler: LiveEvents[E]): () => void;
  /** The live socket on its own: events, rooms and presence without starting sync. */
  live: LiveApi;
  /**
   * Stops sync, closes the socket and the local database.
   * @example
   * await client.close();
   */
  close(): Promise<void>;
}

export interface LiveApi {
  /**
   * Opens the socket for live events, rooms and presence (signed in); sync need not run. It
   * reconnects by itself until `disconnect()`, and `sync.stop()` leaves it open.
   * @example
   * client.live.connect();
   * client.on('appointment', ({ name, appointment }) => console.log(name, appointment.id));
   */
  connect(): void;
  /**
   * Closes the socket unless sync runs (sync keeps it open until `sync.stop()`).
   * @example
   * client.live.disconnect();
   */
  disconnect(): void;
  readonly connected: boolean;
  /**
   * Enters a room the user may see (a therapist's schedule, an appointment, a business), also
   * after every reconnect; rejects with `ROOM_FORBIDDEN` for another's room.
   * @example
   * await client.live.joinRoom({ type: 'therapist-schedule', id: therapistId });
   */
  joinRoom(room: RoomRef): Promise<void>;
  /**
   * @example
   * await client.live.leaveRoom({ type: 'therapist-schedule', id: therapistId });
   */
  leaveRoom(room: RoomRef): Promise<void>;
  presence: {
    /**
     * Shows this device active (`online`) or idle (`away`) to the people one is in care with.
     * @example
     * await client.live.presence.set('away');
     */
    set(status: 'online' | 'away'): Promise<void>;
    /**
     * A therapist's "available now" flag, shown to their clients.
     * @example
     * await client.live.presence.setAvailableNow(true);
     */
    setAvailableNow(availableNow: boolean): Promise<void>;
    /**
     * Who is online among these users (one's therapist or clients): calls `onChange` with each
     * current state and with every change after, across reconnects, until `stop()`.
     * @example
     * const watch = await client.live.presence.watch([therapistId], (state) => show(state.userId, state.status));
     * watch.stop();
     */
    watch(userIds: string[], onChange: (state: PresenceState) => void): Promise<PresenceWatch>;
  };
  /**
   * The socket itself, for the video entry point:
   * `createVideoClient({ socket: client.live.socket })` (connect first).
   */
  readonly socket: VideoSocket;
}

/** Events `LiveConnection` emits itself (ordered, deduplicated, or about the connection). */
const connectionEvents = new Set<keyof LiveEvents>(['change', 'resync', 'error', 'connected', 'disconnected']);

/** The parts every client has; `syncRunning` tells the live API whether sync holds the socket open. */
function onlineParts(options: OnlineClientOptions, syncRunning: () => boolean) {
  const http = new HttpClient(options.url, options.fetch ?? globalThis.fetch.bind(globalThis), (session) => options.onSession?.(session), options.httpTimeoutMs);
  const live = options.realtime === false ? undefined : new LiveConnection(options.url, http, options.requestTimeoutMs ?? 10_000);
  const rooms = live ? new RoomsAndPresence(live.socket, options.requestTimeoutMs ?? 10_000) : undefined;
  /** The app asked for the socket itself (`live.connect()`), apart from sync. */
  let liveWanted = false;
  const requireLive = () => {
    if (!live || !rooms) throw new Error('live events need realtime: true');
    return { live, rooms };
  };
  const client: Omit<OnlineClient, 'close'> = {
    auth: new AuthApi(http),
    api: createRestApi(http),
    on: (event, handler) => {
      const { live: connection } = requireLive();
      if (connectionEvents.has(event)) return connection.on(event, handler);
      const socket = connection.socket as unknown as { on(event: string, handler: unknown): void; off(event: string, handler: unknown): void };
      socket.on(event, handler);
      return () => socket.off(event, handler);
    },
    live: {
      connect: () => {
        liveWanted = true;
        requireLive().live.connect();
      },
      disconnect: () => {
        liveWanted = false;
        if (!syncRunning()) live?.disconnect();
      },
      get connected() {
        return live?.connected ?? false;
      },
      joinRoom: (room) => requireLive().rooms.join(room),
      leaveRoom: (room) => requireLive().rooms.leave(room),
      presence: {
        set: (status) => requireLive().rooms.setStatus(status),
        setAvailableNow: (availableNow) => requireLive().rooms.setAvailableNow(availableNow),
        watch: (userIds, onChange) => requireLive().rooms.watch(userIds, onChange),
      },
      get socket() {
        return requireLive().live.socket as unknown as VideoSocket;
      },
    },
  };
  return { http, live, client, liveWanted: () => liveWanted };
}

/**
 * Creates a client without a local database: auth, typed REST calls, live events, rooms and
 * presence. For pages that need no offline data (signing in, registering); it loads no RxDB code.
 * @example
 * import { createOnlineClient } from '@therapy-field/client-sdk';
 *
 * const client = createOnlineClient({ url: 'http://localhost:3000' });
 * await client.auth.register({ role: 'client', email: 'maria@example.gr', password: 'correct horse battery staple', firstName: 'Μαρία', lastName: 'Παπαδοπούλου' });
 */
export function createOnlineClient(options: OnlineClientOptions): OnlineClient {
  const { live, client } = onlineParts(options, () => false);
  return { ...client, close: async () => live?.disconnect() };
}

/**
 * Creates a Therapy Field client: auth, typed REST calls, live events and an offline-first
 * RxDB database that syncs with the platform. The database and replication code is loaded when
 * this is called (its own chunk in an app's bundle), not when the SDK is imported.
 * @example
 * import { createClient } from '@therapy-field/client-sdk';
 * import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
 *
 * const client = await createClient({ url: 'http://localhost:3000', storage: getRxStorageMemory() });
 * await client.auth.login('maria@example.gr', 'correct horse battery staple');
 * client.sync.start();
 */
export async function createClient<Names extends CollectionName = CollectionName>(options: ClientOptions<Names>): Promise<TherapyFieldClient<Names>> {
  const [{ allCollections, createLocalDatabase }, { SyncEngine }] = await Promise.all([import('./database.js'), import('./sync-engine.js')]);
  const collections = (options.collections ?? allCollections) as readonly Names[];
  let engine: SyncEngine | undefined;
  const { http, live, client, liveWanted } = onlineParts(options, () => engine?.state$.value.running ?? false);
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
    ...client,
    db,
    sync: {
      start: () => sync.start(),
      stop: async () => {
        await sync.stop();
        if (liveWanted()) live?.connect();
      },
      awaitInSync: () => sync.awaitInSync(),
      resync: () => sync.resync(),
      state$: sync.changes$,
      get state() {
        return sync.state$.value;
      },
    },
    close: () =>
      (closed ??= (async () => {
        await sync.close();
        live?.disconnect();
        await db.close();
      })()),
  };
}
