import type { Server as HttpServer } from 'node:http';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Cluster, Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';
import { Server } from 'socket.io';
import { AppError, appointmentEventNames, type HandshakeAuth, type PresenceState } from '@therapy-field/sync';
import type { AccessTokenAuthenticator } from '../auth/index.js';
import type { ChangeFeed } from '../changes/index.js';
import type { DomainEventBus } from '../events/index.js';
import type { Logger } from '../logger/index.js';
import type { PlatformMetrics } from '../metrics/index.js';
import { AccessRepository } from './access.repository.js';
import { ChangeStream } from './change-stream.js';
import { appointmentsLoader, CollectionRegistry } from './collections/index.js';
import type { HubServer, HubSocket } from './hub-types.js';
import { MemoryPresenceStore, PresenceService, RedisPresenceStore } from './presence/index.js';
import { RoomAccess } from './room-access.js';
import { accountRoom, appointmentRoom, therapistScheduleRoom, userRoom } from './rooms.js';
import { SocketEvents } from './socket-events.js';
import { applySocketLimits, type SocketLimits } from './socket-limits.js';
import { UserRequestQueue } from './user-request-queue.js';

export interface RealtimeHubOptions {
  /** Checks the handshake's access token like the HTTP guard (signature and an active account). */
  authenticate: AccessTokenAuthenticator;
  logger: Logger;
  sequelize: Sequelize;
  changes: ChangeFeed;
  events: DomainEventBus;
  metrics: PlatformMetrics;
  /** With it, the Socket.IO Redis adapter joins this node's rooms to every other node's. */
  redisUrl?: string;
  /** Classic or sharded pub/sub, the latter optionally on a Redis Cluster (see Config). @default classic on redisUrl */
  socketAdapter?: { kind: 'redis' | 'redis-sharded'; clusterUrls: string[] };
  /** Shared presence; without it presence is this process's alone. */
  redis?: Redis;
  limits: SocketLimits;
  /** A device not heard from for this long counts as gone (heartbeats every third of it). */
  presenceTtlMs: number;
  /** Largest socket message in bytes; beyond it Socket.IO drops the connection. @default 1_000_000 */
  maxPayloadBytes?: number;
  /** Web app origins allowed to use the long-polling fallback from a browser. */
  corsOrigins: string[];
}


const HEAD_INTERVAL_MS = 30_000;
/** Queued requests of one account waiting on a node beyond those running; more are refused. */
const MAX_WAITING_REQUESTS_PER_USER = 64;

/**
 * Socket.IO on the platform's HTTP port. The handshake must carry a valid access token; each
 * socket joins its user's room, gets the change stream (replayed after `auth.lastSeq`), presence
 * and room joins; the events capabilities registered in `events` reach their handlers.
 */
export class RealtimeHub {
  private readonly unsubscribe: Array<() => void> = [];
  private closing?: Promise<void>;

  private constructor(
    readonly io: HubServer,
    /** Loaders that turn change-log entries into records; capabilities register theirs here. */
    readonly collections: CollectionRegistry,
    private readonly log: Logger,
    private readonly presence: PresenceService,
    private readonly adapterClients: Array<Redis | Cluster>,
    /** One account's sync requests running at once on this node, over sockets and HTTP alike. */
    readonly requests: UserRequestQueue,
    /** Client→server events; capabilities register theirs here. */
    readonly events: SocketEvents,
  ) {}

