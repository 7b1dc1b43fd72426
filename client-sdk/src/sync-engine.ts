import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type { RxReplicationPullStreamItem } from 'rxdb';
import { syncCollections, type CollectionName, type PullResponse, type PushResponse, type RejectedRow, type SyncCheckpoint } from '@therapy-field/sync';
import type { TherapyFieldDatabase } from './database.js';
import type { HttpClient } from './http.js';
import type { LiveConnection } from './live.js';

/** What the app shows about sync. */
export interface SyncState {
  /** The last request reached the server. */
  online: boolean;
  running: boolean;
  /** Local changes not yet accepted by the server. */
  pendingPushes: number;
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
 */
export class SyncEngine {
  readonly state$: BehaviorSubject<SyncState>;
  private readonly replications = new Map<CollectionName, RxReplicationState<any, SyncCheckpoint>>();
  private readonly streams = new Map<CollectionName, Subject<RxReplicationPullStreamItem<any, SyncCheckpoint>>>();
  private readonly pending = new Map<CollectionName, Set<string>>();

  constructor(
    private readonly db: TherapyFieldDatabase<any>,
    private readonly collections: readonly CollectionName[],
    private readonly http: HttpClient,
    private readonly live: LiveConnection | undefined,
    private readonly baseUrl: string,
    private readonly options: SyncOptions,
  ) {
    this.state$ = new BehaviorSubject<SyncState>({ online: false, running: false, pendingPushes: 0, lastSyncedAt: null, errors: [], conflicts: [], rejected: [] });
    for (const name of collections) {
      const ids = new Set<string>();
      this.pending.set(name, ids);
      const track = (doc: { id: string }) => {
        ids.add(doc.id);
        this.patch({ pendingPushes: this.pendingCount() });
      };
      const collection = db.collections[name]!;
      collection.postInsert(track, false);
      collection.postSave(track, false);
      collection.postRemove(track, false);
    }
    live?.on('change', (event) => this.streams.get(event.collection as CollectionName)?.next('RESYNC'));
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
    for (const name of this.collections) {
      const stream = new Subject<RxReplicationPullStreamItem<any, SyncCheckpoint>>();
      this.streams.set(name, stream);
      const writable = syncCollections[name].access !== 'read-only';
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
                  const result = await this.call<PushResponse>('push', { collection: name, rows: rows.map(stripMeta) });
                  const ids = this.pending.get(name)!;
                  for (const row of rows) ids.delete(String(row.newDocumentState.id));
                  const rejected = result.rejected.map((row) => ({ ...row, collection: name }));
                  this.patch({ pendingPushes: this.pendingCount(), lastSyncedAt: new Date(), rejected: [...this.state$.value.rejected, ...rejected] });
                  return result.conflicts;
                },
              },
            }
          : {}),
      });
      replication.error$.subscribe((error) => {
        const message = (error.parameters?.errors?.[0] as Error | undefined)?.message ?? error.message;
        this.patch({ online: false, errors: [...this.state$.value.errors, { collection: name, message, at: new Date() }].slice(-MAX_ERRORS) });
      });
      this.replications.set(name, replication);
    }
    this.live?.connect();
    this.patch({ running: true });
  }

  async stop(): Promise<void> {
    this.live?.disconnect();
    const replications = [...this.replications.values()];
    this.replications.clear();
    this.streams.clear();
    await Promise.all(replications.map((replication) => replication.cancel()));
    this.patch({ running: false });
  }

  /** Pulls every collection again from its checkpoint (after a gap or a reconnect). */
  resync(): void {
    for (const stream of this.streams.values()) stream.next('RESYNC');
  }

  /** Resolves when every collection has pushed and pulled what there is. */
  async awaitInSync(): Promise<void> {
    await Promise.all([...this.replications.values()].map((replication) => replication.awaitInSync()));
  }

  noteConflict(collection: CollectionName, id: string): void {
    this.patch({ conflicts: [...this.state$.value.conflicts, { collection, id, at: new Date() }] });
  }

  private async call<T>(kind: 'pull' | 'push', request: object): Promise<T> {
    const result = this.live?.connected
      ? await this.live.request(kind === 'pull' ? 'sync.pull' : 'sync.push', request as never)
      : await this.http.request<T>('POST', `/sync/${kind}`, request);
    if (!this.state$.value.online) this.patch({ online: true });
    return result as T;
  }

  private pendingCount(): number {
    let count = 0;
    for (const ids of this.pending.values()) count += ids.size;
    return count;
  }

  private patch(changes: Partial<SyncState>): void {
    this.state$.next({ ...this.state$.value, ...changes });
  }
}

/** RxDB's bookkeeping (`_meta`, `_rev`, `_attachments`) stays on the device. */
function stripMeta(row: { newDocumentState: any; assumedMasterState?: any }) {
  const clean = (doc: any) => {
    if (!doc) return doc;
    const { _meta, _rev, _attachments, ...rest } = doc;
    return rest;
  };
  return { newDocumentState: clean(row.newDocumentState), assumedMasterState: clean(row.assumedMasterState) ?? null };
}
