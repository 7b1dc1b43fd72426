import type { CollectionName, SyncDocuments } from '@therapy-field/client-sdk';
import type { RxCollection } from 'rxdb';
import { map } from 'rxjs';
import { useObservable } from './observable';
import { usePendingIds } from './pending';
import { useSignedIn } from './platform';

/**
 * The device's copy of one collection, live (a write here, or one that sync brings in, shows at
 * once), sorted by one field, with the ids the server has not accepted yet (null before the SDK
 * has counted them). What the offline pages (mood, journal, habits, goals) list.
 * @example
 * const { entries, pending } = useLocalList('mood_entries', 'recordedAt', 'desc');
 */
export function useLocalList<N extends CollectionName>(
  collection: N,
  sortBy: keyof SyncDocuments[N] & string,
  order: 'asc' | 'desc',
): { entries: SyncDocuments[N][]; pending: ReadonlySet<string> | null } {
  const { client } = useSignedIn();
  // One collection of the union at a time: RxDB's per-collection types do not unify over N.
  const documents = client.db[collection] as unknown as RxCollection<SyncDocuments[N]> | undefined;
  const entries = useObservable(
    () =>
      // Absent for a role that does not keep it, closed for a moment while one client replaces
      // another (sign-in, sign-out): nothing to list then.
      documents && !documents.closed
        ? documents
            .find({ sort: [{ [sortBy]: order }] as never })
            .$.pipe(map((docs) => docs.map((doc) => doc.toJSON() as SyncDocuments[N])))
        : undefined,
    [] as SyncDocuments[N][],
    [documents, sortBy, order],
  );
  return { entries, pending: usePendingIds(collection) };
}
