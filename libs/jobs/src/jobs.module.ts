import { DynamicModule, Global, Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { JobQueue, type JobQueueOptions } from './job-queue';

const STOP_TIMEOUT_MS = Symbol('JobsStopTimeoutMs');

/**
 * The one {@link JobQueue} of the process, connected once every module has declared its queues
 * and disconnected (after its running handlers) when the application stops.
 */
@Global()
@Module({})
export class JobsModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly queue: JobQueue,
    @Inject(STOP_TIMEOUT_MS) private readonly stopTimeoutMs: number,
  ) {}

  static forRoot(options: JobQueueOptions & { stopTimeoutMs: number }): DynamicModule {
    const { stopTimeoutMs, ...queueOptions } = options;
    return {
      module: JobsModule,
      global: true,
      providers: [
        { provide: JobQueue, useFactory: () => new JobQueue(queueOptions) },
        { provide: STOP_TIMEOUT_MS, useValue: stopTimeoutMs },
      ],
      exports: [JobQueue],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.stop(this.stopTimeoutMs);
  }
}
