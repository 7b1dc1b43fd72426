import type { CollectionName } from '@therapy-field/client-sdk';
import { map } from 'rxjs';
import { useObservable } from './observable';
import { useSignedIn } from './platform';

/**
 * The ids in `collection` that the server has not accepted yet (the SDK reads them from storage),
 * or null before its first count, when nothing is known either way.
 */
export function usePendingIds(collection: CollectionName): ReadonlySet<string> | null {
  const { client } = useSignedIn();
  const ids = useObservable(
    () => client.sync.state$.pipe(map((state) => (state.pendingPushes === null ? null : (state.pendingIds[collection] ?? []).join(',')))),
    null as string | null,
    [client, collection],
  );
  return ids === null ? null : new Set(ids ? ids.split(',') : []);
}
