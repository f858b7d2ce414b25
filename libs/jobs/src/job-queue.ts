import { Logger } from '@nestjs/common';
import { setMaxListeners } from 'node:events';
import PgBoss from 'pg-boss';
import { inSpan, type SqlRunner } from '@headwaters/core';
import { Pacer } from './pacer';

/** One job as its handler sees it. */
export interface Job<T> {
  id: string;
  queue: string;
  data: T;
  /** Aborted when the process stops before the handler is done: give up, the job runs again. */
  signal: AbortSignal;
}

/**
 * Runs one job. Resolving completes it; throwing hands it back to the queue, which runs it again
 * after a short pause (a crash or a stop mid-job does the same). So a handler must be idempotent:
 * safe to run twice for the same job.
 */
export type JobHandler<T, B = undefined> = (job: Job<T>, batch: B) => Promise<void>;

/**
 * Runs once for the jobs one fetch took, before any of them starts (and before any waits for its
 * turn under `perSecond`): what it answers is handed to each of their handlers, so that a batch
 * reads together what its jobs need. Throwing hands every job of the batch back to the queue.
 */
export type BatchPreparer<T, B> = (jobs: readonly Job<T>[]) => Promise<B>;

export interface QueueOptions {
  /** How many handlers of this queue run at once in a worker process. */
  concurrency: number;
  /**
   * How many jobs one fetch takes (default 1): `concurrency / batchSize` pollers each take that
   * many and run them at once. A long queue costs a fetch per batch instead of per job (each
   * fetch sorts the waiting jobs); a slow job delays only its poller's next fetch, never its
   * batch-mates, which are recorded as they finish.
   */
  batchSize?: number;
  /**
   * At most this many handlers of the queue start per second in a worker process, evenly spaced
   * (0 or unset: no limit). Background work on the machine that serves requests takes its time
   * from them: a burst of ten thousand jobs run flat out halves the throughput of reads meanwhile.
   */
  perSecond?: number;
  /** Longest a handler may take before the job is given to another worker, in seconds. */
  expireInSeconds: number;
  /** How many times a job whose handler threw (or whose worker died) is run again. */
  retryLimit: number;
  /** The pause before such a rerun, in seconds. */
  retryDelaySeconds: number;
}

/** How one run of a job ended: `completed`, or `failed` (it runs again while retries are left). */
export type JobOutcome = 'completed' | 'failed';

/** Jobs waiting (`queued`: created or retry, due or not) and running (`active`), per queue. */
export interface QueueDepth {
  queue: string;
  queued: number;
  active: number;
}

export interface SendOptions {
  /** Not before then. */
  startAfter?: Date;
}

export interface JobQueueOptions {
  /** The PostgreSQL holding the queue: the application's own database. */
  url: string;
  /** Connections the queue's own pool may use for fetching and completing jobs. */
  poolSize: number;
  /** How often an idle worker looks for jobs, in seconds (at least 0.5). */
  pollingIntervalSeconds: number;
  /** How often expired jobs are looked for and old ones archived, in seconds. */
  maintenanceIntervalSeconds: number;
  schema?: string;
}

const DEFAULT_SCHEMA = 'pgboss';
/** SQLSTATE of a transaction PostgreSQL aborted to break a deadlock. */
const DEADLOCK_DETECTED = '40P01';

/** pg-boss's `db` option: runs its statements on the caller's connection (here, its transaction). */
function onConnection(tx: SqlRunner): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      const result = await tx.query<unknown>(text, values);
      // TypeORM answers an UPDATE or DELETE as [rows, count]; everything else as its rows.
      const rows = Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number' ? result[0] : result;
      return { rows: rows as unknown[] };
    },
  };
}

/**
 * A durable job queue in the application's PostgreSQL (pg-boss underneath, kept behind this
 * small interface). Jobs are sent inside the caller's transaction, so a job exists exactly when
 * the change that caused it commits. Handlers are registered by the libraries at start-up and
 * run only in processes that call {@link startWorkers} (the worker role).
 */
export class JobQueue {
  private readonly boss: PgBoss;
  private readonly log = new Logger('JobQueue');
  private readonly queues = new Map<string, { options: QueueOptions; handler?: JobHandler<never, unknown>; prepare?: BatchPreparer<never, unknown> }>();
  private readonly workerIds = new Map<string, string[]>();
  private readonly stopping = new AbortController();
  private started?: Promise<void>;
  private working = false;
  private readonly observers: ((queue: string, outcome: JobOutcome, seconds: number) => void)[] = [];

