import { DEFAULT_CHECK_SCHEDULE } from './check-schedule';
import { decideAfterCheck, type WatchedForward } from './check-decision';
import { TrackerCheckError } from './trackers/tracker-client';

const now = new Date('2026-12-01T10:00:00Z');
const linked: WatchedForward = { state: 'FORWARDED', remoteStatus: null, remoteEtag: null, checkFailures: 0 };
const read = (state: 'FORWARDED' | 'UPSTREAM_FIXED' | 'UPSTREAM_REJECTED', remoteStatus: string, etag: string | null = null) => ({ reading: { notModified: false as const, etag, state, remoteStatus } });

describe('deciding after a check', () => {
  it('takes the first reading silently when it keeps the state', () => {
    const d = decideAfterCheck(linked, read('FORWARDED', 'open', 'W/"1"'), now, DEFAULT_CHECK_SCHEDULE);
    expect(d).toMatchObject({ state: 'FORWARDED', remoteStatus: 'open', remoteEtag: 'W/"1"', checkError: null, checkFailures: 0, change: null });
    expect(d.nextCheckAt).toEqual(new Date('2026-12-01T16:00:00Z'));
  });

  it('follows a change of the remote status, and tells the timeline', () => {
    const d = decideAfterCheck({ ...linked, remoteStatus: 'open' }, read('UPSTREAM_FIXED', 'closed (completed)'), now, DEFAULT_CHECK_SCHEDULE);
    expect(d).toMatchObject({ state: 'UPSTREAM_FIXED', remoteStatus: 'closed (completed)', change: { previous: 'open', stateChanged: true } });
  });

  it('tells of a new remote status even when the state stays', () => {
    const d = decideAfterCheck({ ...linked, remoteStatus: 'New' }, read('FORWARDED', 'Triaged'), now, DEFAULT_CHECK_SCHEDULE);
    expect(d).toMatchObject({ state: 'FORWARDED', change: { previous: 'New', stateChanged: false } });
  });

  it('leaves a maintainer\'s outcome alone while the remote status does not change', () => {
    const overridden = { ...linked, state: 'UPSTREAM_REJECTED', remoteStatus: 'open' };
    expect(decideAfterCheck(overridden, read('FORWARDED', 'open'), now, DEFAULT_CHECK_SCHEDULE)).toMatchObject({ state: 'UPSTREAM_REJECTED', change: null });
    expect(decideAfterCheck({ ...overridden, remoteEtag: 'W/"1"' }, { reading: { notModified: true } }, now, DEFAULT_CHECK_SCHEDULE)).toMatchObject({ state: 'UPSTREAM_REJECTED', remoteEtag: 'W/"1"', change: null });
  });

  it('keeps the last reading on a failure, counts it and backs off a day per failure', () => {
    const d = decideAfterCheck({ ...linked, remoteStatus: 'open', checkFailures: 2 }, { failure: new TrackerCheckError('unavailable', 'GitHub answered 502 Bad Gateway') }, now, DEFAULT_CHECK_SCHEDULE);
    expect(d).toMatchObject({ state: 'FORWARDED', remoteStatus: 'open', checkError: 'GitHub answered 502 Bad Gateway', checkFailures: 3, change: null });
    expect(d.nextCheckAt).toEqual(new Date('2026-12-04T10:00:00Z'));
  });

  it('does not count a rate limit as the record\'s failure, and waits for the reset', () => {
    const reset = new Date('2026-12-01T10:40:00Z');
    const d = decideAfterCheck({ ...linked, checkFailures: 1 }, { failure: new TrackerCheckError('rate_limited', "GitHub's rate limit is used up until 10:40 UTC", reset) }, now, DEFAULT_CHECK_SCHEDULE);
    expect(d).toMatchObject({ checkFailures: 1, checkError: "GitHub's rate limit is used up until 10:40 UTC", nextCheckAt: reset });
  });

  it('clears the error and the failures after a good check', () => {
    expect(decideAfterCheck({ ...linked, remoteStatus: 'open', checkFailures: 4 }, read('FORWARDED', 'open'), now, DEFAULT_CHECK_SCHEDULE)).toMatchObject({ checkError: null, checkFailures: 0 });
  });
});
