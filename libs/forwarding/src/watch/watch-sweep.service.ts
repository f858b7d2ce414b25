import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { watchStore } from './watch-store';
import { WatchQueue } from './watch-queue';

/** Most checks queued by one sweep; the rest wait for the next. */
export const SWEEP_BATCH = 500;

/** Hands the due checks of linked records to their trackers' queues. */
@Injectable()
export class WatchSweepService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: WatchQueue,
  ) {}

  /** Queues every due check (up to a batch) and returns how many. Safe with several sweepers at once. */
  async sweep(): Promise<number> {
    const due = await this.dataSource.transaction(async (tx) => {
      const taken = await watchStore.takeDue(tx, SWEEP_BATCH);
      await this.queue.queueChecks(tx, taken);
      return taken;
    });
    if (due.length > 0) this.queue.wakeChecks();
    return due.length;
  }
}
