import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from '@headwaters/database';
import type { OpenDeliveries } from '@headwaters/forwarding';
import type { QueueDepth } from '@headwaters/jobs';
import { BATCH_OPERATION, OperationLabels, UNKNOWN_OPERATION } from './operation-labels';
import type { RequestNote } from './request-notes';

/** Where the gauges read from at each scrape. */
export interface MetricsSources {
  /** The process's PostgreSQL pools, by name. */
  pools: Record<string, () => PoolStats>;
  /** Jobs waiting and running (in the database: every process's). */
  queueDepth(): Promise<QueueDepth[]>;
  /** Deliveries not delivered yet (in the database). */
  openDeliveries(): Promise<OpenDeliveries[]>;
}

let processMetrics: Registry | undefined;

/**
 * prom-client's process metrics (CPU, memory, handles, GC, event loop lag), once per process:
 * their event loop monitor and GC observer run for good, so several applications in one process
 * (tests) share them.
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/** How a request ended: answered without errors, answered with errors, or failed (HTTP 5xx). */
export type RequestOutcome = 'ok' | 'error' | 'failed';

const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  count: Counter.Internal;
  seconds: Histogram.Internal<'operation' | 'type'>;
}

/**
 * The Prometheus metrics of one API process, in a registry of its own. Per request it costs a
 * map lookup, a counter increment and a histogram observation (the label children are kept);
 * everything else (pools, queues, deliveries, the process) is read when scraped.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly labels: OperationLabels;
  private readonly series = new Map<string, Series>();
  private readonly errorSeries = new Map<string, Counter.Internal>();
  private readonly requests: Counter<'operation' | 'type' | 'outcome'>;
  private readonly latency: Histogram<'operation' | 'type'>;
  private readonly errors: Counter<'code'>;
  private readonly jobs: Counter<'queue' | 'outcome'>;
  private readonly jobSeconds: Histogram<'queue'>;
  private readonly deliveries: Counter<'channel' | 'outcome'>;

  constructor(sources: MetricsSources, maxOperations: number) {
    processRegistry();
    this.labels = new OperationLabels(maxOperations);
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'headwaters_graphql_requests_total',
      help: 'GraphQL requests answered, by operation name (bounded: unnamed, unknown, batch, other), type and outcome (ok, error: answered with errors, failed: HTTP 5xx)',
      labelNames: ['operation', 'type', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: 'headwaters_graphql_request_duration_seconds',
      help: 'Time from receiving a GraphQL request to its answer having been sent, by operation name and type',
      labelNames: ['operation', 'type'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.errors = new Counter({ name: 'headwaters_graphql_errors_total', help: 'GraphQL errors answered, by extensions.code', labelNames: ['code'], registers });
    this.jobs = new Counter({ name: 'headwaters_jobs_total', help: 'Jobs run by this process, by queue and outcome (completed, failed: to run again while retries are left)', labelNames: ['queue', 'outcome'], registers });
    this.jobSeconds = new Histogram({ name: 'headwaters_job_duration_seconds', help: 'Time a job of this process took, by queue', labelNames: ['queue'], buckets: LATENCY_BUCKETS, registers });
    this.deliveries = new Counter({ name: 'headwaters_delivery_attempts_total', help: 'Mail and webhook delivery attempts recorded by this process, by channel and outcome (delivered, retry, failed: out of attempts)', labelNames: ['channel', 'outcome'], registers });
    new Gauge({
      name: 'headwaters_db_pool_connections',
      help: 'PostgreSQL connections of this process, by pool and state (in_use, idle, waiting: callers waiting for a connection)',
      labelNames: ['pool', 'state'],
      registers,
      collect() {
        for (const [pool, stats] of Object.entries(sources.pools)) {
          const { total, idle, waiting } = stats();
          this.set({ pool, state: 'in_use' }, total - idle);
          this.set({ pool, state: 'idle' }, idle);
          this.set({ pool, state: 'waiting' }, waiting);
        }
      },
    });
    new Gauge({
      name: 'headwaters_job_queue_depth',
      help: 'Jobs in the queue (all processes), by queue and state (queued: waiting or due later, active: running)',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        const depths = await sources.queueDepth().catch(() => undefined);
        if (!depths) return;
        for (const { queue, queued, active } of depths) {
          this.set({ queue, state: 'queued' }, queued);
          this.set({ queue, state: 'active' }, active);
        }
      },
    });
    new Gauge({
      name: 'headwaters_deliveries_open',
      help: 'Deliveries not delivered (all processes), by channel and state (PENDING: to be sent, FAILED: out of attempts until redelivered)',
      labelNames: ['channel', 'state'],
      registers,
      async collect() {
        const open = await sources.openDeliveries().catch(() => undefined);
        if (!open) return;
        this.reset();
        for (const channel of ['MAIL', 'WEBHOOK']) for (const state of ['PENDING', 'FAILED']) this.set({ channel, state }, 0);
        for (const { channel, state, count } of open) this.set({ channel, state }, count);
      },
    });
  }

  /** The text of a scrape: the process's metrics, then this application's. */
  async text(): Promise<string> {
    return `${await processRegistry().metrics()}\n${await this.registry.metrics()}`;
  }

  /** Counts one answered GraphQL request. */
  request(note: RequestNote | null, outcome: RequestOutcome, seconds: number): void {
    const operation = !note || note.operations === 0 ? UNKNOWN_OPERATION : note.operations > 1 ? BATCH_OPERATION : this.labels.label(note.name);
    const type = note && note.operations === 1 ? note.type : 'query';
    const key = `${operation}\u0000${type}`;
    let series = this.series.get(key);
    if (!series) {
      series = { count: this.requests.labels({ operation, type, outcome: 'ok' }), seconds: this.latency.labels({ operation, type }) };
      this.series.set(key, series);
    }
    if (outcome === 'ok') series.count.inc();
    else this.requests.labels({ operation, type, outcome }).inc();
    series.seconds.observe(seconds);
    if (note?.errorCodes) for (const code of note.errorCodes) this.errorOf(code).inc();
  }

  job(queue: string, outcome: 'completed' | 'failed', seconds: number): void {
    this.jobs.labels({ queue, outcome }).inc();
    this.jobSeconds.labels({ queue }).observe(seconds);
  }

  delivery(channel: string, outcome: string): void {
    this.deliveries.labels({ channel, outcome }).inc();
  }

  private errorOf(code: string): Counter.Internal {
    let series = this.errorSeries.get(code);
    if (!series) {
      series = this.errors.labels({ code });
      this.errorSeries.set(code, series);
    }
    return series;
  }
}
