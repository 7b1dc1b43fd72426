import type { PullRequest, PullResponse, PushRequest, PushResponse } from '../replication/index.js';
import type { Ack } from './ack.js';

/**
 * Events that carry records: the server limits their size like the HTTP body of their twin
 * (`POST /sync/push`), not like an ordinary socket event.
 */
export const recordCarryingEvents = ['sync.push'] as const;

/** Replication over the socket: the same messages as `POST /sync/pull` and `POST /sync/push`. */
export interface SyncClientToServerEvents {
  'sync.pull': (request: PullRequest, ack: Ack<PullResponse>) => void;
  'sync.push': (request: PushRequest, ack: Ack<PushResponse>) => void;
}
