import { BUGZILLA_RULES, DEBBUGS_RULES, GITHUB_STATES, LAUNCHPAD_STATUSES, readBugzillaStatus, readDebbugsStatus, readGithubState, readLaunchpadStatus } from './status-mapping';

describe('GitHub issue states', () => {
  it('has the four rows tested below', () => expect(GITHUB_STATES).toHaveLength(4));
  it.each([
    ['open', null, 'FORWARDED', 'open'],
    ['open', 'reopened', 'FORWARDED', 'open (reopened)'],
    ['closed', 'completed', 'UPSTREAM_FIXED', 'closed (completed)'],
    ['closed', null, 'UPSTREAM_FIXED', 'closed'],
    ['closed', 'not_planned', 'UPSTREAM_REJECTED', 'closed (not_planned)'],
    ['closed', 'duplicate', 'UPSTREAM_REJECTED', 'closed (duplicate)'],
    ['closed', 'some_future_reason', 'UPSTREAM_REJECTED', 'closed (some_future_reason)'],
  ] as const)('%s + %s -> %s, remote status "%s"', (state, reason, to, words) => {
    expect(readGithubState(state, reason)).toEqual({ state: to, remoteStatus: words });
  });
  it('knows no state but open and closed', () => expect(readGithubState('locked', null)).toBeNull());
});

describe('Debbugs statuses', () => {
  const open = { done: '', pending: 'pending', tags: [], fixedVersions: [] };
  it('has the three rows tested below', () => expect(DEBBUGS_RULES).toHaveLength(3));
  it('tagged wontfix -> UPSTREAM_REJECTED (even once closed)', () => {
    expect(readDebbugsStatus({ ...open, tags: ['wontfix'] })).toEqual({ state: 'UPSTREAM_REJECTED', remoteStatus: 'pending, tagged wontfix' });
    expect(readDebbugsStatus({ ...open, done: 'Maintainer <m@debian.org>', pending: 'done', tags: ['wontfix', 'upstream'] })).toEqual({ state: 'UPSTREAM_REJECTED', remoteStatus: 'done, tagged wontfix upstream' });
  });
  it('done set -> UPSTREAM_FIXED, with the fixed versions kept', () => {
    expect(readDebbugsStatus({ ...open, done: 'Maintainer <m@debian.org>', pending: 'done', fixedVersions: ['1.2.3-1'] })).toEqual({ state: 'UPSTREAM_FIXED', remoteStatus: 'done, fixed in 1.2.3-1' });
  });
  it('otherwise -> FORWARDED, in its own words', () => {
    expect(readDebbugsStatus(open)).toEqual({ state: 'FORWARDED', remoteStatus: 'pending' });
    expect(readDebbugsStatus({ ...open, pending: 'pending-fixed', fixedVersions: ['xcp-xapi/1.2.3-1'] })).toEqual({ state: 'FORWARDED', remoteStatus: 'pending-fixed, fixed in xcp-xapi/1.2.3-1' });
  });
});

describe('Launchpad task statuses', () => {
  it.each(Object.entries(LAUNCHPAD_STATUSES))('%s -> %s', (status, to) => {
    expect(readLaunchpadStatus(status)).toEqual({ state: to, remoteStatus: status });
  });
  it('the fix statuses and the refusals are the ones the issue names', () => {
    expect(Object.entries(LAUNCHPAD_STATUSES).filter(([, to]) => to === 'UPSTREAM_FIXED').map(([s]) => s)).toEqual(['Fix Committed', 'Fix Released']);
    expect(Object.entries(LAUNCHPAD_STATUSES).filter(([, to]) => to === 'UPSTREAM_REJECTED').map(([s]) => s)).toEqual(["Won't Fix", 'Invalid', 'Opinion', 'Expired', 'Does Not Exist']);
  });
  it('an unknown status stays FORWARDED, kept verbatim', () => expect(readLaunchpadStatus('Brand New')).toEqual({ state: 'FORWARDED', remoteStatus: 'Brand New' }));
});

describe('Bugzilla statuses', () => {
  it('has the three rows tested below', () => expect(BUGZILLA_RULES).toHaveLength(3));
  it.each([
    ['RESOLVED', 'FIXED', 'UPSTREAM_FIXED', 'RESOLVED FIXED'],
    ['VERIFIED', 'FIXED', 'UPSTREAM_FIXED', 'VERIFIED FIXED'],
    ['CLOSED', 'FIXED', 'UPSTREAM_FIXED', 'CLOSED FIXED'],
  ])('row 1: %s %s -> %s', (st, res, to, words) => expect(readBugzillaStatus(st, res)).toEqual({ state: to, remoteStatus: words }));
  it.each([
    ['RESOLVED', 'WONTFIX', 'RESOLVED WONTFIX'],
    ['RESOLVED', 'INVALID', 'RESOLVED INVALID'],
    ['VERIFIED', 'DUPLICATE', 'VERIFIED DUPLICATE'],
    ['CLOSED', 'WORKSFORME', 'CLOSED WORKSFORME'],
    ['CLOSED', 'NOTABUG', 'CLOSED NOTABUG'],
  ])('row 2: %s %s -> UPSTREAM_REJECTED', (st, res, words) => expect(readBugzillaStatus(st, res)).toEqual({ state: 'UPSTREAM_REJECTED', remoteStatus: words }));
  it.each([
    ['NEW', '', 'NEW'],
    ['ASSIGNED', '', 'ASSIGNED'],
    ['REOPENED', '', 'REOPENED'],
    ['CONFIRMED', '', 'CONFIRMED'],
  ])('row 3: %s -> FORWARDED', (st, res, words) => expect(readBugzillaStatus(st, res)).toEqual({ state: 'FORWARDED', remoteStatus: words }));
});
