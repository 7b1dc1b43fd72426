import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError, type ErrorBody, type VideoRequestData, type VideoRequestName, type VideoResponse } from '@therapy-field/sync';
import type { Logger } from '../logger/index.js';
import type { VideoService } from './video.service.js';
import { videoRequestSchemas, type ExecuteVideoRequest, type VideoCaller } from './video.signalling.js';
import type { VideoRouting } from './VideoClusterTypes.js';
import type { Notify } from './VideoRoomTypes.js';

const PREFIX = 'tf';
const ownerKey = (appointmentId: string) => `${PREFIX}:video:owner:${appointmentId}`;
const nodeChannel = (nodeId: string) => `${PREFIX}#video#${nodeId}`;

/** The current owner, or this node after it claimed the free session (atomically). */
const CLAIM = `local owner = redis.call('GET', KEYS[1])
if owner then return owner end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type Reply = { ok: true; data: unknown } | { ok: false; error: ErrorBody['error'] };
type RelayMessage =
  | { type: 'request'; id: string; from: string; name: VideoRequestName; caller: VideoCaller; data: unknown }
  | { type: 'response'; id: string; from: string; reply: Reply }
  /** A socket of the sender's disconnected: the owner keeps its place for the rejoin grace period. */
  | { type: 'dropped'; from: string; socketId: string };

interface Pending {
  resolve: (data: unknown) => void;
  reject: (error: AppError) => void;
  timer: NodeJS.Timeout;
}

export interface VideoClusterOptions {
  redis: Redis;
  service: VideoService;
  execute: ExecuteVideoRequest;
  notify: Notify;
  logger: Logger;
  /** How long a session stays owned by a node that stops renewing (a dead node). @default 10_000 */
  leaseMs?: number;
  /** How long a relayed request waits for the owner. @default 5_000 */
  requestTimeoutMs?: number;
}

/**
 * Video sessions across nodes that share Redis. Each appointment's session is owned by the node
 * that claimed `tf:video:owner:<appointmentId>` first (a lease renewed while its room lives); its
 * mediasoup worker carries the media, so every transport announces the owner's address. Another
 * node relays its sockets' requests to the owner on `tf#video#<ownerNodeId>` and the owner's
 * notifications reach them through the Socket.IO adapter. When the owner is gone (its lease
 * lapsed, or nobody listens on its channel) the peers are told to rejoin, and the first rejoin claims
 * the session for a live node.
 */
export class VideoCluster implements VideoRouting {
  readonly nodeId = randomUUID();
  private readonly pending = new Map<string, Pending>();
  /** This node's sockets in sessions owned elsewhere: socket id → appointment id → owner node id. */
  private readonly remote = new Map<string, Map<string, string>>();
  /** On the owner: other nodes' sockets in this node's sessions, socket id → the node holding it. */
  private readonly relayed = new Map<string, string>();
  private readonly log: Logger;
  private readonly leaseMs: number;
  private readonly requestTimeoutMs: number;
  private readonly tick: NodeJS.Timeout;
  private closing?: Promise<void>;

  private constructor(
    private readonly options: VideoClusterOptions,
    private readonly subscriber: Redis,
  ) {
    this.log = options.logger.child({ module: 'video.cluster', nodeId: this.nodeId });
    this.leaseMs = options.leaseMs ?? 10_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
    this.tick = setInterval(() => void this.maintain(), Math.max(100, Math.floor(this.leaseMs / 3)));
    this.tick.unref();
    options.service.onRoomEnded((appointmentId) => void this.release(appointmentId));
  }

  static async create(options: VideoClusterOptions): Promise<VideoCluster> {
    const subscriber = options.redis.duplicate();
    const cluster = new VideoCluster(options, subscriber);
    subscriber.on('message', (_channel: string, text: string) => cluster.receive(text));
    await subscriber.subscribe(nodeChannel(cluster.nodeId));
    return cluster;
  }

