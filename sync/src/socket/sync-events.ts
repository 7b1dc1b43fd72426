import type { PullRequest, PullResponse, PushRequest, PushResponse } from '../replication/index.js';
import type { Ack } from './ack.js';

/** Replication over the socket: the same messages as `POST /sync/pull` and `POST /sync/push`. */
export interface SyncClientToServerEvents {
  'sync.pull': (request: PullRequest, ack: Ack<PullResponse>) => void;
  'sync.push': (request: PushRequest, ack: Ack<PushResponse>) => void;
}
