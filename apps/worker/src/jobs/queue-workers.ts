import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue } from '@headwaters/jobs';

/** Starts, in this process, the handlers of every declared job queue (deliveries, ...). */
@Injectable()
export class QueueWorkers implements OnApplicationBootstrap {
  constructor(private readonly queue: JobQueue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.startWorkers();
  }
}
