/** One piece of background work, run on a schedule. */
export interface ScheduledJob {
  /** For logs: `needs-info-expiry`. */
  name: string;
  /** Seconds between runs; 0 or less: not in this process. */
  everySeconds: number;
  run(): Promise<void>;
}

/**
 * Where background work is scheduled. Jobs only say what they do and how often; how runs are
 * triggered (a timer in this process now, a queue shared by instances later) stays behind this.
 */
export interface JobScheduler {
  schedule(job: ScheduledJob): void;
  /** Stops taking work and waits for runs in progress. */
  stop(): Promise<void>;
}

export const JOB_SCHEDULER = Symbol('JobScheduler');
