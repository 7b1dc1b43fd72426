import { BehaviorSubject, Subject, distinctUntilChanged, filter, type Observable } from 'rxjs';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type { RxReplicationPullStreamItem, RxReplicationWriteToMasterRow } from 'rxdb';
import { AppError, syncCollections, type CollectionName, type PullResponse, type PushResponse, type PushRow, type PushWrite, type RejectedRow, type SyncCheckpoint } from '@therapy-field/sync';
import type { TherapyFieldDatabase } from './database.js';
import type { HttpClient } from './http.js';
import type { LiveConnection } from './live.js';
import { PendingPushes } from './pending-pushes.js';

/** What the app shows about sync. */
export interface SyncState {
  /** The last request reached the server. */
  online: boolean;
  running: boolean;
  /**
   * Local changes not yet accepted by the server: documents whose state differs from the one
   * the server acknowledged, checked for every document (so a change is never hidden behind a
   * checkpoint) and right after an app restart too; null until the first count after the first
   * `start()`.
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
 * `stop()` cancels the replications and `start()` opens new ones, which carry on from the
 * checkpoints RxDB stored: a paused RxDB replication can drop writes made meanwhile (rxdb 17.6
 * upstream), a cancelled one stores nothing more. `PendingPushes` proves, per collection, that
 * every local write reached the server, and hands back to the replication any that did not.
 */
export class SyncEngine {
  readonly state$: BehaviorSubject<SyncState>;
  private readonly replications = new Map<CollectionName, RxReplicationState<any, SyncCheckpoint>>();
  private readonly streams = new Map<CollectionName, Subject<RxReplicationPullStreamItem<any, SyncCheckpoint>>>();
  private readonly pending = new Map<CollectionName, PendingPushes>();
  /** Opening and cancelling replications, one after the other. */
  private lifecycle: Promise<void> = Promise.resolve();
  /** The last `write.at` sent: later pushes of this device carry larger values. */
  private lastWriteAt = 0;

  constructor(
    private readonly db: TherapyFieldDatabase<any>,
    private readonly collections: readonly CollectionName[],
    private readonly http: HttpClient,
    private readonly live: LiveConnection | undefined,
    private readonly baseUrl: string,
    private readonly options: SyncOptions,
  ) {
    this.state$ = new BehaviorSubject<SyncState>({ online: false, running: false, pendingPushes: null, pendingIds: {}, lastSyncedAt: null, errors: [], conflicts: [], rejected: [] });
    for (const name of collections.filter(isWritable)) {
      const pending = new PendingPushes(db.collections[name]!, () => this.patch(this.pendingState()), (error) => this.noteError(name, error.message));
      this.pending.set(name, pending);
    }
    live?.on('change', (event) => {
      if (this.state$.value.running) this.streams.get(event.collection as CollectionName)?.next('RESYNC');
    });
    live?.on('resync', () => this.resync());
    live?.on('connected', () => this.resync());
  }

  /** The state each time it changes in something an app shows. */
  get changes$(): Observable<SyncState> {
    return this.state$.pipe(distinctUntilChanged(sameSyncState));
  }

  start(): void {
    if (this.state$.value.running) return;
    if (!this.http.session) throw new Error('log in before starting sync');
    // Named after the user, so another login replicates under its own checkpoints.
    const userId = this.http.session.userId;
    this.patch({ running: true });
    this.lifecycle = this.lifecycle.then(() => {
      if (this.state$.value.running && this.replications.size === 0) for (const name of this.collections) this.replicate(name, userId);
    }).catch(ignoreLifecycleError);
    this.live?.connect();
  }

  /** Stops replicating (cancels, see the class) and disconnects the socket; local data stays. */
  async stop(): Promise<void> {
    this.live?.disconnect();
    if (this.state$.value.running) {
      // Not replicating is not online, whatever the last request answered (an app stops on the browser's `offline`).
      this.patch({ running: false, online: false });
      this.lifecycle = this.lifecycle.then(() => this.cancelReplications()).catch(ignoreLifecycleError);
    }
    await this.lifecycle;
  }

  /** Stops for good (before the database closes). */
  async close(): Promise<void> {
    await this.stop();
    for (const pending of this.pending.values()) pending.close();
  }

  /** Pulls every collection again from its checkpoint (after a gap or a reconnect). */
  resync(): void {
    if (!this.state$.value.running) return;
    for (const stream of this.streams.values()) stream.next('RESYNC');
  }

