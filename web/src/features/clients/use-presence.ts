import type { PresenceState, PresenceWatch } from '@therapy-field/client-sdk';
import { useEffect, useState } from 'react';
import { useSignedIn } from '../../lib/platform';

/** The live presence of the given clients (empty while offline); the SDK renews the watch on every reconnect. */
export function usePresence(userIds: string[]): ReadonlyMap<string, PresenceState> {
  const { client } = useSignedIn();
  const [states, setStates] = useState<ReadonlyMap<string, PresenceState>>(new Map());
  const key = [...userIds].sort().join(',');
  useEffect(() => {
    if (!key) return;
    let watch: PresenceWatch | undefined;
    let stopped = false;
    const show = () => watch && setStates(new Map(watch.states));
    client.live.presence.watch(key.split(','), show).then(
      (started) => {
        watch = started;
        if (stopped) started.stop();
        else show();
      },
      () => setStates(new Map()),
    );
    return () => {
      stopped = true;
      watch?.stop();
    };
  }, [client, key]);
  return states;
}
