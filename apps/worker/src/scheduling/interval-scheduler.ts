import type { Logger } from 'pino';
import type { JobScheduler, ScheduledJob } from './job-scheduler';

/**
 * Runs each job on a timer in this process, one run of a job at a time (a run still going when
 * the next is due is not doubled). A failed run is logged with its error and the job runs again
 * at its next turn; running several instances is safe because each job is idempotent.
 */
export class IntervalScheduler implements JobScheduler {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly logger: Logger) {}

  schedule(job: ScheduledJob): void {
    if (job.everySeconds <= 0) return;
    const timer = setInterval(() => this.runOnce(job), job.everySeconds * 1000);
    timer.unref();
    this.timers.push(timer);
  }

  /** One run now (unless one is going): what the timer does, and what tests call. */
  runOnce(job: ScheduledJob): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const going = this.running.get(job.name);
    if (going) return going;
    const started = Date.now();
    const run = job
      .run()
      .catch((error: unknown) => this.logger.error({ err: error, job: job.name, ms: Date.now() - started }, 'background job failed'))
      .finally(() => this.running.delete(job.name));
    this.running.set(job.name, run);
    return run;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all(this.running.values());
  }
}
