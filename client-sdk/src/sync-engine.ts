import { BehaviorSubject, merge, Subject, type Observable, type Subscription } from 'rxjs';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type { RxReplicationPullStreamItem } from 'rxdb';
import { AppError, syncCollections, type CollectionName, type PullResponse, type PushResponse, type RejectedRow, type SyncCheckpoint } from '@therapy-field/sync';
import type { TherapyFieldDatabase } from './database.js';
import type { HttpClient } from './http.js';
import type { LiveConnection } from './live.js';
import { pendingPushIds } from './pending-pushes.js';

/** What the app shows about sync. */
export interface SyncState {
  /** The last request reached the server. */
  online: boolean;
  running: boolean;
  /**
   * Local changes not yet accepted by the server, counted from the local database (so it is
   * right after an app restart too); null until the first count after the first `start()`.
   */
  pendingPushes: number | null;
  /** Which local documents those are, per writable collection (an app marks each entry pending or synced). */
  pendingIds: Partial<Record<CollectionName, readonly string[]>>;
  lastSyncedAt: Date | null;
  /** Recent failures (each is retried); the newest last, at most 20. */
  errors: Array<{ collection: CollectionName; message: string; at: Date }>;
  /** Conflicts resolved by the collection's policy (see sync/README.md). */
  conflicts: Array<{ collection: CollectionName; id: string; at: Date }>;
  /** Rows the server refused, with reasons; they are not retried. */
  rejected: Array<RejectedRow & { collection: CollectionName }>;
}

export interface SyncOptions {
  /** @default 5000 */
  retryTimeMs: number;
  /** @default 100 */
  pushBatchSize: number;
  /** @default 200 */
  pullBatchSize: number;
}

const MAX_ERRORS = 20;

/**
 * One RxDB replication per collection over the socket (HTTP when the socket is down), with a
 * `pull.stream$` that the hub's `change`/`resync` events and every reconnect turn into `RESYNC`.
 * `stop()` pauses the replications rather than cancelling them, so that their bookkeeping stays
 * open and `pendingPushes` keeps counting what is written meanwhile; `close()` cancels them.
 */
export class SyncEngine {
  readonly state$: BehaviorSubject<SyncState>;
  private readonly replications = new Map<CollectionName, RxReplicationState<any, SyncCheckpoint>>();
  private readonly streams = new Map<CollectionName, Subject<RxReplicationPullStreamItem<any, SyncCheckpoint>>>();
  private readonly pendingByCollection = new Map<CollectionName, readonly string[]>();
  private pendingWatches: Subscription[] = [];
  /** Whose replications are open: they are named after the user, so another login opens new ones. */
  private replicatedUserId: string | undefined;

  constructor(
    private readonly db: TherapyFieldDatabase<any>,
    private readonly collections: readonly CollectionName[],
    private readonly http: HttpClient,
    private readonly live: LiveConnection | undefined,
    private readonly baseUrl: string,
    private readonly options: SyncOptions,
  ) {
    this.state$ = new BehaviorSubject<SyncState>({ online: false, running: false, pendingPushes: null, pendingIds: {}, lastSyncedAt: null, errors: [], conflicts: [], rejected: [] });
    live?.on('change', (event) => {
      if (this.state$.value.running) this.streams.get(event.collection as CollectionName)?.next('RESYNC');
    });
    live?.on('resync', () => this.resync());
    live?.on('connected', () => this.resync());
  }

  get state(): Observable<SyncState> {
    return this.state$.asObservable();
  }

  start(): void {
    if (this.state$.value.running) return;
    if (!this.http.session) throw new Error('log in before starting sync');
    const userId = this.http.session.userId;
    if (this.replicatedUserId === userId) {
      // A failed start is reported on error$ like any other replication failure.
      for (const replication of this.replications.values()) replication.start().catch(() => undefined);
    } else {
      // Another user's replications: nothing of theirs is left to wait for.
      this.cancelReplications().catch(() => undefined);
      this.replicatedUserId = userId;
      for (const name of this.collections) this.replicate(name, userId);
      this.patch({ pendingPushes: this.pendingTotal(), pendingIds: Object.fromEntries(this.pendingByCollection) });
    }
    this.live?.connect();
    this.patch({ running: true });
  }

  /** Pauses replicating and disconnects the socket; local data stays. */
  async stop(): Promise<void> {
    this.live?.disconnect();
    await Promise.all([...this.replications.values()].map((replication) => replication.pause()));
    this.patch({ running: false });
  }

  /** Stops for good: cancels the replications (before the database closes). */
  async close(): Promise<void> {
    await this.stop();
    await this.cancelReplications();
  }

  /** Pulls every collection again from its checkpoint (after a gap or a reconnect). */
  resync(): void {
    if (!this.state$.value.running) return;
    for (const stream of this.streams.values()) stream.next('RESYNC');
  }

  /** Resolves when every collection has pushed and pulled what there is (at once when stopped). */
  async awaitInSync(): Promise<void> {
    if (!this.state$.value.running) return;
    await Promise.all([...this.replications.values()].map((replication) => replication.awaitInSync()));
  }

  noteConflict(collection: CollectionName, id: string): void {
    this.patch({ conflicts: [...this.state$.value.conflicts, { collection, id, at: new Date() }] });
  }

