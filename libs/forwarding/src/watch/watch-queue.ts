import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '@headwaters/core';
import type { TrackerKind } from '@headwaters/catalogue';
import { JobQueue, type JobHandler, type QueueOptions } from '@headwaters/jobs';

/** The job of one check of one forward's record. */
export interface CheckJob {
  forwardId: number;
}

/** The job of one GitHub webhook delivery taken by the API. */
export interface HookJob {
  deliveryId: string;
}

/**
 * One queue of checks per tracker kind, each with its own workers: a tracker that hangs or fails
 * holds up only its own checks, never another tracker's.
 */
export const CHECK_QUEUES: Readonly<Record<Exclude<TrackerKind, 'NONE'>, string>> = {
  GITHUB: 'watch-check-github',
  DEBBUGS: 'watch-check-debbugs',
  LAUNCHPAD: 'watch-check-launchpad',
  BUGZILLA: 'watch-check-bugzilla',
};

export const HOOK_QUEUE = 'watch-github-hook';

// A check's own deadline (WATCH_TIMEOUT_MS) ends well within expireInSeconds; a check that threw
// (the database away) is run again, while a tracker's failure is recorded, not thrown.
const CHECK_OPTIONS: QueueOptions = { concurrency: 4, expireInSeconds: 300, retryLimit: 3, retryDelaySeconds: 30 };
const HOOK_OPTIONS: QueueOptions = { concurrency: 2, expireInSeconds: 60, retryLimit: 5, retryDelaySeconds: 5 };

/** Watching's queues on the process's job queue. */
@Injectable()
export class WatchQueue {
  constructor(private readonly jobs: JobQueue) {
    for (const name of Object.values(CHECK_QUEUES)) jobs.declare(name, CHECK_OPTIONS);
    jobs.declare(HOOK_QUEUE, HOOK_OPTIONS);
  }

  /** Queues a check of the forward now, in the caller's transaction (none for trackers not watched). */
  async queueCheck(tx: SqlRunner, forwardId: number, kind: TrackerKind): Promise<void> {
    if (kind === 'NONE') return;
    await this.jobs.send<CheckJob>(tx, CHECK_QUEUES[kind], { forwardId });
  }

  /** Queues many checks (a sweep), grouped by tracker. */
  async queueChecks(tx: SqlRunner, due: readonly { id: number; trackerKind: TrackerKind }[]): Promise<void> {
    for (const [kind, name] of Object.entries(CHECK_QUEUES) as [TrackerKind, string][]) {
      const jobs = due.filter((d) => d.trackerKind === kind).map((d) => ({ data: { forwardId: d.id } as CheckJob }));
      if (jobs.length > 0) await this.jobs.sendMany(tx, name, jobs);
    }
  }

  async queueHook(tx: SqlRunner, deliveryId: string): Promise<void> {
    await this.jobs.send<HookJob>(tx, HOOK_QUEUE, { deliveryId });
  }

  /** After a commit that queued jobs: this process's idle workers look now. */
  wakeChecks(): void {
    for (const name of Object.values(CHECK_QUEUES)) this.jobs.wake(name);
  }

  wakeHooks(): void {
    this.jobs.wake(HOOK_QUEUE);
  }

  handleChecks(handler: JobHandler<CheckJob>): void {
    for (const name of Object.values(CHECK_QUEUES)) this.jobs.handle(name, handler);
  }

  handleHooks(handler: JobHandler<HookJob>): void {
    this.jobs.handle(HOOK_QUEUE, handler);
  }
}
