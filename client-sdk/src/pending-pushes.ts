import { createRevision, getAssumedMasterState, getChangedDocumentsSince, now, writeDocToDocState, type RxCollection, type RxDocumentData, type RxStorageChangeEvent } from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import type { Subscription } from 'rxjs';

const PAGE_SIZE = 500;
/** The context of the writes that hand a stuck document to the replication again. */
const REPUSH_CONTEXT = 'therapy-field-repush';

/**
 * The proof that every local write of one collection reached the server. A document is pending
 * while its state differs from the state the server acknowledged for it: the master state RxDB
 * assumes, which it stores only after the server answered a push of that state or from a pull
 * (a resolved conflict's revision marks a state still to go up). Every document is compared,
 * not only those after RxDB's upload checkpoint, so a write that a replication cycle dropped
 * (rxdb 17.6 does, when paused mid-cycle) stays pending instead of vanishing; such a document is
 * written again unchanged (`repushStuck`) so that the next replication takes it up.
 *
 * Kept as a set of ids: counted once when a replication attaches, then updated from the writes
 * themselves (a pulled write removes its document, a local one is checked, or while stopped
 * simply added), never recounted. Read from storage on attach, it is right after a restart too.
 */
export class PendingPushes {
  private readonly ids = new Set<string>();
  private counted = false;
  /** Counted against the attached replication (before that, ids are only a conservative guess). */
  private ready = false;
  private replication: RxReplicationState<any, any> | undefined;
  private downstreamContext: string | undefined;
  private metaWatch: Subscription | undefined;
  private readonly localWatch: Subscription;
  /** Checks run one at a time, in the order of the writes they follow. */
  private queue: Promise<void> = Promise.resolve();
  /** The revision each stuck document got when it was last handed over again. */
  private readonly repushed = new Map<string, string>();

  constructor(
    private readonly collection: RxCollection<any>,
    private readonly onChange: () => void,
    private readonly onError: (error: Error) => void,
  ) {
    this.localWatch = collection.storageInstance.changeStream().subscribe((bulk) => {
      const ids = bulk.events.map((event: RxStorageChangeEvent<any>) => event.documentId);
      this.enqueue(() => (this.downstreamContext !== undefined && bulk.context === this.downstreamContext ? this.settle(ids) : this.check(ids)));
    });
  }

  /** Pending documents; null until the first count after a replication attached. */
  get count(): number | null {
    return this.counted ? this.ids.size : null;
  }

  /** Which documents are pending (empty until the first count). */
  get pendingIds(): readonly string[] {
    return this.counted ? [...this.ids] : [];
  }

  /** Counts against `replication` (once it has started) and follows its acknowledgements. */
  attach(replication: RxReplicationState<any, any>): void {
    this.replication = replication;
    this.ready = false;
    void replication.startPromise.then(async () => {
      const state = replication.internalReplicationState;
      if (this.replication !== replication || replication.isStopped() || !state) return;
      this.downstreamContext = await state.downstreamBulkWriteFlag;
      // A meta write (an acknowledged push, a resolved conflict) can only clear a pending document.
      this.metaWatch = state.input.metaInstance.changeStream().subscribe((bulk) => {
        const ids = bulk.events.map((event) => String(event.documentData.itemId));
        this.enqueue(async () => {
          const pending = ids.filter((id) => this.ids.has(id));
          if (pending.length > 0) await this.check(pending);
        });
      });
      this.enqueue(() => this.countAll());
    });
  }

  /** The replication was cancelled: local writes are now simply pending until the next attach. */
  detach(): void {
    this.metaWatch?.unsubscribe();
    this.metaWatch = undefined;
    this.replication = undefined;
    this.downstreamContext = undefined;
    this.ready = false;
  }

