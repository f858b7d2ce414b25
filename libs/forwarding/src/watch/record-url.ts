import type { TrackerKind, WatchedTrackerKind } from './tracker-kind';
import { watchError } from './watch.reasons';

/** An upstream's own record of an item, as a link names it: enough to read it back. */
export type UpstreamRecord =
  | { kind: 'GITHUB'; url: string; owner: string; repo: string; number: number }
  | { kind: 'DEBBUGS'; url: string; origin: string; bug: number }
  | { kind: 'LAUNCHPAD'; url: string; target: string; bug: number }
  | { kind: 'BUGZILLA'; url: string; base: string; bug: number };

export const MAX_RECORD_URL = 500;

/** Where a bare Debian bug number lives. */
export const DEFAULT_DEBBUGS_ORIGIN = 'https://bugs.debian.org';

const EXAMPLES: Record<WatchedTrackerKind, string> = {
  GITHUB: 'a GitHub issue URL such as https://github.com/OWNER/REPO/issues/123',
  DEBBUGS: 'a bug number, https://HOST/123456 or https://HOST/cgi-bin/bugreport.cgi?bug=123456',
  LAUNCHPAD: 'a Launchpad bug URL such as https://bugs.launchpad.net/ubuntu/+source/PACKAGE/+bug/123456',
  BUGZILLA: 'a Bugzilla URL such as https://HOST/show_bug.cgi?id=123456',
};

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * Reads a link to an upstream's record for a tracker of `kind`; anything else is refused with a
 * message naming `url` and saying what was expected. `debbugsOrigin` is where a bare bug number
 * points (the upstream's tracker; Debian's by default).
 */
export function parseRecordUrl(kind: TrackerKind, raw: string, debbugsOrigin: string = DEFAULT_DEBBUGS_ORIGIN): UpstreamRecord {
  const text = raw.trim();
  if (kind === 'NONE') {
    throw watchError('TRACKER_NOT_WATCHED', 'url: this upstream keeps no tracker Headwaters can read back (its trackerKind is NONE)', 'url');
  }
  if (text.length === 0 || text.length > MAX_RECORD_URL) {
    throw watchError('INVALID_RECORD_URL', `url must be 1 to ${MAX_RECORD_URL} characters`, 'url');
  }
  const record = parseAs(kind, text, debbugsOrigin);
  if (!record) throw watchError('INVALID_RECORD_URL', `url: expected ${EXAMPLES[kind]}, got "${text}"`, 'url');
  return record;
}

function parseAs(kind: WatchedTrackerKind, text: string, debbugsOrigin: string): UpstreamRecord | null {
  if (kind === 'DEBBUGS' && /^#?\d{1,9}$/.test(text)) {
    const bug = positive(text.replace('#', ''));
    return bug === null ? null : { kind, origin: trimSlash(debbugsOrigin), bug, url: `${trimSlash(debbugsOrigin)}/${bug}` };
  }
  const url = webUrl(text);
  if (!url) return null;
  switch (kind) {
    case 'GITHUB':
      return github(url);
    case 'DEBBUGS':
      return debbugs(url);
    case 'LAUNCHPAD':
      return launchpad(url);
    case 'BUGZILLA':
      return bugzilla(url);
  }
}

function github(url: URL): UpstreamRecord | null {
  if (url.protocol !== 'https:' || !['github.com', 'www.github.com'].includes(url.hostname)) return null;
  const m = /^\/([^/]+)\/([^/]+)\/issues\/(\d+)\/?$/.exec(url.pathname);
  if (!m || !NAME.test(m[1]) || !NAME.test(m[2])) return null;
  const number = positive(m[3]);
  if (number === null) return null;
  return { kind: 'GITHUB', owner: m[1], repo: m[2], number, url: `https://github.com/${m[1]}/${m[2]}/issues/${number}` };
}

function debbugs(url: URL): UpstreamRecord | null {
  let bug: number | null = null;
  const short = /^\/(\d+)\/?$/.exec(url.pathname);
  if (short) bug = positive(short[1]);
  else if (/\/bugreport\.cgi$/.test(url.pathname)) bug = positive(url.searchParams.get('bug') ?? '');
  if (bug === null) return null;
  return { kind: 'DEBBUGS', origin: url.origin, bug, url: `${url.origin}/${bug}` };
}

function launchpad(url: URL): UpstreamRecord | null {
  if (url.protocol !== 'https:' || url.hostname !== 'bugs.launchpad.net') return null;
  const m = /^\/(.+)\/\+bug\/(\d+)\/?$/.exec(url.pathname);
  if (!m) return null;
  const target = m[1];
  if (!target.split('/').every((part) => part === '+source' || NAME.test(part))) return null;
  const bug = positive(m[2]);
  if (bug === null) return null;
  return { kind: 'LAUNCHPAD', target, bug, url: `https://bugs.launchpad.net/${target}/+bug/${bug}` };
}

function bugzilla(url: URL): UpstreamRecord | null {
  const m = /^(.*)\/show_bug\.cgi$/.exec(url.pathname);
  if (!m) return null;
  const bug = positive(url.searchParams.get('id') ?? '');
  if (bug === null) return null;
  const base = `${url.origin}${m[1]}`;
  return { kind: 'BUGZILLA', base, bug, url: `${base}/show_bug.cgi?id=${bug}` };
}

function webUrl(text: string): URL | null {
  if (!/^https?:\/\//i.test(text)) return null;
  try {
    const url = new URL(text);
    return url.username || url.password ? null : url;
  } catch {
    return null;
  }
}

function positive(digits: string): number | null {
  if (!/^\d{1,9}$/.test(digits)) return null;
  const n = Number(digits);
  return n > 0 ? n : null;
}

const trimSlash = (s: string): string => s.replace(/\/+$/, '');

/** Where a bare debbugs number points for an upstream: its tracker's origin, Debian's by default. */
export function debbugsOrigin(upstream: { trackerUrl: string | null }): string {
  const url = webUrl(upstream.trackerUrl ?? '');
  return url ? url.origin : DEFAULT_DEBBUGS_ORIGIN;
}
