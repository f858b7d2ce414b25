import { nextCheckAfterFailure, nextCheckAfterRateLimit, nextCheckAfterSuccess, type CheckSchedule } from './check-schedule';
import type { RemoteReading } from './status-mapping';
import type { TrackerCheckError, TrackerReading } from './trackers/tracker-client';

/** What a forward holds of its watch. */
export interface WatchedForward {
  state: string;
  remoteStatus: string | null;
  remoteEtag: string | null;
  checkFailures: number;
}

/** What a check, or a webhook, found. */
export type CheckOutcome = { reading: TrackerReading } | { failure: TrackerCheckError };

/** What to write on the forward after a check, and whether the timeline hears of it. */
export interface CheckDecision {
  state: string;
  remoteStatus: string | null;
  remoteEtag: string | null;
  checkError: string | null;
  checkFailures: number;
  nextCheckAt: Date;
  /** Set when the upstream's status changed in a way worth an UPSTREAM_STATUS_CHANGED event. */
  change: { previous: string | null; reading: RemoteReading; stateChanged: boolean } | null;
}

/**
 * Edge-triggered, as bts-link: the forward's state follows the upstream only when the upstream's
 * own status changes. A status read again unchanged (or a 304) leaves the state alone, so a
 * maintainer's recorded outcome survives every later check. The first reading after a link is an
 * event only when it moves the state; failures keep the last reading and push the next check out.
 */
export function decideAfterCheck(forward: WatchedForward, outcome: CheckOutcome, now: Date, schedule: CheckSchedule): CheckDecision {
  if ('failure' in outcome) {
    const rateLimited = outcome.failure.kind === 'rate_limited';
    const failures = rateLimited ? forward.checkFailures : forward.checkFailures + 1;
    return {
      state: forward.state,
      remoteStatus: forward.remoteStatus,
      remoteEtag: forward.remoteEtag,
      checkError: inWords(outcome.failure.message),
      checkFailures: failures,
      nextCheckAt: rateLimited ? nextCheckAfterRateLimit(now, outcome.failure.retryAt) : nextCheckAfterFailure(now, failures, schedule, outcome.failure.retryAt),
      change: null,
    };
  }
  const settled = { checkError: null, checkFailures: 0, nextCheckAt: nextCheckAfterSuccess(now, schedule) };
  const reading = outcome.reading;
  if (reading.notModified || reading.remoteStatus === forward.remoteStatus) {
    return { state: forward.state, remoteStatus: forward.remoteStatus, remoteEtag: reading.notModified ? forward.remoteEtag : reading.etag, ...settled, change: null };
  }
  const stateChanged = reading.state !== forward.state;
  const worthTelling = stateChanged || forward.remoteStatus !== null;
  return {
    state: reading.state,
    remoteStatus: reading.remoteStatus,
    remoteEtag: reading.etag,
    ...settled,
    change: worthTelling ? { previous: forward.remoteStatus, reading: { state: reading.state, remoteStatus: reading.remoteStatus }, stateChanged } : null,
  };
}

/** Longest checkError kept. */
export const MAX_CHECK_ERROR = 500;

function inWords(message: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = message.replace(/\u0000/g, '\ufffd');
  return clean.length > MAX_CHECK_ERROR ? `${clean.slice(0, MAX_CHECK_ERROR - 1)}…` : clean;
}
