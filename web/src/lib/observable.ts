import { useEffect, useState } from 'react';
import type { Observable } from 'rxjs';

/** The latest value of an observable (an RxDB live query, the sync state), re-subscribed when `deps` change. */
export function useObservable<T>(factory: () => Observable<T> | undefined, initial: T, deps: unknown[]): T {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    const subscription = factory()?.subscribe(setValue);
    return () => subscription?.unsubscribe();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return value;
}
