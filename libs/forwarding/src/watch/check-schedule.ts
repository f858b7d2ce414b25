/** How often records are read back, and how failures push the next check out. */
export interface CheckSchedule {
  /** WATCH_INTERVAL_SECONDS: between two good checks. */
  intervalSeconds: number;
  /** WATCH_BACKOFF_SECONDS: added per recent failure (a day, as Launchpad does). */
  backoffSeconds: number;
  /** At most this many steps of backoff (six, as Launchpad). */
  maxBackoffSteps: number;
}

export const DEFAULT_CHECK_SCHEDULE: CheckSchedule = { intervalSeconds: 21_600, backoffSeconds: 86_400, maxBackoffSteps: 6 };

/** After a good check: the next one a whole interval later. */
export function nextCheckAfterSuccess(now: Date, schedule: CheckSchedule): Date {
  return new Date(now.getTime() + schedule.intervalSeconds * 1000);
}

/**
 * After a failed check, `failures` counting this one: one backoff step per recent failure, up to
 * the maximum, never sooner than the interval nor than the time the tracker itself asked for.
 */
export function nextCheckAfterFailure(now: Date, failures: number, schedule: CheckSchedule, retryAt: Date | null = null): Date {
  const steps = Math.min(Math.max(failures, 1), schedule.maxBackoffSteps);
  const wait = Math.max(schedule.intervalSeconds, steps * schedule.backoffSeconds) * 1000;
  const at = now.getTime() + wait;
  return new Date(retryAt && retryAt.getTime() > at ? retryAt.getTime() : at);
}

/**
 * When the tracker's rate limit stops us: the check is not the record's failure, so the count
 * stays and the next check waits for the reset (or a minute when none was given).
 */
export function nextCheckAfterRateLimit(now: Date, retryAt: Date | null): Date {
  const soonest = now.getTime() + 60_000;
  return new Date(retryAt && retryAt.getTime() > soonest ? retryAt.getTime() : soonest);
}
