import type { PresenceState } from '@therapy-field/client-sdk';
import { useEffect, useState } from 'react';
import { useSignedIn } from '../../lib/platform';

/** The live presence of the given clients (empty while offline). */
export function usePresence(userIds: string[]): ReadonlyMap<string, PresenceState> {
  const { client } = useSignedIn();
  const [states, setStates] = useState<ReadonlyMap<string, PresenceState>>(new Map());
  const key = [...userIds].sort().join(',');
  useEffect(() => {
    if (!key) return;
    return client.presence.watch(key.split(','), setStates);
  }, [client, key]);
  return states;
}