  /** Resolves when every collection has pushed and pulled what there is (at once when stopped). */
  async awaitInSync(): Promise<void> {
    if (!this.state$.value.running) return;
    await this.lifecycle;
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
                const result = await this.push(name, await this.pushRows(rows));
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
    const pending = this.pending.get(name);
    if (pending) {
      pending.attach(replication);
      // Whenever the replication goes idle, anything still pending was dropped by it: hand it back.
      replication.active$.pipe(filter((active) => !active)).subscribe(() => void this.repushStuck(name, replication, pending));
    }
    this.replications.set(name, replication);
  }

  private async repushStuck(name: CollectionName, replication: RxReplicationState<any, SyncCheckpoint>, pending: PendingPushes): Promise<void> {
    try {
      await replication.awaitInSync();
      if (replication.isStopped()) return;
      const refused = await pending.repushStuck();
      if (refused.length > 0) this.noteError(name, `${refused.length} local change(s) not taken up by the replication: ${refused.slice(0, 5).join(', ')}`);
    } catch (error) {
      if (!replication.isStopped()) this.noteError(name, (error as Error).message);
    }
  }

  private async cancelReplications(): Promise<void> {
    for (const pending of this.pending.values()) pending.detach();
    const replications = [...this.replications.values()];
    this.replications.clear();
    this.streams.clear();
    await Promise.all(replications.map((replication) => replication.cancel()));
  }

  /**
   * The rows as the server takes them: RxDB's bookkeeping stays on the device, and each row says
   * which write it is (`PushWrite`): the same id for every retry of one state, this device, the
   * state it was based on and a clock that only grows.
   */
  private async pushRows(rows: RxReplicationWriteToMasterRow<any>[]): Promise<PushRow[]> {
    const device = await this.db.storageToken;
    return Promise.all(
      rows.map(async (row) => {
        const newDocumentState = withoutMeta(row.newDocumentState);
        const assumedMasterState = row.assumedMasterState ? withoutMeta(row.assumedMasterState) : null;
        this.lastWriteAt = Math.max(Date.now(), this.lastWriteAt + 1);
        const write: PushWrite = {
          id: await this.stateId(newDocumentState),
          device,
          base: assumedMasterState ? await this.stateId(assumedMasterState) : '',
          at: this.lastWriteAt,
        };
        return { newDocumentState, assumedMasterState, write };
      }),
    );
  }

  private stateId(doc: Record<string, unknown>): Promise<string> {
    return this.db.hashFunction(stableJson(doc));
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

  /** The sum over the writable collections, once each has been counted. */
  private pendingState(): Pick<SyncState, 'pendingPushes' | 'pendingIds'> {
    const pendingIds = Object.fromEntries([...this.pending].map(([name, pending]) => [name, pending.pendingIds]));
    return { pendingPushes: this.pendingTotal(), pendingIds };
  }

  private pendingTotal(): number | null {
    const counts = [...this.pending.values()].map((pending) => pending.count);
    if (counts.some((count) => count === null)) return null;
    return counts.reduce<number>((sum, count) => sum + count!, 0);
  }

  private noteError(collection: CollectionName, message: string): void {
    this.patch({ errors: [...this.state$.value.errors, { collection, message, at: new Date() }].slice(-MAX_ERRORS) });
  }

  private patch(changes: Partial<SyncState>): void {
    this.state$.next({ ...this.state$.value, ...changes });
  }
}

/** A replication that fails to start reports on its error$; one that fails to cancel is gone anyway. */
const ignoreLifecycleError = () => undefined;

const isWritable = (name: CollectionName) => syncCollections[name].access !== 'read-only';

/** RxDB's bookkeeping (`_meta`, `_rev`, `_attachments`) stays on the device. */
function withoutMeta(doc: any): any {
  const { _meta, _rev, _attachments, ...rest } = doc;
  return rest;
}

/** JSON with object keys sorted, so one state always gives one id. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().filter((key) => (value as Record<string, unknown>)[key] !== undefined);
    return `{${entries.map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** A state worth telling the app about differs in something it shows. */
function sameSyncState(a: SyncState, b: SyncState): boolean {
  return (
    a.online === b.online &&
    a.running === b.running &&
    a.pendingPushes === b.pendingPushes &&
    a.lastSyncedAt?.getTime() === b.lastSyncedAt?.getTime() &&
    a.errors.length === b.errors.length &&
    a.errors.at(-1) === b.errors.at(-1) &&
    a.conflicts.length === b.conflicts.length &&
    a.rejected.length === b.rejected.length &&
    samePendingIds(a.pendingIds, b.pendingIds)
  );
}

function samePendingIds(a: SyncState['pendingIds'], b: SyncState['pendingIds']): boolean {
  const names = new Set([...Object.keys(a), ...Object.keys(b)] as CollectionName[]);
  return [...names].every((name) => {
    const left = a[name] ?? [];
    const right = b[name] ?? [];
    return left.length === right.length && left.every((id, index) => id === right[index]);
  });
}
