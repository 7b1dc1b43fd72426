import type { types } from 'mediasoup';

export interface WorkerPoolEvents {
  /** A worker died; `replacement` is the worker that took its place (absent if it could not start). */
  workerdied: { pid: number; error: Error; replacement?: types.Worker };
}

/** mediasoup workers, one process each, replaced when one dies. */
export interface WorkerPool {
  readonly workers: readonly types.Worker[];
  /**
   * A router on the live worker with the fewest routers (open or being created), so sessions
   * spread by load. Waits (up to 10 s) for a replacement when no worker is alive.
   */
  createRouter(options: types.RouterOptions): Promise<{ router: types.Router; worker: types.Worker }>;
  on<Name extends keyof WorkerPoolEvents>(name: Name, listener: (event: WorkerPoolEvents[Name]) => void): void;
  close(): Promise<void>;
}
