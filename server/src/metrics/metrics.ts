import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DatabaseHealth } from '@therapy-field/sync';
import type { PoolName, PoolUse } from '../database/index.js';
import { healthSeverity } from '../health/index.js';
import type { CacheCounters } from '../cache/index.js';
import type { JobObserver } from '../jobs/index.js';

/** What the gauges read when scraped; each is asked once per scrape. */
export interface MetricProbes {
  connectedSockets: () => number;
  changeLogBacklog: () => Promise<number>;
  databasePools: () => Array<{ pool: PoolName; use: PoolUse }>;
  databaseHealth: () => Promise<DatabaseHealth>;
  jobQueueDepths: () => Promise<Array<{ job: string; depth: number }>>;
  videoSessions: () => number;
  videoWorkers: () => number;
}

/** One answered HTTP request; `route` is the matched pattern (`/appointments/:id`), never the path. */
export interface HttpRequestObservation {
  method: string;
  route: string;
  status: number;
  seconds: number;
}

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The node's Prometheus metrics, in a registry of its own (two nodes in one process, as in tests,
 * must not share counters). Gauges that need a query read it when scraped.
 */
export class PlatformMetrics {
  readonly registry = new Registry();
  readonly connectedSockets: Gauge;
  readonly eventsIn: Counter<'event'>;
  readonly eventsOut: Counter<'event'>;
  readonly deliveryLag: Histogram;
  readonly changeLogBacklog: Gauge;
  readonly messageEmails: Counter<'outcome'>;
  readonly jobLastRun: Gauge<'job'>;
  readonly jobDuration: Gauge<'job'>;
  readonly jobFailures: Counter<'job'>;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  readonly poolAcquireWait: Histogram<'pool'>;
  readonly cache: CacheCounters;