  static async create(options: RealtimeHubOptions): Promise<RealtimeHub> {
    const log = options.logger.child({ module: 'realtime' });
    const io: HubServer = new Server({
      maxHttpBufferSize: options.maxPayloadBytes ?? 1_000_000,
      transports: ['websocket', 'polling'],
      serveClient: false,
      ...(options.corsOrigins.length > 0 ? { cors: { origin: options.corsOrigins } } : {}),
    });
    const adapterClients: Array<Redis | Cluster> = [];
    const redisUrl = options.redisUrl;
    if (redisUrl) {
      const { kind, clusterUrls } = options.socketAdapter ?? { kind: 'redis', clusterUrls: [] };
      const connect = () => (clusterUrls.length > 0 ? redisCluster(clusterUrls) : new Redis(redisUrl));
      const [pub, sub] = [connect(), connect()];
      guardPublishes(pub, log);
      adapterClients.push(pub, sub);
      io.adapter(kind === 'redis-sharded' ? createShardedAdapter(pub, sub, { channelPrefix: 'tf-socket.io' }) : createAdapter(pub, sub, { key: 'tf-socket.io' }));
    }
    const access = new AccessRepository(options.sequelize);
    const store = options.redis ? new RedisPresenceStore(options.redis, options.presenceTtlMs) : new MemoryPresenceStore(options.presenceTtlMs);
    const presence = new PresenceService(io, store, access, options.metrics, log.child({ part: 'presence' }));
    const collections = new CollectionRegistry();
    const queue = new UserRequestQueue(options.limits.concurrentRequestsPerUser, MAX_WAITING_REQUESTS_PER_USER);
    const stream = new ChangeStream(io, options.changes, collections, options.metrics, queue, log.child({ part: 'changes' }));
    const events = new SocketEvents(log);
    const hub = new RealtimeHub(io, collections, log, presence, adapterClients, queue, events);
    collections.registerCollection('appointments', appointmentsLoader(options.sequelize));

    new RoomAccess(access).register(events);
    presence.register(events);
    stream.register(events);
    const guards = { limits: options.limits, queue, log, events, onEvent: (event: string) => options.metrics.eventsIn.inc({ event }) };
    io.use((socket, next) => {
      admit(socket)
        .then(
          () => next(),
          (error: unknown) => {
            if (!(error instanceof AppError)) log.warn({ err: error }, 'socket handshake failed');
            next(connectError(error instanceof AppError ? error : new AppError('TOKEN_INVALID', 'Token is not valid')));
          },
        )
        .catch((error: unknown) => log.error({ err: error }, 'socket handshake failed'));
    });
    async function admit(socket: HubSocket): Promise<void> {
      const { token, lastSeq } = (socket.handshake.auth ?? {}) as Partial<HandshakeAuth>;
      if (typeof token !== 'string' || token === '') throw new AppError('UNAUTHENTICATED', 'Authentication required');
      if (lastSeq !== undefined && !(Number.isInteger(lastSeq) && lastSeq >= 0)) throw new AppError('VALIDATION_FAILED', 'auth.lastSeq must be a whole number ≥ 0');
      const session = await options.authenticate(token);
      socket.data.userId = session.id;
      socket.data.role = session.role;
      socket.data.sessionExpiresAt = session.expiresAt.getTime();
      if (!(await presence.admit(socket, options.limits.socketsPerUser))) {
        const limit = options.limits.socketsPerUser;
        throw new AppError('TOO_MANY_CONNECTIONS', `This account already has ${limit} connections open`, { limit });
      }
    }
    // The change stream joins the user room itself (in step with delivery when resuming).
    io.on('connection', (socket) => {
      try {
        void socket.join(accountRoom(socket.data.userId));
        events.attach(socket);
        closeWhenTokenExpires(socket);
        applySocketLimits(socket, guards);
        presence.attach(socket);
        stream.attach(socket, (socket.handshake.auth as Partial<HandshakeAuth>).lastSeq);
      } catch (error) {
        log.error({ err: error, userId: socket.data.userId }, 'socket setup failed');
        socket.disconnect(true);
      }
    });
    hub.unsubscribe.push(
      // Through the Redis adapter this reaches the account's sockets on every node.
      options.events.subscribe('account.sessions_revoked', ({ userId }) => io.in(accountRoom(userId)).disconnectSockets(true)),
    );

    for (const name of appointmentEventNames) {
      hub.unsubscribe.push(
        options.events.subscribe(name, (appointment) => {
          io.to([appointmentRoom(appointment.appointmentId), therapistScheduleRoom(appointment.therapistId)]).emit('appointment', { name, appointment });
          options.metrics.eventsOut.inc({ event: 'appointment' });
        }),
      );
    }
    hub.unsubscribe.push(
      // The assigning therapist's devices only; the notification and the email are the notifications module's.
      options.events.subscribe('measure.risk_alert', ({ therapistId, ...alert }) => {
        io.to(userRoom(therapistId)).emit('measure.risk_alert', alert);
        options.metrics.eventsOut.inc({ event: 'measure.risk_alert' });
      }),
    );
    stream.start();
    if (adapterClients.length > 0) hub.watchForLostEvents(stream);
    return hub;
  }