  constructor(private readonly options: JobQueueOptions) {
    // Every running handler listens for the stop: as many listeners as the concurrency.
    setMaxListeners(0, this.stopping.signal);
    this.boss = new PgBoss({
      connectionString: options.url,
      schema: options.schema ?? DEFAULT_SCHEMA,
      max: options.poolSize,
      application_name: 'headwaters-jobs',
      migrate: true,
      supervise: true,
      schedule: false,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
    });
    this.boss.on('error', (error) => this.log.error(`job queue: ${error.message}`, error.stack));
  }

  /** Declares a queue (before {@link start}); senders and workers both need it. */
  declare(queue: string, options: QueueOptions): void {
    if (!this.queues.has(queue)) this.queues.set(queue, { options });
  }

  /** The handler of a declared queue's jobs; it runs only once {@link startWorkers} is called. */
  handle<T>(queue: string, handler: JobHandler<T>): void;
  /** ... with what `prepare` read for each fetched batch handed to the handler of each of its jobs. */
  handle<T, B>(queue: string, handler: JobHandler<T, B>, prepare: BatchPreparer<T, B>): void;
  handle<T, B>(queue: string, handler: JobHandler<T, B>, prepare?: BatchPreparer<T, B>): void {
    const entry = this.queues.get(queue);
    if (!entry) throw new Error(`job queue "${queue}" is not declared`);
    entry.handler = handler as JobHandler<never, unknown>;
    entry.prepare = prepare as BatchPreparer<never, unknown> | undefined;
  }

