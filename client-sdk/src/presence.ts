import type { PresenceState } from '@therapy-field/sync';
import type { LiveConnection } from './live.js';

/** Who is online among the people one is in care with, live over the socket. */
export interface PresenceApi {
  /**
   * Watches the presence of `userIds` (people in care with the caller): `onChange` gets every
   * watched user's state now and again after each change. The watch is renewed on every reconnect
   * (the server forgets it with the socket); a refused watch (`NOT_RELATED`) goes to `onError`.
   * Returns a function that stops watching.
   * @example
   * const stop = client.presence.watch(clientIds, (states) => render(states.get(clientId)?.status));
   */
  watch(userIds: string[], onChange: (states: ReadonlyMap<string, PresenceState>) => void, onError?: (error: unknown) => void): () => void;
  /**
   * A therapist's "available now" flag, shown to their clients.
   * @example
   * await client.presence.setAvailableNow(true);
   */
  setAvailableNow(availableNow: boolean): Promise<PresenceState>;
}

export function createPresenceApi(live: LiveConnection): PresenceApi {
  return {
    watch(userIds, onChange, onError = () => undefined) {
      const watched = new Set(userIds);
      const states = new Map<string, PresenceState>();
      let stopped = false;
      const publish = () => onChange(new Map(states));
      const subscribe = () => {
        if (watched.size === 0) return;
        live.request('presence.subscribe', { userIds: [...watched] }).then(
          (current: PresenceState[]) => {
            if (stopped) return;
            for (const state of current) states.set(state.userId, state);
            publish();
          },
          (error: unknown) => !stopped && onError(error),
        );
      };
      const offs = [
        live.on('presence', (state) => {
          if (stopped || !watched.has(state.userId)) return;
          states.set(state.userId, state);
          publish();
        }),
        live.on('connected', subscribe),
        // Offline, nobody's presence is known any more.
        live.on('disconnected', () => {
          if (stopped) return;
          states.clear();
          publish();
        }),
      ];
      if (live.connected) subscribe();
      return () => {
        stopped = true;
        for (const off of offs) off();
      };
    },
    setAvailableNow: (availableNow) => live.request('presence.available', { availableNow }),
  };
}
