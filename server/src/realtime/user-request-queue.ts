import { AppError } from '@therapy-field/sync';

interface UserLine {
  running: number;
  waiting: Array<() => void>;
}

/**
 * Lets a few expensive requests of one user run at once on this node; the next ones wait in line
 * and, beyond `maxWaiting`, are refused. One account's devices (or a script with many sockets)
 * cannot take the database pool from everyone else.
 */
export class UserRequestQueue {
  private readonly users = new Map<string, UserLine>();

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting: number,
  ) {}

  /** Resolves with `release` once the request may run; undefined when the user's line is full. */
  enter(userId: string): Promise<() => void> | undefined {
    return this.join(userId, true);
  }

  /** Runs `work` in the user's line (an HTTP request's turn); refuses with RATE_LIMITED when the line is full. */
  async run<T>(userId: string, what: string, work: () => Promise<T>): Promise<T> {
    const entered = this.enter(userId);
    if (!entered) throw new AppError('RATE_LIMITED', `Too many ${what} requests of this account at once`);
    const release = await entered;
    try {
      return await work();
    } finally {
      release();
    }
  }

  /**
   * The same for work the server starts itself (a replay on connect), which waits however long
   * the line is: there is one per socket, and an account's sockets are capped.
   */
  turn(userId: string): Promise<() => void> {
    return this.join(userId, false)!;
  }

  private join(userId: string, refuseWhenFull: boolean): Promise<() => void> | undefined {
    const line = this.users.get(userId) ?? { running: 0, waiting: [] };
    this.users.set(userId, line);
    if (line.running < this.concurrency) {
      line.running += 1;
      return Promise.resolve(this.releaser(userId, line));
    }
    if (refuseWhenFull && line.waiting.length >= this.maxWaiting) return undefined;
    return new Promise((resolve) => line.waiting.push(() => resolve(this.releaser(userId, line))));
  }

  private releaser(userId: string, line: UserLine): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = line.waiting.shift();
      if (next) return next();
      line.running -= 1;
      if (line.running === 0) this.users.delete(userId);
    };
  }
}
