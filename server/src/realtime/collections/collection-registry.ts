/** One recipient's share of a batched load: the records whose changes are addressed to them. */
export interface LoadRequest {
  recipientId: string;
  recordIds: string[];
}

/** Records by recipient, then by record id. */
export type LoadedRecords = Map<string, Map<string, unknown>>;

/**
 * Loads the records of one collection for many recipients at once, each as that recipient may see
 * it. A record a recipient may not (or no longer) see is simply left out of their map, even when
 * another recipient of the same batch may see it; its change is sent with `data: null`.
 */
export type CollectionLoader = (requests: LoadRequest[]) => Promise<LoadedRecords>;

const LOADS_IN_PARALLEL = 8;

/**
 * Adapts a loader that answers one recipient at a time to the batched contract, a few recipients
 * at a time so one big batch does not take every pooled connection.
 *
 * @example
 * hub.collections.registerCollection('mood_entries', loadForEachRecipient((recipientId, ids) => moodRepository.visibleTo(recipientId, ids)));
 */
export function loadForEachRecipient(load: (recipientId: string, recordIds: string[]) => Promise<Map<string, unknown>>): CollectionLoader {
  return async (requests) => {
    const loaded: LoadedRecords = new Map();
    const pending = [...requests];
    await Promise.all(
      Array.from({ length: Math.min(LOADS_IN_PARALLEL, pending.length) }, async () => {
        for (let request = pending.shift(); request; request = pending.shift()) {
          loaded.set(request.recipientId, await load(request.recipientId, request.recordIds));
        }
      }),
    );
    return loaded;
  };
}

/**
 * The requests as two aligned arrays, one (recipient, record) pair per index, for
 * `unnest(ARRAY[:recipientIds]::uuid[], ARRAY[:recordIds]::uuid[])` in a batched query.
 */
export function requestPairs(requests: LoadRequest[]): { recipientIds: string[]; recordIds: string[] } {
  const recipientIds: string[] = [];
  const recordIds: string[] = [];
  for (const { recipientId, recordIds: ids } of requests) {
    for (const id of ids) {
      recipientIds.push(recipientId);
      recordIds.push(id);
    }
  }
  return { recipientIds, recordIds };
}

/** Groups loaded rows by the recipient they were loaded for. */
export function byRecipient<Row extends { recipient_id: string; id: string }>(rows: Row[], toRecord: (row: Row) => unknown): LoadedRecords {
  const loaded: LoadedRecords = new Map();
  for (const row of rows) {
    const records = loaded.get(row.recipient_id) ?? new Map<string, unknown>();
    records.set(row.id, toRecord(row));
    loaded.set(row.recipient_id, records);
  }
  return loaded;
}

/** Which loader turns a change-log entry of each collection into the record sent to the client. */
export class CollectionRegistry {
  private readonly loaders = new Map<string, CollectionLoader>();

  /**
   * @example
   * hub.collections.registerCollection('notifications', (requests) => repository.visibleToEach(requests));
   */
  registerCollection(name: string, loader: CollectionLoader): void {
    if (this.loaders.has(name)) throw new Error(`collection ${name} already has a loader`);
    this.loaders.set(name, loader);
  }

  /**
   * Records by recipient and id, in one loader call per collection; the requests are merged per
   * recipient and their ids made unique first. An unknown collection loads nothing, so its changes
   * carry `data: null`.
   */
  async load(collection: string, requests: LoadRequest[]): Promise<LoadedRecords> {
    const loader = this.loaders.get(collection);
    const merged = new Map<string, Set<string>>();
    for (const { recipientId, recordIds } of requests) {
      const ids = merged.get(recipientId) ?? new Set<string>();
      recordIds.forEach((id) => ids.add(id));
      merged.set(recipientId, ids);
    }
    const unique = [...merged].filter(([, ids]) => ids.size > 0).map(([recipientId, ids]) => ({ recipientId, recordIds: [...ids] }));
    return loader && unique.length > 0 ? loader(unique) : new Map();
  }
}
