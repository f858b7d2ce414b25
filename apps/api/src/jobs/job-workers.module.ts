import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue } from '@headwaters/jobs';

/**
 * Runs the handlers of every declared job queue in this process: the worker's part. Imported
 * only where background work runs (with the API in one process by default).
 */
@Module({})
export class JobWorkersModule implements OnApplicationBootstrap {
  constructor(private readonly queue: JobQueue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.startWorkers();
  }
}
