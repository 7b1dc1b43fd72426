import type { Session } from './SessionTypes.js';

export interface SfuEvents {
  /**
   * A session's worker died and the session is gone; its peers must join again (a new session
   * with the same id is created on a live worker at the next `session(id)`).
   */
  sessionlost: { sessionId: string; workerPid: number };
}

/** The selective forwarding unit: a pool of workers and the sessions spread over them. */
export interface Sfu {
  /** The open session with this id, created on the least-loaded worker when there is none. */
  session(id: string): Promise<Session>;
  /** The open session with this id, if any. */
  findSession(id: string): Session | undefined;
  readonly workerPids: readonly number[];
  on<Name extends keyof SfuEvents>(name: Name, listener: (event: SfuEvents[Name]) => void): void;
  close(): Promise<void>;
}
