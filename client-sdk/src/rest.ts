import type { Me, PullRequest, PullResponse, PushRequest, PushResponse, UpdateMeRequest } from '@therapy-field/sync';
import type { HttpClient } from './http.js';

/** Typed REST calls; request and response types are the server's own schemas from @therapy-field/sync. */
export function createRestApi(http: HttpClient) {
  return {
    me: {
      /**
       * The signed-in user with their profile.
       * @example
       * const me = await client.api.me.get();
       */
      get: () => http.request<Me>('GET', '/me'),
      /**
       * Changes profile fields.
       * @example
       * await client.api.me.update({ language: 'en' });
       */
      update: (changes: UpdateMeRequest) => http.request<Me>('PATCH', '/me', changes),
    },
    sync: {
      /**
       * One page of a collection after a checkpoint (what `db` replication uses when the socket is down).
       * @example
       * const page = await client.api.sync.pull({ collection: 'mood_entries', checkpoint: null, limit: 100 });
       */
      pull: (request: PullRequest) => http.request<PullResponse>('POST', '/sync/pull', request),
      /**
       * Writes rows with their assumed server state; answers conflicts and rejected rows.
       * @example
       * await client.api.sync.push({ collection: 'mood_entries', rows: [{ newDocumentState: entry }] });
       */
      push: (request: PushRequest) => http.request<PushResponse>('POST', '/sync/push', request),
    },
  };
}

export type RestApi = ReturnType<typeof createRestApi>;
