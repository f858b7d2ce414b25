import { parseRecordUrl } from './record-url';
import { recordName, statusChangeSummary } from './watch-summary';

const github = parseRecordUrl('GITHUB', 'https://github.com/xapi-project/xen-api/issues/123');

describe('watch summaries', () => {
  it('say who closed a GitHub issue and why, in the words of the issue', () => {
    expect(statusChangeSummary(github, 'Xen Project XAPI sub-project', 'open', { state: 'UPSTREAM_FIXED', remoteStatus: 'closed (completed)' })).toBe('xapi-project closed it (completed) in xapi-project/xen-api#123');
    expect(statusChangeSummary(github, 'x', 'open', { state: 'UPSTREAM_REJECTED', remoteStatus: 'closed (not_planned)' }, 'robhoes')).toBe('robhoes closed it (not_planned) in xapi-project/xen-api#123');
    expect(statusChangeSummary(github, 'x', 'closed (completed)', { state: 'FORWARDED', remoteStatus: 'open (reopened)' })).toBe('xapi-project reopened it in xapi-project/xen-api#123');
    expect(statusChangeSummary(github, 'x', null, { state: 'FORWARDED', remoteStatus: 'open' })).toBe('xapi-project has it open in xapi-project/xen-api#123');
  });

  it('name the other trackers\' records and keep their words', () => {
    expect(statusChangeSummary(parseRecordUrl('DEBBUGS', '123456'), 'Debian', 'pending', { state: 'UPSTREAM_FIXED', remoteStatus: 'done, fixed in 1.2.3-1' })).toBe('Debian marked bug #123456 at bugs.debian.org done, fixed in 1.2.3-1');
    expect(statusChangeSummary(parseRecordUrl('LAUNCHPAD', 'https://bugs.launchpad.net/ubuntu/+source/xcp-xapi/+bug/77'), 'Ubuntu', 'New', { state: 'UPSTREAM_FIXED', remoteStatus: 'Fix Released' })).toBe('Ubuntu set Launchpad bug #77 (xcp-xapi (Ubuntu)) to Fix Released');
    expect(recordName(parseRecordUrl('BUGZILLA', 'https://bugs.centos.org/bugzilla/show_bug.cgi?id=15'))).toBe('bug 15 at bugs.centos.org');
  });
});