  /** Resolves once every write seen so far is reflected in `count`. */
  async settled(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.queue;
      await current;
    } while (current !== this.queue);
  }

  /**
   * Hands the documents still pending when the replication says it is in sync back to it, by
   * writing each again unchanged (a new revision after its upload checkpoint). Returns the ids of
   * documents that were already handed over at their current revision and are still not taken.
   */
  async repushStuck(): Promise<string[]> {
    await this.settled();
    const replication = this.replication;
    if (!replication || replication.isStopped() || !this.ready || this.ids.size === 0) return [];
    const docs = await this.collection.storageInstance.findDocumentsById([...this.ids], true);
    const refused = docs.filter((doc) => this.repushed.get(docId(this.collection, doc)) === doc._rev).map((doc) => docId(this.collection, doc));
    const rows = docs
      .filter((doc) => this.repushed.get(docId(this.collection, doc)) !== doc._rev)
      .map((doc) => ({ previous: doc, document: { ...doc, _rev: createRevision(this.collection.database.token, doc), _meta: { ...doc._meta, lwt: now() } } }));
    if (rows.length === 0 || this.replication !== replication) return refused;
    for (const row of rows) this.repushed.set(docId(this.collection, row.document), row.document._rev);
    // A 409 means the document was written meanwhile: that write goes up by itself.
    await this.collection.storageInstance.bulkWrite(rows, REPUSH_CONTEXT);
    return refused;
  }

  close(): void {
    this.detach();
    this.localWatch.unsubscribe();
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: Error) => {
      // Closing the database mid-check is expected; anything else is worth showing.
      if (!this.collection.closed) this.onError(error);
    });
  }

  /** Pulled from the server: what the document now holds is the server's state. */
  private async settle(ids: string[]): Promise<void> {
    for (const id of ids) this.ids.delete(id);
    this.onChange();
  }

  /** Compares these documents with their acknowledged state (or, while stopped, marks them pending). */
  private async check(ids: string[]): Promise<void> {
    const replication = this.replication;
    const state = replication?.internalReplicationState;
    if (!replication || !state || replication.isStopped() || this.downstreamContext === undefined) {
      for (const id of ids) this.ids.add(id);
    } else {
      const docs = await this.collection.storageInstance.findDocumentsById(ids, true);
      const pending = await this.pendingAmong(replication, docs);
      // The replication may have been cancelled while reading: then keep them pending.
      const stillAttached = this.replication === replication && !replication.isStopped();
      for (const id of ids) {
        if (pending.has(id) || !stillAttached) this.ids.add(id);
        else this.ids.delete(id);
      }
    }
    this.onChange();
  }

  private async countAll(): Promise<void> {
    const replication = this.replication;
    if (!replication) return;
    const found = new Set<string>();
    let checkpoint: unknown;
    for (;;) {
      const page = await getChangedDocumentsSince(this.collection.storageInstance, PAGE_SIZE, checkpoint);
      if (page.documents.length === 0) break;
      for (const id of await this.pendingAmong(replication, page.documents)) found.add(id);
      checkpoint = page.checkpoint;
    }
    if (this.replication !== replication) return;
    this.ids.clear();
    for (const id of found) this.ids.add(id);
    this.counted = true;
    this.ready = true;
    this.onChange();
  }

  /** The same test RxDB's upstream uses to decide whether a document still has to go up. */
  private async pendingAmong(replication: RxReplicationState<any, any>, docs: RxDocumentData<any>[]): Promise<Set<string>> {
    const state = replication.internalReplicationState!;
    const { conflictHandler } = state.input;
    const assumed = await getAssumedMasterState(state, docs.map((doc) => docId(this.collection, doc)));
    const pending = new Set<string>();
    for (const doc of docs) {
      const id = docId(this.collection, doc);
      const master = assumed[id];
      const acknowledged =
        master !== undefined &&
        master.metaDocument.isResolvedConflict !== doc._rev &&
        conflictHandler.isEqual(master.docData, writeDocToDocState(doc, state.hasAttachments, false), 'upstream-check-if-equal');
      if (!acknowledged) pending.add(id);
    }
    return pending;
  }
}

const docId = (collection: RxCollection<any>, doc: RxDocumentData<any>) => String(doc[collection.schema.primaryPath]);
