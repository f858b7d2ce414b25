import { Inject, Module, type DynamicModule, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { DeliveryWorkerModule, ReplyListener, WatchModule } from '@headwaters/forwarding';
import { TriageModule } from '@headwaters/triage';
import { NotificationsModule } from '@headwaters/notifications';
import { DigestJob } from './jobs/digest.job';
import { ExpiryJob } from './jobs/expiry.job';
import { QueueWorkers } from './jobs/queue-workers';
import { WatchJobs } from './jobs/watch.jobs';
import { IntervalScheduler } from './scheduling/interval-scheduler';
import { JOB_SCHEDULER, type JobScheduler } from './scheduling/job-scheduler';
import { WORKER_LOGGER } from './worker.tokens';

/**
 * Background work: the needs-info expiry, and the job queue's handlers (deliveries; upstream
 * watches and notifications next). Imported by the API's process when HEADWATERS_ROLE is `all`, or run alone as `worker`.
 * Needs the configuration and database modules of the process it runs in.
 */
@Module({})
export class WorkerModule implements OnModuleDestroy {
  constructor(@Inject(JOB_SCHEDULER) private readonly scheduler: JobScheduler) {}

  static forRoot(logger: Logger): DynamicModule {
    const jobLogger = logger.child({ component: 'worker' });
    return {
      module: WorkerModule,
      // Notifications: the fan-out job, daily digests, and the checks asked before each notice is sent.
      imports: [TriageModule, WatchModule, DeliveryWorkerModule, NotificationsModule],
      providers: [
        { provide: WORKER_LOGGER, useValue: jobLogger },
        { provide: JOB_SCHEDULER, useFactory: () => new IntervalScheduler(jobLogger) },
        ExpiryJob,
        DigestJob,
        QueueWorkers,
        WatchJobs,
        ReplyListener,
      ],
      exports: [JOB_SCHEDULER, ReplyListener],
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.scheduler.stop();
  }
}
