import pg from 'pg';
import type { Sequelize } from 'sequelize';
import type { Logger } from '../logger/index.js';
import { ChangeLogRepository, type SequencedChange } from './change-log.repository.js';

export type ChangeDeliverer = (changes: SequencedChange[]) => Promise<void>;

export interface ChangeFeedOptions {
  sequelize: Sequelize;
  /** For the LISTEN connection, which lives outside the pool. */
  databaseUrl: string;
  logger: Logger;
  /** A safety net for lost notifications. @default 1000 */
  pollIntervalMs?: number;
  /** @default 500 */
  batchSize?: number;
}

const LISTEN_CHANNEL = 'change_log';
const DELIVERY_CURSOR = 'live';

/**
 * Turns committed change-log rows into numbered changes and hands each to the deliverer once,
 * whichever node it runs on. NOTIFY wakes it; a poll catches what a dropped LISTEN connection
 * missed, since NOTIFY alone is lossy.
 */
export class ChangeFeed {
  private readonly repository: ChangeLogRepository;
  private readonly log: Logger;
  private deliverer?: ChangeDeliverer;
  private readonly wakeListeners: Array<() => void> = [];
  private listener?: pg.Client;
  private pollTimer?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private wakeAgain = false;
  private closed = false;

  private constructor(private readonly options: Required<ChangeFeedOptions>) {
    this.repository = new ChangeLogRepository(options.sequelize);
    this.log = options.logger.child({ module: 'change-feed' });
  }

  static async create(options: ChangeFeedOptions): Promise<ChangeFeed> {
    const feed = new ChangeFeed({ pollIntervalMs: 1000, batchSize: 500, ...options });
    await feed.listen();
    feed.pollTimer = setInterval(() => feed.wake(), feed.options.pollIntervalMs);
    feed.pollTimer.unref();
    return feed;
  }

  /** The one consumer of the global order, e.g. the hub emitting to Socket.IO rooms. */
  deliverTo(deliverer: ChangeDeliverer): void {
    this.deliverer = deliverer;
    this.wake();
  }

  /**
   * Also called on every notification and poll, for another consumer of what commits announce on
   * the change-log channel (the cache's invalidations).
   */
  onWake(listener: () => void): void {
    this.wakeListeners.push(listener);
  }

  /** Starts a sequencing (and delivery) round now, or right after the running one. */
  wake(): void {
    if (this.closed) return;
    this.wakeListeners.forEach((listener) => listener());
    if (this.round) {
      this.wakeAgain = true;
      return;
    }
    this.round = this.runRounds().finally(() => (this.round = undefined));
  }

  /** Numbers everything committed so far; a pull calls it so it sees its own writes at once. */
  async sequenceNow(): Promise<void> {
    await this.repository.withSequencerLock(async (transaction) => {
      let numbered: number;
      do {
        numbered = await this.repository.sequencePending(this.options.batchSize, transaction);
      } while (numbered === this.options.batchSize);
    });
  }

  /**
   * The recipient's changes after `afterSeq`, in order; `resync` when part of that history has
   * been pruned and the caller must start over from a full pull.
   */
  async changesSince(
    recipientId: string,
    afterSeq: number,
    limit = 500,
    deliveredThrough?: number,
  ): Promise<{ resync: boolean; changes: SequencedChange[]; lastSeq: number }> {
    const range = await this.repository.recipientRange(recipientId);
    if (afterSeq < range.prunedThrough) return { resync: true, changes: [], lastSeq: range.lastSeq };
    return { resync: false, changes: await this.repository.changesAfter(recipientId, afterSeq, limit, deliveredThrough), lastSeq: range.lastSeq };
  }

  /** The newest seq of each recipient's change log. */
  lastSeqs(recipientIds: string[]): Promise<Map<string, number>> {
    return this.repository.lastSeqs(recipientIds);
  }

  /**
   * Runs `subscribe` (e.g. joining a live room) between two delivery batches and returns the
   * delivery position at that instant: changes up to it were emitted before, later ones will be
   * delivered live, so a replay bounded by it sends nothing twice.
   */
  subscribeLive(subscribe: () => void | Promise<void>): Promise<number> {
    return this.repository.withSequencerLock(async (transaction) => {
      await subscribe();
      return this.repository.cursorPosition(DELIVERY_CURSOR, transaction);
    });
  }

  /** Changes written but not yet handed to the live deliverer. */
  backlog(): Promise<number> {
    return this.repository.backlog(DELIVERY_CURSOR);
  }

  /** Retention: forget changes older than `days`. */
  pruneOlderThan(days: number): Promise<void> {
    return this.repository.pruneBefore(new Date(Date.now() - days * 86_400_000));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.reconnectTimer);
    await this.round;
    await this.listener?.end().catch(() => undefined);
  }

  private async runRounds(): Promise<void> {
    do {
      this.wakeAgain = false;
      try {
        await this.sequenceNow();
        if (this.deliverer) await this.deliverPending(this.deliverer);
      } catch (error) {
        if (this.closed) return;
        this.log.error({ err: error }, 'change feed round failed; the next poll retries');
      }
    } while (this.wakeAgain && !this.closed);
  }

  /** At least once: a crash between delivering and moving the cursor re-delivers; clients drop seqs they have. */
  private async deliverPending(deliverer: ChangeDeliverer): Promise<void> {
    let delivered: number;
    do {
      delivered = await this.repository.withSequencerLock(async (transaction) => {
        const changes = await this.repository.undeliveredChanges(DELIVERY_CURSOR, this.options.batchSize, transaction);
        if (changes.length === 0) return 0;
        changes.sort((a, b) => a.recipientId.localeCompare(b.recipientId) || a.seq - b.seq);
        await deliverer(changes);
        await this.repository.advanceCursor(DELIVERY_CURSOR, Math.max(...changes.map((change) => change.deliveryId)), transaction);
        return changes.length;
      });
    } while (delivered === this.options.batchSize && !this.closed);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    client.on('notification', () => this.wake());
    client.on('error', (error) => this.log.warn({ err: error }, 'change listener connection failed'));
    client.on('end', () => {
      this.log.warn('change listener disconnected; reconnecting');
      this.scheduleReconnect(500);
    });
    await client.connect();
    await client.query(`LISTEN ${LISTEN_CHANNEL}`);
    this.listener = client;
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.listen()
        .then(() => this.wake())
        .catch((error: unknown) => {
          this.log.warn({ err: error }, 'change listener reconnect failed; retrying');
          this.scheduleReconnect(1000);
        });
    }, delayMs);
  }
}
