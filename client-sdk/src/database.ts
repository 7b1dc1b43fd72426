import { createRxDatabase, type RxCollection, type RxDatabase, type RxJsonSchema, type RxStorage } from 'rxdb';
import { collectionNames, conflictPolicies, syncCollections, type CollectionName, type ConflictHandler, type SyncDocuments } from '@therapy-field/sync';

export type SyncedCollections<Names extends CollectionName = CollectionName> = { [N in Names]: RxCollection<SyncDocuments[N]> };
export type TherapyFieldDatabase<Names extends CollectionName = CollectionName> = RxDatabase<SyncedCollections<Names>>;

/** Every conflict the SDK resolved, for the sync state. */
export type ConflictListener = (collection: CollectionName, id: string) => void;

/**
 * The local RxDB database with the chosen collections, each with its schema and conflict policy
 * from @therapy-field/sync. RxDB's free tier allows about 13 open collections per process: two
 * full databases at once do not fit, so pick a subset where that matters.
 */
export async function createLocalDatabase<Names extends CollectionName>(options: {
  name: string;
  storage: RxStorage<any, any>;
  collections: readonly Names[];
  onConflict: ConflictListener;
}): Promise<TherapyFieldDatabase<Names>> {
  const db = await createRxDatabase<SyncedCollections<Names>>({ name: options.name, storage: options.storage, multiInstance: false, closeDuplicates: true });
  const definitions = Object.fromEntries(
    options.collections.map((name) => [
      name,
      { schema: syncCollections[name].rxSchema as unknown as RxJsonSchema<any>, conflictHandler: reportingHandler(name, conflictPolicies[name].handler, options.onConflict) },
    ]),
  );
  await db.addCollections(definitions as never);
  return db;
}

function reportingHandler(name: CollectionName, handler: ConflictHandler, onConflict: ConflictListener): ConflictHandler {
  return {
    isEqual: handler.isEqual,
    resolve: async (input, context) => {
      onConflict(name, String(input.realMasterState.id));
      return handler.resolve(input, context);
    },
  };
}

export const allCollections: readonly CollectionName[] = collectionNames;
