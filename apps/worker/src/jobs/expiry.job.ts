import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '@headwaters/config';
import { ExpiryService } from '@headwaters/triage';
import { JOB_SCHEDULER, type JobScheduler, type ScheduledJob } from '../scheduling/job-scheduler';
import { WORKER_LOGGER } from '../worker.tokens';

/** The needs-info expiry, every EXPIRY_INTERVAL_SECONDS; what it expired is logged, and so is a failure. */
@Injectable()
export class ExpiryJob implements ScheduledJob, OnApplicationBootstrap {
  readonly name = 'needs-info-expiry';
  readonly everySeconds: number;

  constructor(
    private readonly expiry: ExpiryService,
    @Inject(JOB_SCHEDULER) private readonly scheduler: JobScheduler,
    @Inject(WORKER_LOGGER) private readonly logger: Logger,
    config: AppConfig,
  ) {
    this.everySeconds = config.EXPIRY_INTERVAL_SECONDS;
  }

  onApplicationBootstrap(): void {
    this.scheduler.schedule(this);
  }

  async run(): Promise<void> {
    const expired = await this.expiry.expireStale();
    if (expired.length > 0) this.logger.info({ job: this.name, expired: expired.length }, 'expired items whose reporter did not answer');
  }
}
