import type { Change } from '../changes/index.js';
import type { ErrorBody } from '../errors.js';
import type { Ack } from './ack.js';

/** A change pushed live or replayed: the change-log entry plus the record as the user may see it. */
export interface ChangeEvent extends Change {
  /** The record's current state for this user; null for a delete or a record no longer visible. */
  data: unknown | null;
}

export interface ChangesSinceRequest {
  afterSeq: number;
  limit?: number;
}

export interface ChangesSinceResponse {
  /** True when history after `afterSeq` was pruned: pull everything again. */
  resync: boolean;
  changes: ChangeEvent[];
  lastSeq: number;
}

/** Events of the real-time hub itself (rooms, presence, notifications, the change stream). */
export interface HubClientToServerEvents {
  'changes.since': (request: ChangesSinceRequest, ack: Ack<ChangesSinceResponse>) => void;
}

export interface HubServerToClientEvents {
  change: (event: ChangeEvent) => void;
  /** The client's history is gone: drop local state derived from the stream and pull again. */
  resync: () => void;
  error: (error: ErrorBody['error']) => void;
}