  /** Connects, brings the queue's schema up to date and creates the declared queues. */
  start(): Promise<void> {
    this.started ??= (async () => {
      await this.boss.start();
      for (const [name, { options }] of this.queues) {
        const create = () =>
          this.boss.createQueue(name, {
            name,
            policy: 'standard',
            retryLimit: options.retryLimit,
            retryDelay: options.retryDelaySeconds,
            retryBackoff: false,
            expireInSeconds: options.expireInSeconds,
          });
        // Two processes starting at once over a new database create queues together, and
        // pg-boss's queue creation (a row, then a partition with a foreign key to the queue
        // table) deadlocks across them: PostgreSQL aborts one, which simply tries again.
        for (let attempt = 1; ; attempt++) {
          try {
            await create();
            break;
          } catch (error) {
            if ((error as { code?: string }).code !== DEADLOCK_DETECTED || attempt >= 10) throw error;
            await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 50));
          }
        }
      }
    })();
    return this.started;
  }

  /** Enqueues a job in the caller's transaction `tx`: it exists only if that transaction commits. */
  async send<T extends object>(tx: SqlRunner, queue: string, data: T, options: SendOptions = {}): Promise<string> {
    this.assertDeclared(queue);
    const id = await this.boss.send(queue, data, { db: onConnection(tx), ...(options.startAfter ? { startAfter: options.startAfter } : {}) });
    if (!id) throw new Error(`job queue "${queue}" did not take the job`);
    return id;
  }

  /** Enqueues many jobs in one statement, in the caller's transaction. */
  async sendMany<T extends object>(tx: SqlRunner, queue: string, jobs: readonly { data: T; startAfter?: Date }[]): Promise<void> {
    this.assertDeclared(queue);
    if (jobs.length === 0) return;
    const { options } = this.queues.get(queue)!;
    await this.boss.insert(
      jobs.map((job) => ({
        name: queue,
        data: job.data,
        startAfter: job.startAfter?.toISOString(),
        retryLimit: options.retryLimit,
        retryDelay: options.retryDelaySeconds,
        expireInSeconds: options.expireInSeconds,
      })),
      { db: onConnection(tx) },
    );
  }

  /** Tells this process's idle workers of `queue` to look now (after a commit that queued jobs). */
  wake(queue: string): void {
    for (const id of this.workerIds.get(queue) ?? []) this.boss.notifyWorker(id);
  }

  /** Starts the handlers of every queue that has one: each runs `concurrency` at a time. */
  async startWorkers(): Promise<void> {
    await this.start();
    if (this.working) return;
    this.working = true;
    for (const [name, { options, handler, prepare }] of this.queues) {
      if (!handler) continue;
      const ids: string[] = [];
      // `concurrency / batchSize` pollers, each running the batch it took at once. A poller that
      // found jobs looks again at once instead of pausing for the polling interval. No priorities
      // are used, so jobs are taken oldest first.
      const batchSize = Math.max(1, Math.min(options.batchSize ?? 1, options.concurrency));
      const pacer = new Pacer(options.perSecond ?? 0);
      for (let i = 0; i < Math.ceil(options.concurrency / batchSize); i++) {
        const self = { id: '' };
        self.id = await this.boss.work<object>(name, { batchSize, pollingIntervalSeconds: this.options.pollingIntervalSeconds, priority: false }, async (jobs) => {
          await this.run(name, handler, prepare, jobs, pacer);
          if (self.id && jobs.length > 0) this.boss.notifyWorker(self.id);
        });
        ids.push(self.id);
      }
      this.workerIds.set(name, ids);
    }
  }

  /** Told of every job run in this process, once it has completed or failed (for metrics). */
  onJobDone(observer: (queue: string, outcome: JobOutcome, seconds: number) => void): void {
    this.observers.push(observer);
  }

  /** The declared queues' waiting and running jobs, as the database has them (every process's). */
  async depth(): Promise<QueueDepth[]> {
    await this.start();
    const schema = this.options.schema ?? DEFAULT_SCHEMA;
    const names = [...this.queues.keys()];
    const { rows } = (await this.boss.getDb().executeSql(
      `SELECT name, count(*) FILTER (WHERE state IN ('created','retry'))::int AS queued, count(*) FILTER (WHERE state = 'active')::int AS active
         FROM ${schema}.job WHERE name = ANY($1) AND state < 'completed' GROUP BY name`,
      [names],
    )) as { rows: { name: string; queued: number; active: number }[] };
    const byName = new Map(rows.map((r) => [r.name, r]));
    return names.map((queue) => ({ queue, queued: byName.get(queue)?.queued ?? 0, active: byName.get(queue)?.active ?? 0 }));
  }

  /** The queue's own pool: open, idle and waiting (zero before it starts). */
  poolStats(): { total: number; idle: number; waiting: number } {
    const pool = (this.boss.getDb() as unknown as { pool?: { totalCount: number; idleCount: number; waitingCount: number } }).pool;
    return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : { total: 0, idle: 0, waiting: 0 };
  }

  /** Whether this process runs workers. */
  get runsWorkers(): boolean {
    return this.working;
  }

  /**
   * Stops taking jobs, gives running handlers `timeoutMs` to finish, then aborts them (their jobs
   * go back to the queue and run again elsewhere or after a restart) and disconnects.
   */
  async stop(timeoutMs: number): Promise<void> {
    if (!this.started) return;
    await this.started.catch(() => undefined);
    const abort = setTimeout(() => this.stopping.abort(new Error('the worker is stopping')), timeoutMs);
    try {
      await this.boss.stop({ graceful: true, close: true, wait: true, timeout: timeoutMs + 1000 });
    } finally {
      clearTimeout(abort);
      this.stopping.abort(new Error('the worker stopped'));
    }
  }

  private async run(queue: string, handler: JobHandler<never, unknown>, prepare: BatchPreparer<never, unknown> | undefined, fetched: PgBoss.Job<object>[], pacer: Pacer): Promise<void> {
    const jobs: Job<never>[] = fetched.map((job) => ({ id: job.id, queue, data: job.data as never, signal: this.stopping.signal }));
    let batch: unknown;
    if (prepare && jobs.length > 0) {
      try {
        batch = await prepare(jobs);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!this.stopping.signal.aborted) this.log.warn(`a batch of ${jobs.length} ${queue} jobs could not be prepared and will run again: ${message}`);
        for (let i = 0; i < jobs.length; i++) this.done(queue, 'failed', performance.now());
        await Promise.all(jobs.map((job) => this.boss.fail(queue, job.id, { message }).catch(() => undefined)));
        return;
      }
    }
    await Promise.all(
      jobs.map(async (job) => {
        let started = performance.now();
        try {
          await pacer.take(this.stopping.signal);
          started = performance.now();
          await inSpan(`job ${queue}`, { 'messaging.system': 'pg-boss', 'messaging.destination.name': queue, 'messaging.message.id': job.id }, () => handler(job, batch));
          this.done(queue, 'completed', started);
        } catch (error) {
          this.done(queue, 'failed', started);
          const message = error instanceof Error ? error.message : String(error);
          if (!this.stopping.signal.aborted) this.log.warn(`job ${queue}/${job.id} failed and will run again: ${message}`);
          await this.boss.fail(queue, job.id, { message }).catch(() => undefined);
        }
      }),
    );
  }

  private done(queue: string, outcome: JobOutcome, started: number): void {
    const seconds = (performance.now() - started) / 1000;
    for (const observer of this.observers) observer(queue, outcome, seconds);
  }

  private assertDeclared(queue: string): void {
    if (!this.queues.has(queue)) throw new Error(`job queue "${queue}" is not declared`);
  }
}
