import { z } from 'zod';
import type { ChangeEvent, ChangesSinceResponse } from '@therapy-field/sync';
import type { ChangeFeed, SequencedChange } from '../changes/index.js';
import { runAsSystem, runAsUser } from '../database/index.js';
import type { Logger } from '../logger/index.js';
import type { PlatformMetrics } from '../metrics/index.js';
import type { CollectionRegistry, LoadedRecords, LoadRequest } from './collections/index.js';
import type { HubServer, HubSocket } from './hub-types.js';
import type { SocketEvents } from './socket-events.js';
import { userRoom } from './rooms.js';
import type { UserRequestQueue } from './user-request-queue.js';

const REPLAY_PAGE = 500;

const changesSinceSchema = z.object({ afterSeq: z.number().int().min(0), limit: z.number().int().min(1).max(REPLAY_PAGE).optional() }).strict();

/**
 * The change log as socket events: live delivery to user rooms (one node delivers each change;
 * the adapter carries it to every node's sockets), replay after `lastSeq` on connect, and
 * `changes.since` for a client that saw a gap.
 */
export class ChangeStream {
  constructor(
    private readonly io: HubServer,
    private readonly feed: ChangeFeed,
    private readonly collections: CollectionRegistry,
    private readonly metrics: PlatformMetrics,
    /** Replay pages wait in the account's line with its `changes.since` and sync requests. */
    private readonly queue: UserRequestQueue,
    private readonly log: Logger,
  ) {}

  /** Makes this node one of the feed's deliverers. */
  start(): void {
    // Delivery is the platform's, for every recipient at once.
    this.feed.deliverTo((changes) => runAsSystem(() => this.deliver(changes)));
  }

  register(events: SocketEvents): void {
    events.on('changes.since', changesSinceSchema, (socket, { afterSeq, limit }) => this.since(socket.data.userId, afterSeq, limit));
  }

  attach(socket: HubSocket, lastSeq: number | undefined): void {
    const room = userRoom(socket.data.userId);
    if (lastSeq === undefined) {
      void socket.join(room);
      return;
    }
    // Joined between two delivery batches: the replay stops where live delivery takes over.
    this.feed
      .subscribeLive(() => socket.join(room))
      .then((deliveredThrough) => runAsUser({ id: socket.data.userId, role: socket.data.role }, () => this.replay(socket, lastSeq, deliveredThrough)))
      .catch((error: unknown) => {
        this.log.warn({ err: error, userId: socket.data.userId }, 'replay failed');
        void socket.join(room);
      });
  }

  /** Changes after `afterSeq` for `userId` only, with each record as that user may see it. */
  async since(userId: string, afterSeq: number, limit = REPLAY_PAGE, deliveredThrough?: number): Promise<ChangesSinceResponse> {
    const page = await this.feed.changesSince(userId, afterSeq, limit, deliveredThrough);
    return { resync: page.resync, lastSeq: page.lastSeq, changes: await this.withData(page.changes) };
  }

  /** Tells each socket of this node the newest seq of its user's change log (`changes.head`). */
  async announceHeads(): Promise<void> {
    const sockets = [...this.io.of('/').sockets.values()];
    if (sockets.length === 0) return;
    const heads = await this.feed.lastSeqs([...new Set(sockets.map((socket) => socket.data.userId))]);
    for (const socket of sockets) socket.emit('changes.head', { lastSeq: heads.get(socket.data.userId) ?? 0 });
    this.metrics.eventsOut.inc({ event: 'changes.head' }, sockets.length);
  }

  private async replay(socket: HubSocket, afterSeq: number, deliveredThrough: number): Promise<void> {
    let cursor = afterSeq;
    for (;;) {
      const release = await this.queue.turn(socket.data.userId);
      const page = await this.since(socket.data.userId, cursor, REPLAY_PAGE, deliveredThrough).finally(release);
      if (page.resync) {
        socket.emit('resync');
        return;
      }
      for (const change of page.changes) socket.emit('change', change);
      this.metrics.eventsOut.inc({ event: 'change' }, page.changes.length);
      if (page.changes.length < REPLAY_PAGE || !socket.connected) return;
      cursor = page.changes.at(-1)!.seq;
    }
  }

  private async deliver(changes: SequencedChange[]): Promise<void> {
    const events = await this.withData(changes);
    const now = Date.now();
    changes.forEach((change, index) => {
      this.io.to(userRoom(change.recipientId)).emit('change', events[index]!);
      this.metrics.deliveryLag.observe(Math.max(0, now - change.createdAt.getTime()) / 1000);
    });
    this.metrics.eventsOut.inc({ event: 'change' }, changes.length);
  }

  /**
   * Loads records with one loader call per collection, all recipients of the batch together (the
   * loader answers each recipient only with what they may see); keeps the changes' order.
   */
  private async withData(changes: Array<SequencedChange>): Promise<ChangeEvent[]> {
    // The registry merges each recipient's requests of a collection into one.
    const requests = new Map<string, LoadRequest[]>();
    for (const change of changes) {
      if (change.operation === 'delete') continue;
      const collectionRequests = requests.get(change.collection) ?? [];
      collectionRequests.push({ recipientId: change.recipientId, recordIds: [change.recordId] });
      requests.set(change.collection, collectionRequests);
    }
    const loaded = new Map<string, LoadedRecords>(
      await Promise.all([...requests].map(async ([collection, collectionRequests]) => [collection, await this.collections.load(collection, collectionRequests)] as const)),
    );
    return changes.map(({ seq, collection, recordId, operation, recipientId }) => ({
      seq,
      collection,
      recordId,
      operation,
      data: operation === 'delete' ? null : (loaded.get(collection)?.get(recipientId)?.get(recordId) ?? null),
    }));
  }
}
