/**
 * Loads the records of one collection as `recipientId` may see them. A record the recipient may
 * not (or no longer) see is simply left out of the map; its change is sent with `data: null`.
 */
export type CollectionLoader = (recipientId: string, recordIds: string[]) => Promise<Map<string, unknown>>;

/** Which loader turns a change-log entry of each collection into the record sent to the client. */
export class CollectionRegistry {
  private readonly loaders = new Map<string, CollectionLoader>();

  /**
   * @example
   * hub.collections.registerCollection('mood_entries', (recipientId, ids) => moodRepository.visibleTo(recipientId, ids));
   */
  registerCollection(name: string, loader: CollectionLoader): void {
    if (this.loaders.has(name)) throw new Error(`collection ${name} already has a loader`);
    this.loaders.set(name, loader);
  }

  /** Records by id; an unknown collection loads nothing, so its changes carry `data: null`. */
  async load(collection: string, recipientId: string, recordIds: string[]): Promise<Map<string, unknown>> {
    const loader = this.loaders.get(collection);
    return loader ? loader(recipientId, [...new Set(recordIds)]) : new Map();
  }
}
