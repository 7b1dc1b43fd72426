import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CacheCounters } from '../cache/index.js';
import type { JobObserver } from '../jobs/index.js';

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
  readonly cache: CacheCounters;

  constructor(probes: { connectedSockets: () => number; changeLogBacklog: () => Promise<number> }) {
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
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
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
  }

  /** A finished job run, as the job runner reports it. */
  readonly observeJob: JobObserver = ({ job, finishedAt, durationSeconds, failed }) => {
    this.jobLastRun.set({ job }, finishedAt.getTime() / 1000);
    this.jobDuration.set({ job }, durationSeconds);
    this.jobFailures.inc({ job }, failed ? 1 : 0);
  };
}
