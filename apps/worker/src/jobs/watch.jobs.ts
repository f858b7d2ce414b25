import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '@headwaters/config';
import { GithubHookService, UpstreamWatchService, WatchQueue, WatchSweepService } from '@headwaters/forwarding';
import { JOB_SCHEDULER, type JobScheduler, type ScheduledJob } from '../scheduling/job-scheduler';
import { WORKER_LOGGER } from '../worker.tokens';

/** How often due checks are looked for: a minute, or the interval itself when shorter. */
const SWEEP_EVERY_SECONDS = 60;

/**
 * Watching upstreams in the worker: the sweep that queues due checks of linked records (one
 * job per check, one queue per tracker), the handlers of those checks, and of GitHub's webhook
 * deliveries. WATCH_INTERVAL_SECONDS=0 leaves scheduled checks out of this process.
 */
@Injectable()
export class WatchJobs implements ScheduledJob, OnModuleInit, OnApplicationBootstrap {
  readonly name = 'upstream-watch-sweep';
  readonly everySeconds: number;

  constructor(
    private readonly queue: WatchQueue,
    private readonly sweeper: WatchSweepService,
    private readonly watch: UpstreamWatchService,
    private readonly hooks: GithubHookService,
    @Inject(JOB_SCHEDULER) private readonly scheduler: JobScheduler,
    @Inject(WORKER_LOGGER) private readonly logger: Logger,
    config: AppConfig,
  ) {
    this.everySeconds = config.WATCH_INTERVAL_SECONDS > 0 ? Math.min(SWEEP_EVERY_SECONDS, config.WATCH_INTERVAL_SECONDS) : 0;
  }

  onModuleInit(): void {
    this.queue.handleChecks((job) => this.watch.runCheck(job.data.forwardId));
    this.queue.handleHooks((job) => this.hooks.process(job.data.deliveryId));
  }

  onApplicationBootstrap(): void {
    this.scheduler.schedule(this);
  }

  async run(): Promise<void> {
    const queued = await this.sweeper.sweep();
    if (queued > 0) this.logger.debug({ job: this.name, queued }, 'queued due checks of upstream records');
  }
}
