import { EventEmitter } from 'node:events';
import type { MediaLogger, WebRtcListenOptions, WorkerPoolOptions } from './MediaTypes.js';
import { Session } from './Session.js';
import type { Session as SessionContract } from './SessionTypes.js';
import type { Sfu as SfuContract, SfuEvents } from './SfuTypes.js';
import { WorkerPool } from './WorkerPool.js';

export interface SfuOptions extends WorkerPoolOptions, WebRtcListenOptions {
  workerBin: string;
}

export class Sfu implements SfuContract {
  private readonly sessions = new Map<string, Session>();
  /** Sessions being created, so two joins at once share one router. */
  private readonly creating = new Map<string, Promise<Session>>();
  private readonly emitter = new EventEmitter();
  private closing?: Promise<void>;

  private constructor(
    private readonly pool: WorkerPool,
    private readonly listen: WebRtcListenOptions,
    private readonly log: MediaLogger,
  ) {}

  static async create(options: SfuOptions, logger: MediaLogger): Promise<Sfu> {
    const pool = await WorkerPool.create(options, logger);
    return new Sfu(pool, { listenIp: options.listenIp, announcedAddress: options.announcedAddress }, logger);
  }

  get workerPids(): readonly number[] {
    return this.pool.workers.map((worker) => worker.pid);
  }

  findSession(id: string): SessionContract | undefined {
    return this.sessions.get(id);
  }

  session(id: string): Promise<SessionContract> {
    if (this.closing) return Promise.reject(new Error('SFU closed'));
    const open = this.sessions.get(id);
    if (open) return Promise.resolve(open);
    let pending = this.creating.get(id);
    if (!pending) {
      pending = this.createSession(id).finally(() => this.creating.delete(id));
      this.creating.set(id, pending);
    }
    return pending;
  }

  on<Name extends keyof SfuEvents>(name: Name, listener: (event: SfuEvents[Name]) => void): void {
    this.emitter.on(name, listener);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const session of this.sessions.values()) session.close();
      this.sessions.clear();
      this.emitter.removeAllListeners();
      await this.pool.close();
    })();
    return this.closing;
  }

  private async createSession(id: string): Promise<Session> {
    const session = await Session.create({ id, pool: this.pool, listen: this.listen, logger: this.log });
    this.sessions.set(id, session);
    session.on('close', (reason) => {
      if (this.sessions.get(id) === session) this.sessions.delete(id);
      if (reason === 'worker-died') this.emitter.emit('sessionlost', { sessionId: id, workerPid: session.workerPid } satisfies SfuEvents['sessionlost']);
    });
    return session;
  }
}
