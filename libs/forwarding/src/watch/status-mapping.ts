import type { WatchedForwardState } from './tracker-kind';

/**
 * How each tracker's own words map onto a forward's state. Each table is read top to bottom and
 * its first matching row wins; the remote status is always kept verbatim beside the state.
 */
export interface RemoteReading {
  state: WatchedForwardState;
  /** The upstream's own words: "closed (completed)", "done, fixed in 1.2.3-1", "Fix Released", "RESOLVED FIXED". */
  remoteStatus: string;
}

// ---------------------------------------------------------------- GitHub issues

/** `state` and `state_reason` of a GitHub issue (null reason: GitHub did not say, as for old issues). */
export const GITHUB_STATES: readonly { state: 'open' | 'closed'; reasons: readonly (string | null)[] | 'any'; to: WatchedForwardState }[] = [
  { state: 'open', reasons: 'any', to: 'FORWARDED' },
  { state: 'closed', reasons: ['completed', null], to: 'UPSTREAM_FIXED' },
  { state: 'closed', reasons: ['not_planned', 'duplicate'], to: 'UPSTREAM_REJECTED' },
  // A reason GitHub adds later is not guessed at: the issue is closed, so the upstream is done with it.
  { state: 'closed', reasons: 'any', to: 'UPSTREAM_REJECTED' },
];

export function readGithubState(state: string, stateReason: string | null | undefined): RemoteReading | null {
  const reason = stateReason ?? null;
  const row = GITHUB_STATES.find((r) => r.state === state && (r.reasons === 'any' || r.reasons.includes(reason)));
  if (!row) return null;
  return { state: row.to, remoteStatus: reason ? `${state} (${reason})` : state };
}

// ---------------------------------------------------------------- Debbugs

/** What a debbugs `get_status` answer says of one bug. */
export interface DebbugsStatus {
  /** Who closed it; empty while open. */
  done: string;
  /** The `pending` field: pending, forwarded, pending-fixed, fixed, done. */
  pending: string;
  tags: readonly string[];
  fixedVersions: readonly string[];
}

export const DEBBUGS_RULES: readonly { when: string; test: (s: DebbugsStatus) => boolean; to: WatchedForwardState }[] = [
  // A bug closed as wontfix was declined, not fixed.
  { when: 'tagged wontfix', test: (s) => s.tags.includes('wontfix'), to: 'UPSTREAM_REJECTED' },
  { when: 'done set', test: (s) => s.done.trim() !== '', to: 'UPSTREAM_FIXED' },
  { when: 'otherwise', test: () => true, to: 'FORWARDED' },
];

export function readDebbugsStatus(s: DebbugsStatus): RemoteReading {
  const row = DEBBUGS_RULES.find((r) => r.test(s))!;
  const words = [s.done.trim() !== '' ? 'done' : s.pending || 'pending'];
  if (s.fixedVersions.length > 0) words.push(`fixed in ${s.fixedVersions.join(', ')}`);
  if (s.tags.length > 0) words.push(`tagged ${s.tags.join(' ')}`);
  return { state: row.to, remoteStatus: words.join(', ') };
}

// ---------------------------------------------------------------- Launchpad

/** Every Launchpad bug task status, as its API spells it. */
export const LAUNCHPAD_STATUSES: Readonly<Record<string, WatchedForwardState>> = {
  New: 'FORWARDED',
  Incomplete: 'FORWARDED',
  'Incomplete (with response)': 'FORWARDED',
  'Incomplete (without response)': 'FORWARDED',
  Confirmed: 'FORWARDED',
  Triaged: 'FORWARDED',
  'In Progress': 'FORWARDED',
  Deferred: 'FORWARDED',
  Unknown: 'FORWARDED',
  'Fix Committed': 'UPSTREAM_FIXED',
  'Fix Released': 'UPSTREAM_FIXED',
  "Won't Fix": 'UPSTREAM_REJECTED',
  Invalid: 'UPSTREAM_REJECTED',
  Opinion: 'UPSTREAM_REJECTED',
  Expired: 'UPSTREAM_REJECTED',
  'Does Not Exist': 'UPSTREAM_REJECTED',
};

export function readLaunchpadStatus(status: string): RemoteReading {
  return { state: LAUNCHPAD_STATUSES[status] ?? 'FORWARDED', remoteStatus: status };
}

// ---------------------------------------------------------------- Bugzilla

const BUGZILLA_CLOSED = ['RESOLVED', 'VERIFIED', 'CLOSED'];

export const BUGZILLA_RULES: readonly { when: string; test: (status: string, resolution: string) => boolean; to: WatchedForwardState }[] = [
  { when: 'RESOLVED, VERIFIED or CLOSED with FIXED', test: (st, res) => BUGZILLA_CLOSED.includes(st) && res === 'FIXED', to: 'UPSTREAM_FIXED' },
  { when: 'RESOLVED, VERIFIED or CLOSED with any other resolution', test: (st) => BUGZILLA_CLOSED.includes(st), to: 'UPSTREAM_REJECTED' },
  { when: 'otherwise (NEW, ASSIGNED, REOPENED, CONFIRMED, ...)', test: () => true, to: 'FORWARDED' },
];

export function readBugzillaStatus(status: string, resolution: string): RemoteReading {
  const st = status.trim().toUpperCase();
  const res = resolution.trim().toUpperCase();
  const row = BUGZILLA_RULES.find((r) => r.test(st, res))!;
  return { state: row.to, remoteStatus: [status.trim(), resolution.trim()].filter(Boolean).join(' ') };
}