  constructor(probes: MetricProbes) {
    collectDefaultMetrics({ register: this.registry });
    this.connectedSockets = new Gauge({
      name: 'tf_socket_connections',
      help: 'Sockets connected to this node',
      registers: [this.registry],
      collect() {
        this.set(probes.connectedSockets());
      },
    });
    this.eventsIn = new Counter({ name: 'tf_socket_events_in_total', help: 'Client to server socket events', labelNames: ['event'], registers: [this.registry] });
    this.eventsOut = new Counter({ name: 'tf_socket_events_out_total', help: 'Server to client emits (one per room emit)', labelNames: ['event'], registers: [this.registry] });
    this.deliveryLag = new Histogram({
      name: 'tf_change_delivery_lag_seconds',
      help: 'From a change being written to its live emit',
      buckets: latencyBuckets,
      registers: [this.registry],
    });
    this.messageEmails = new Counter({
      name: 'tf_message_emails_total',
      help: 'New messages considered for an email to their recipient, by outcome (queued, duplicate, recipient_present, no_recipient, opted_out)',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    this.jobLastRun = new Gauge({ name: 'tf_job_last_run_timestamp_seconds', help: 'When this node last finished a run of the job (Unix time)', labelNames: ['job'], registers: [this.registry] });
    this.jobDuration = new Gauge({ name: 'tf_job_last_run_duration_seconds', help: 'How long the last run of the job on this node took', labelNames: ['job'], registers: [this.registry] });
    this.jobFailures = new Counter({ name: 'tf_job_failures_total', help: 'Runs of the job on this node that failed', labelNames: ['job'], registers: [this.registry] });
    this.cache = {
      hits: new Counter({ name: 'tf_cache_hits_total', help: 'Reads answered from the Redis cache, by cache', labelNames: ['cache'], registers: [this.registry] }),
      misses: new Counter({ name: 'tf_cache_misses_total', help: 'Reads that went to the database (absent, stale or cache unusable), by cache', labelNames: ['cache'], registers: [this.registry] }),
      invalidations: new Counter({ name: 'tf_cache_invalidations_total', help: 'Cache tags this node invalidated after committed changes', registers: [this.registry] }),
      errors: new Counter({ name: 'tf_cache_errors_total', help: 'Redis cache commands that failed (the read went to the database)', registers: [this.registry] }),
    };
    this.changeLogBacklog = new Gauge({
      name: 'tf_change_log_backlog',
      help: 'Change-log rows not yet numbered or delivered live',
      registers: [this.registry],
      async collect() {
        this.set(await probes.changeLogBacklog());
      },
    });
    this.httpRequests = new Counter({
      name: 'tf_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'tf_http_request_duration_seconds',
      help: 'From a request reaching the app to its response, by method and route pattern',
      labelNames: ['method', 'route'],
      buckets: latencyBuckets,
      registers: [this.registry],
    });
    this.poolAcquireWait = new Histogram({
      name: 'tf_db_pool_acquire_seconds',
      help: 'How long a query waited for a connection from the pool',
      labelNames: ['pool'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers: [this.registry],
    });
    this.registerDatabaseGauges(probes);
    this.registerQueueAndVideoGauges(probes);
  }

  /** An answered HTTP request, as the HTTP app reports it. */
  readonly observeRequest = ({ method, route, status, seconds }: HttpRequestObservation): void => {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ method, route }, seconds);
  };

  private registerDatabaseGauges(probes: MetricProbes): void {
    const registers = [this.registry];
    const pools = () => probes.databasePools();
    new Gauge({
      name: 'tf_db_pool_connections',
      help: 'Connections of each database pool, in use or idle',
      labelNames: ['pool', 'state'],
      registers,
      collect() {
        for (const { pool, use } of pools()) {
          this.set({ pool, state: 'in_use' }, use.inUse);
          this.set({ pool, state: 'idle' }, use.idle);
        }
      },
    });
    new Gauge({
      name: 'tf_db_pool_max_connections',
      help: 'The most connections each database pool opens',
      labelNames: ['pool'],
      registers,
      collect() {
        for (const { pool, use } of pools()) this.set({ pool }, use.max);
      },
    });
    new Gauge({
      name: 'tf_db_pool_waiting',
      help: 'Queries waiting for a connection from each pool',
      labelNames: ['pool'],
      registers,
      collect() {
        for (const { pool, use } of pools()) this.set({ pool }, use.waiting);
      },
    });
    // One query serves both gauges of a scrape.
    let latest: { at: number; health: Promise<DatabaseHealth | undefined> } | undefined;
    const health = () => {
      if (!latest || performance.now() - latest.at > 1000) latest = { at: performance.now(), health: probes.databaseHealth().catch(() => undefined) };
      return latest.health;
    };
    new Gauge({
      name: 'tf_database_health_value',
      help: 'Each check of database_health() (size, connections, long queries, dead rows, default partition rows) in its unit',
      labelNames: ['check', 'unit'],
      registers,
      async collect() {
        this.reset();
        for (const check of (await health())?.checks ?? []) this.set({ check: check.name, unit: check.unit }, check.value);
      },
    });
    new Gauge({
      name: 'tf_database_health_status',
      help: 'Each check of database_health(): 0 ok, 1 warning, 2 critical; absent when the database did not answer',
      labelNames: ['check'],
      registers,
      async collect() {
        this.reset();
        for (const check of (await health())?.checks ?? []) this.set({ check: check.name }, healthSeverity(check.status));
      },
    });
  }

  private registerQueueAndVideoGauges(probes: MetricProbes): void {
    const registers = [this.registry];
    new Gauge({
      name: 'tf_job_queue_depth',
      help: 'Runs of each job waiting for a worker (queued or retrying), across all nodes',
      labelNames: ['job'],
      registers,
      async collect() {
        for (const { job, depth } of await probes.jobQueueDepths().catch(() => [])) this.set({ job }, depth);
      },
    });
    new Gauge({
      name: 'tf_video_sessions',
      help: 'Video sessions (rooms) hosted on this node',
      registers,
      collect() {
        this.set(probes.videoSessions());
      },
    });
    new Gauge({
      name: 'tf_video_workers',
      help: 'mediasoup worker processes on this node (none until its first call)',
      registers,
      collect() {
        this.set(probes.videoWorkers());
      },
    });
  }

  /** A finished job run, as the job runner reports it. */
  readonly observeJob: JobObserver = ({ job, finishedAt, durationSeconds, failed }) => {
    this.jobLastRun.set({ job }, finishedAt.getTime() / 1000);
    this.jobDuration.set({ job }, durationSeconds);
    this.jobFailures.inc({ job }, failed ? 1 : 0);
  };
}
