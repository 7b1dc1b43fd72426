import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { createWorker, type types } from 'mediasoup';
import type { MediaLogger, WorkerPoolOptions } from './MediaTypes.js';
import type { WorkerPool as WorkerPoolContract, WorkerPoolEvents } from './WorkerPoolTypes.js';

/** Routers open on the worker plus routers being created on it (so concurrent picks spread). */
type WorkerLoad = { routers: number; pending: number };

export class WorkerPool implements WorkerPoolContract {
  private readonly live: types.Worker<WorkerLoad>[] = [];
  private readonly emitter = new EventEmitter();
  private closed = false;

  private constructor(
    private readonly settings: types.WorkerSettings<WorkerLoad>,
    private readonly log: MediaLogger,
  ) {}

  /** Starts `numWorkers` workers; rejects (closing any that started) if one cannot start. */
  static async create(options: WorkerPoolOptions & { workerBin: string }, logger: MediaLogger): Promise<WorkerPool> {
    const pool = new WorkerPool(
      {
        workerBin: options.workerBin,
        rtcMinPort: options.rtcMinPort ?? 40000,
        rtcMaxPort: options.rtcMaxPort ?? 49999,
        logLevel: options.logLevel ?? 'warn',
        appData: { routers: 0, pending: 0 },
      },
      logger.child({ module: 'media.workers' }),
    );
    try {
      const count = Math.max(1, options.numWorkers ?? availableParallelism());
      for (let index = 0; index < count; index++) pool.live.push(await pool.startWorker());
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  get workers(): readonly types.Worker[] {
    return this.live;
  }

  async createRouter(options: types.RouterOptions): Promise<{ router: types.Router; worker: types.Worker }> {
    // Picked synchronously and marked pending at once, so concurrent calls spread.
    const worker = this.leastLoaded() ?? (await this.replacementWorker());
    worker.appData.pending++;
    try {
      return { router: await worker.createRouter(options), worker };
    } finally {
      worker.appData.pending--;
    }
  }

  private leastLoaded(): types.Worker<WorkerLoad> | undefined {
    const load = (worker: types.Worker<WorkerLoad>) => worker.appData.routers + worker.appData.pending;
    return this.live
      .filter((worker) => !worker.closed)
      .reduce<types.Worker<WorkerLoad> | undefined>((best, candidate) => (!best || load(candidate) < load(best) ? candidate : best), undefined);
  }

  /** Every worker died at once (e.g. a pool of one): wait for a replacement to start. */
  private replacementWorker(timeoutMs = 10_000): Promise<types.Worker<WorkerLoad>> {
    return new Promise((resolve, reject) => {
      const onStarted = () => {
        const worker = this.leastLoaded();
        if (!worker) return;
        clearTimeout(timer);
        this.emitter.off('workerstarted', onStarted);
        resolve(worker);
      };
      const timer = setTimeout(() => {
        this.emitter.off('workerstarted', onStarted);
        reject(new Error(`no live mediasoup worker within ${timeoutMs} ms`));
      }, timeoutMs);
      this.emitter.on('workerstarted', onStarted);
    });
  }

  on<Name extends keyof WorkerPoolEvents>(name: Name, listener: (event: WorkerPoolEvents[Name]) => void): void {
    this.emitter.on(name, listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Worker.close() closes its routers (and their transports) first.
    for (const worker of this.live.splice(0)) worker.close();
    this.emitter.removeAllListeners();
  }

  private async startWorker(): Promise<types.Worker<WorkerLoad>> {
    const worker = await createWorker<WorkerLoad>({ ...this.settings, appData: { routers: 0, pending: 0 } });
    worker.observer.on('newrouter', (router) => {
      worker.appData.routers++;
      router.observer.once('close', () => worker.appData.routers--);
    });
    worker.once('died', (error) => void this.replace(worker, error));
    this.log.info({ pid: worker.pid }, 'mediasoup worker started');
    return worker;
  }

  private async replace(dead: types.Worker<WorkerLoad>, error: Error): Promise<void> {
    const index = this.live.indexOf(dead);
    if (index >= 0) this.live.splice(index, 1);
    if (this.closed) return;
    this.log.error({ pid: dead.pid, err: error }, 'mediasoup worker died; replacing it');
    let replacement: types.Worker<WorkerLoad> | undefined;
    try {
      replacement = await this.startWorker();
      if (this.closed) replacement.close();
      else {
        this.live.push(replacement);
        this.emitter.emit('workerstarted');
      }
    } catch (startError) {
      this.log.error({ err: startError }, 'could not start a replacement mediasoup worker');
    }
    if (!this.closed) this.emitter.emit('workerdied', { pid: dead.pid, error, replacement } satisfies WorkerPoolEvents['workerdied']);
  }
}
