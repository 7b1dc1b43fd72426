import PgBoss from 'pg-boss';
import { AppError } from '@therapy-field/sync';
import type { Logger } from '../logger/index.js';

export interface JobRunnerOptions {
  connectionString: string;
  logger: Logger;
  /** How often each worker asks PostgreSQL for new jobs. */
  pollingIntervalSeconds: number;
  /** Told about every run this node makes (for /metrics). */
  observer?: JobObserver;
}

export type JobObserver = (run: { job: string; finishedAt: Date; durationSeconds: number; failed: boolean }) => void;

export interface JobDefinition {
  /** Letters, digits, `-` and `_` (pg-boss queue names). */
  name: string;
  run: () => Promise<unknown>;
  /** Cron expression (UTC); with several nodes, pg-boss fires each tick once. */
  cron?: string;
}

/**
 * Background jobs on pg-boss: queues and schedules live in PostgreSQL (schema `pgboss`), so any
 * number of nodes share them and each job runs on one node only.
 */
export class JobRunner {
  private closing?: Promise<void>;
  private readonly names: string[] = [];

  private constructor(
    private readonly boss: PgBoss,
    private readonly options: JobRunnerOptions,
  ) {}

  static async create(options: JobRunnerOptions): Promise<JobRunner> {
    const log = options.logger.child({ module: 'jobs' });
    const boss = new PgBoss({ connectionString: options.connectionString, max: 4, application_name: 'therapy-field-jobs' });
    boss.on('error', (error) => log.error({ err: error }, 'job runner error'));
    await boss.start();
    return new JobRunner(boss, { ...options, logger: log });
  }

  async register(job: JobDefinition): Promise<void> {
    await this.boss.createQueue(job.name);
    this.names.push(job.name);
    await this.boss.work(job.name, { pollingIntervalSeconds: this.options.pollingIntervalSeconds, batchSize: 1 }, async () => {
      const started = performance.now();
      let failed = false;
      try {
        await job.run();
      } catch (error) {
        failed = true;
        this.options.logger.error({ err: error, job: job.name }, 'job failed');
        throw error;
      } finally {
        this.options.observer?.({ job: job.name, finishedAt: new Date(), durationSeconds: (performance.now() - started) / 1000, failed });
      }
    });
    if (job.cron) await this.boss.schedule(job.name, job.cron);
  }

  /**
   * Asks for one run of `name` as soon as a worker is free; calls within the same second (on any
   * node) share one run, the next one goes in the following second.
   */
  runSoon(name: string): void {
    this.boss.sendDebounced(name, {}, {}, 1).catch((error: unknown) => this.options.logger.warn({ err: error, job: name }, 'could not queue a job run'));
  }

  /** Queues one run of `name` now and resolves once some node has finished it. */
  async runNow(name: string, timeoutMs = 30_000): Promise<void> {
    const id = await this.boss.send(name, {});
    if (!id) throw new AppError('INTERNAL', `job ${name} was not queued`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.boss.getJobById(name, id, { includeArchive: true });
      if (job?.state === 'completed') return;
      if (job?.state === 'failed' || job?.state === 'cancelled') throw new AppError('INTERNAL', `job ${name} ${job.state}`);
      if (Date.now() > deadline) throw new AppError('INTERNAL', `job ${name} did not finish within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Runs of each registered job waiting for a worker (queued or retrying), across all nodes. */
  async queueDepths(): Promise<Array<{ job: string; depth: number }>> {
    return Promise.all(this.names.map(async (job) => ({ job, depth: await this.boss.getQueueSize(job) })));
  }

  /** Stops polling, lets running jobs finish and closes the pool; idempotent. */
  close(): Promise<void> {
    this.closing ??= this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    return this.closing;
  }
}