  async request<Name extends VideoRequestName>(name: Name, caller: VideoCaller, data: VideoRequestData<Name>): Promise<VideoResponse<Name>> {
    const { appointmentId } = data;
    const { redis } = this.options;
    const owner = name === 'video.join'
      ? ((await redis.eval(CLAIM, 1, ownerKey(appointmentId), this.nodeId, String(this.leaseMs))) as string)
      : await redis.get(ownerKey(appointmentId));
    const knownOwner = this.remote.get(caller.socketId)?.get(appointmentId);
    if (name !== 'video.join' && knownOwner !== undefined && owner !== knownOwner) {
      // The session left the node this socket's peer was on: only a rejoin rebuilds its media.
      this.moved(caller.socketId, appointmentId);
      throw new AppError('VIDEO_REJOIN_REQUIRED', 'The session moved; join again');
    }
    if (!owner || owner === this.nodeId) {
      this.untrack(caller.socketId, appointmentId);
      return this.options.execute(name, caller, data);
    }
    // Authorization on the socket's node first; the owner checks again.
    if (name === 'video.join') await this.options.service.authorizeJoin(caller.userId, appointmentId);
    this.track(caller.socketId, appointmentId, owner);
    const response = (await this.relay(owner, appointmentId, { type: 'request', id: randomUUID(), from: this.nodeId, name, caller, data })) as VideoResponse<Name>;
    if (name === 'video.leave') this.untrack(caller.socketId, appointmentId);
    return response;
  }