  private replicate(name: CollectionName, userId: string): void {
    const stream = new Subject<RxReplicationPullStreamItem<any, SyncCheckpoint>>();
    this.streams.set(name, stream);
    const writable = isWritable(name);
    const replication = replicateRxCollection<any, SyncCheckpoint>({
      collection: this.db.collections[name]!,
      replicationIdentifier: `therapy-field|${this.baseUrl}|${userId}|${name}`,
      live: true,
      retryTime: this.options.retryTimeMs,
      waitForLeadership: false,
      autoStart: true,
      pull: {
        batchSize: this.options.pullBatchSize,
        stream$: stream.asObservable(),
        handler: async (checkpoint, batchSize) => {
          const page = await this.call<PullResponse>('pull', { collection: name, checkpoint: checkpoint ?? null, limit: batchSize });
          if (page.documents.length === 0) this.patch({ lastSyncedAt: new Date() });
          return page;
        },
      },
      ...(writable
        ? {
            push: {
              batchSize: this.options.pushBatchSize,
              handler: async (rows) => {
                const result = await this.push(name, rows.map(stripMeta));
                const rejected = result.rejected.map((row) => ({ ...row, collection: name }));
                this.patch({ lastSyncedAt: new Date(), rejected: [...this.state$.value.rejected, ...rejected] });
                return result.conflicts;
              },
            },
          }
        : {}),
    });
    replication.error$.subscribe((error) => {
      this.patch({ online: false });
      this.noteError(name, (error.parameters?.errors?.[0] as Error | undefined)?.message ?? error.message);
    });
    if (writable) this.watchPendingPushes(name, replication);
    this.replications.set(name, replication);
  }

  private async cancelReplications(): Promise<void> {
    for (const watch of this.pendingWatches.splice(0)) watch.unsubscribe();
    const replications = [...this.replications.values()];
    this.replications.clear();
    this.streams.clear();
    this.pendingByCollection.clear();
    this.replicatedUserId = undefined;
    this.patch({ pendingPushes: null, pendingIds: {} });
    await Promise.all(replications.map((replication) => replication.cancel()));
  }

  private async call<T>(kind: 'pull' | 'push', request: object): Promise<T> {
    const result = this.live?.connected
      ? await this.live.request(kind === 'pull' ? 'sync.pull' : 'sync.push', request as never)
      : await this.http.request<T>('POST', `/sync/${kind}`, request);
    if (!this.state$.value.online) this.patch({ online: true });
    return result as T;
  }

  /**
   * Pushes rows in one request, or in halves while the server finds the request too large (a
   * retry of the same batch would fail the same way for ever).
   */
  private async push(collection: CollectionName, rows: object[]): Promise<PushResponse> {
    try {
      return await this.call<PushResponse>('push', { collection, rows });
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'PAYLOAD_TOO_LARGE') || rows.length < 2) throw error;
      const middle = Math.ceil(rows.length / 2);
      const first = await this.push(collection, rows.slice(0, middle));
      const second = await this.push(collection, rows.slice(middle));
      return { conflicts: [...first.conflicts, ...second.conflicts], rejected: [...first.rejected, ...second.rejected] };
    }
  }

  /**
   * Keeps `pendingPushes` in step with storage: recounted on every local write and every
   * replication bookkeeping write, one count at a time, once more if anything changed meanwhile.
   */
  private watchPendingPushes(name: CollectionName, replication: RxReplicationState<any, SyncCheckpoint>): void {
    let counting = false;
    let again = false;
    const recount = async () => {
      if (counting) {
        again = true;
        return;
      }
      counting = true;
      try {
        do {
          again = false;
          this.pendingByCollection.set(name, await pendingPushIds(replication));
          this.patch({ pendingPushes: this.pendingTotal(), pendingIds: Object.fromEntries(this.pendingByCollection) });
        } while (again);
      } catch (error) {
        // Closing the database mid-count is expected; anything else is worth showing.
        if (!replication.isStopped()) this.noteError(name, (error as Error).message);
      } finally {
        counting = false;
      }
    };
    void replication.startPromise.then(() => {
      if (replication.isStopped()) return;
      const { forkInstance, metaInstance } = replication.internalReplicationState!.input;
      this.pendingWatches.push(merge(forkInstance.changeStream(), metaInstance.changeStream()).subscribe(() => void recount()));
      void recount();
    });
  }

  /** The sum over the writable collections, once each has been counted. */
  private pendingTotal(): number | null {
    const writable = this.collections.filter(isWritable);
    if (!writable.every((name) => this.pendingByCollection.has(name))) return null;
    return writable.reduce((sum, name) => sum + this.pendingByCollection.get(name)!.length, 0);
  }

  private noteError(collection: CollectionName, message: string): void {
    this.patch({ errors: [...this.state$.value.errors, { collection, message, at: new Date() }].slice(-MAX_ERRORS) });
  }

  private patch(changes: Partial<SyncState>): void {
    this.state$.next({ ...this.state$.value, ...changes });
  }
}

const isWritable = (name: CollectionName) => syncCollections[name].access !== 'read-only';

/** RxDB's bookkeeping (`_meta`, `_rev`, `_attachments`) stays on the device. */
function stripMeta(row: { newDocumentState: any; assumedMasterState?: any }) {
  const clean = (doc: any) => {
    if (!doc) return doc;
    const { _meta, _rev, _attachments, ...rest } = doc;
    return rest;
  };
  return { newDocumentState: clean(row.newDocumentState), assumedMasterState: clean(row.assumedMasterState) ?? null };
}
