import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '@headwaters/config';
import { DigestService } from '@headwaters/notifications';
import { JOB_SCHEDULER, type JobScheduler, type ScheduledJob } from '../scheduling/job-scheduler';
import { WORKER_LOGGER } from '../worker.tokens';

/**
 * Daily digests, looked for every DIGEST_CHECK_SECONDS: each user's is made once a day from
 * DIGEST_HOUR_UTC (the service keeps it to one per user and day, whatever the number of workers).
 */
@Injectable()
export class DigestJob implements ScheduledJob, OnApplicationBootstrap {
  readonly name = 'daily-digest';
  readonly everySeconds: number;

  constructor(
    private readonly digests: DigestService,
    @Inject(JOB_SCHEDULER) private readonly scheduler: JobScheduler,
    @Inject(WORKER_LOGGER) private readonly logger: Logger,
    config: AppConfig,
  ) {
    this.everySeconds = config.DIGEST_CHECK_SECONDS;
  }

  onApplicationBootstrap(): void {
    this.scheduler.schedule(this);
  }

  async run(): Promise<void> {
    const sent = await this.digests.sendDue();
    if (sent > 0) this.logger.info({ job: this.name, sent }, 'queued daily digests');
  }
}