  /**
   * Across nodes a live event travels through Redis, and an outage can drop it. After each
   * reconnect of the adapter's clients, and every HEAD_INTERVAL_MS as a safety net, this node's
   * sockets are told their change log's head, so a device that missed something asks for it.
   */
  private watchForLostEvents(stream: ChangeStream): void {
    const announce = () => stream.announceHeads().catch((error: unknown) => this.log.warn({ err: error }, 'could not announce change-log heads'));
    for (const client of this.adapterClients) {
      let dropped = false;
      client.on('close', () => (dropped = true));
      client.on('ready', () => {
        if (!dropped) return;
        dropped = false;
        void announce();
      });
    }
    const timer = setInterval(() => void announce(), HEAD_INTERVAL_MS);
    timer.unref();
    this.unsubscribe.push(() => clearInterval(timer));
  }

  attach(server: HttpServer): void {
    this.io.attach(server);
  }

  get logger(): Logger {
    return this.log;
  }

  /** Whether these users are online, away or offline, counting their devices on every node. */
  presenceOf(userIds: string[]): Promise<PresenceState[]> {
    return this.presence.states(userIds);
  }

  /** Sockets connected to this node. */
  get localConnections(): number {
    return this.io.of('/').sockets.size;
  }

  /** Tells this node's clients to reconnect elsewhere, says presence goodbye, then disconnects them. */
  close(): Promise<void> {
    this.closing ??= this.closeChildren();
    return this.closing;
  }

  private async closeChildren(): Promise<void> {
    this.unsubscribe.forEach((stop) => stop());
    // Spread reconnects so a fleet of clients does not land on the next node at one instant.
    for (const socket of this.io.of('/').sockets.values()) socket.emit('server.shutdown', { reconnectAfterMs: Math.floor(Math.random() * 2000) });
    await this.presence.close().catch((error: unknown) => this.log.warn({ err: error }, 'presence goodbye failed'));
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
    await Promise.all(this.adapterClients.map((client) => client.quit().catch(() => undefined)));
  }
}

/** Sharded subscriptions go to the node owning each channel's slot. */
function redisCluster(urls: string[]): Cluster {
  return new Cluster(urls.map((url) => ({ host: new URL(url).hostname, port: Number(new URL(url).port || 6379) })), { shardedSubscribers: true });
}

/**
 * A socket lives no longer than the access token it was opened with: at its expiry the server
 * disconnects it, and the client refreshes its token and reconnects (resuming after `lastSeq`).
 */
function closeWhenTokenExpires(socket: HubSocket): void {
  // setTimeout takes at most 2^31-1 ms (~24.8 days); a longer token is closed then, and reopened.
  const timer = setTimeout(() => socket.disconnect(true), Math.min(socket.data.sessionExpiresAt - Date.now(), 2 ** 31 - 1));
  socket.on('disconnect', () => clearTimeout(timer));
}

/** Socket.IO hands `err.data` to the client's `connect_error`: the same `{ code, message }` as HTTP. */
function connectError(error: AppError): Error & { data: unknown } {
  return Object.assign(new Error(error.message), { data: error.toBody().error });
}

/**
 * The adapters publish without handling failure: during a Redis outage each emit would be an
 * unhandled rejection (which ends a Node process). Broadcasts are best effort; clients replay
 * from the change log.
 */
function guardPublishes(client: Redis | Cluster, log: Logger): void {
  const publishing = client as unknown as Record<'publish' | 'spublish', (...args: unknown[]) => Promise<number>>;
  for (const method of ['publish', 'spublish'] as const) {
    if (typeof publishing[method] !== 'function') continue;
    const publish = publishing[method].bind(client);
    publishing[method] = (...args) =>
      publish(...args).catch((error: unknown) => {
        log.warn({ err: error }, 'cross-node broadcast lost (Redis unreachable)');
        return 0;
      });
  }
}