  disconnected(socketId: string): void {
    this.options.service.disconnected(socketId);
    const sessions = this.remote.get(socketId);
    this.remote.delete(socketId);
    for (const owner of new Set(sessions?.values())) this.publish(owner, { type: 'dropped', from: this.nodeId, socketId });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.tick);
      for (const pending of this.pending.values()) {
        clearTimeout(pending.timer);
        pending.reject(new AppError('SHUTTING_DOWN', 'This server is shutting down'));
      }
      this.pending.clear();
      await Promise.all(this.options.service.roomIds.map((appointmentId) => this.release(appointmentId)));
      await this.subscriber.quit().catch(() => undefined);
    })();
    return this.closing;
  }

  private relay(owner: string, appointmentId: string, message: Extract<RelayMessage, { type: 'request' }>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(message.id);
        reject(new AppError('VIDEO_REJOIN_REQUIRED', 'The session’s server did not answer; join again'));
      }, this.requestTimeoutMs);
      this.pending.set(message.id, { resolve, reject, timer });
      this.options.redis.publish(nodeChannel(owner), JSON.stringify(message)).then(
        async (listeners) => {
          if (listeners > 0) return;
          // Nobody listens on the owner's channel: the owner is gone. Free its session for a live node.
          this.log.warn({ owner, appointmentId }, 'session owner unreachable; releasing its lease');
          await this.options.redis.eval(RELEASE, 1, ownerKey(appointmentId), owner);
          this.settle(message.id, { ok: false, error: { code: 'VIDEO_REJOIN_REQUIRED', message: 'The session moved; join again' } });
        },
        (error: unknown) => {
          this.log.error({ err: error }, 'could not relay a video request');
          this.settle(message.id, { ok: false, error: { code: 'NOT_READY', message: 'Video signalling is unavailable right now' } });
        },
      );
    });
  }

  private receive(text: string): void {
    let message: RelayMessage;
    try {
      message = JSON.parse(text) as RelayMessage;
    } catch {
      this.log.warn('dropped a malformed video relay message');
      return;
    }
    if (message.from === this.nodeId) return;
    if (message.type === 'response') this.settle(message.id, message.reply);
    else if (message.type === 'dropped') this.peerDropped(message.socketId);
    else if (message.type === 'request') void this.serve(message);
    else this.log.warn('dropped a video relay message of an unknown type');
  }

  /** On the owner: a request relayed from the node that holds the socket. */
  private async serve({ id, from, name, caller, data }: Extract<RelayMessage, { type: 'request' }>): Promise<void> {
    let reply: Reply;
    try {
      const schema = videoRequestSchemas[name];
      const parsed = schema?.safeParse(data);
      if (!parsed?.success || typeof caller?.userId !== 'string' || typeof caller.socketId !== 'string') {
        throw new AppError('VALIDATION_FAILED', `Invalid relayed ${String(name)} request`);
      }
      this.relayed.set(caller.socketId, from);
      reply = { ok: true, data: await this.options.execute(name, caller, parsed.data as never) };
      if (name === 'video.leave') this.relayed.delete(caller.socketId);
    } catch (error) {
      const appError = error instanceof AppError ? error : new AppError('INTERNAL', 'Something went wrong on our side');
      if (!(error instanceof AppError)) this.log.error({ err: error, event: name, userId: caller?.userId }, 'relayed video request failed');
      reply = { ok: false, error: appError.toBody().error };
    }
    this.publish(from, { type: 'response', id, from: this.nodeId, reply });
  }

  private settle(id: string, reply: Reply): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (reply.ok) pending.resolve(reply.data);
    else pending.reject(AppError.fromBody({ error: reply.error }));
  }

  private publish(nodeId: string, message: RelayMessage): void {
    this.options.redis.publish(nodeChannel(nodeId), JSON.stringify(message)).catch((error: unknown) => this.log.warn({ err: error }, 'could not publish a video relay message'));
  }

  /**
   * Renews this node's leases, drops the peers of nodes that died holding their sockets, and tells
   * this node's sockets to rejoin a session whose owner changed.
   */
  private async maintain(): Promise<void> {
    const { redis, service } = this.options;
    try {
      for (const appointmentId of service.roomIds) {
        const renewed = await redis.eval(RENEW, 1, ownerKey(appointmentId), this.nodeId, String(this.leaseMs));
        if (renewed !== 1) this.log.warn({ appointmentId }, 'lost the lease of a session this node hosts');
      }
      await this.dropPeersOfDeadNodes();
      for (const [socketId, sessions] of this.remote) {
        for (const [appointmentId, owner] of sessions) {
          if ((await redis.get(ownerKey(appointmentId))) !== owner) this.moved(socketId, appointmentId);
        }
      }
    } catch (error) {
      this.log.warn({ err: error }, 'video lease maintenance failed');
    }
  }

  /**
   * A node that dies without a word (kill -9) never sends `dropped` for its sockets. Its Redis
   * subscription dies with it, so no listener on its channel means its sockets are gone.
   */
  private async dropPeersOfDeadNodes(): Promise<void> {
    for (const holder of new Set(this.relayed.values())) {
      const [, listeners] = (await this.options.redis.pubsub('NUMSUB', nodeChannel(holder))) as [string, number];
      if (Number(listeners) > 0) continue;
      this.log.warn({ holder }, 'a node holding peers of this node’s sessions is gone; they wait for a rejoin');
      for (const [socketId, node] of this.relayed) if (node === holder) this.peerDropped(socketId);
    }
  }

  private peerDropped(socketId: string): void {
    this.relayed.delete(socketId);
    this.options.service.disconnected(socketId);
  }

  private async release(appointmentId: string): Promise<void> {
    await this.options.redis.eval(RELEASE, 1, ownerKey(appointmentId), this.nodeId).catch((error: unknown) => this.log.warn({ err: error, appointmentId }, 'could not release a session lease'));
  }

  private moved(socketId: string, appointmentId: string): void {
    this.untrack(socketId, appointmentId);
    this.options.notify(socketId, 'video.rejoin', { appointmentId, reason: 'node-lost' });
  }

  private track(socketId: string, appointmentId: string, owner: string): void {
    const sessions = this.remote.get(socketId) ?? new Map<string, string>();
    sessions.set(appointmentId, owner);
    this.remote.set(socketId, sessions);
  }

  private untrack(socketId: string, appointmentId: string): void {
    const sessions = this.remote.get(socketId);
    sessions?.delete(appointmentId);
    if (sessions?.size === 0) this.remote.delete(socketId);
  }
}
