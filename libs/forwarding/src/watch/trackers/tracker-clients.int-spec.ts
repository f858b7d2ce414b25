import { FakeBugzilla, FakeDebbugs, FakeGithub, FakeLaunchpad } from '../../../../../test/support/fake-trackers';
import { parseRecordUrl } from '../record-url';
import { TrackerCheckError } from './tracker-client';
import { TrackerClients } from './tracker-clients';

async function failure(p: Promise<unknown>): Promise<TrackerCheckError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TrackerCheckError) return e;
    throw e;
  }
  throw new Error('expected the check to fail');
}

describe('tracker clients against trackers that answer as the real APIs do', () => {
  const github = new FakeGithub();
  const debbugs = new FakeDebbugs();
  const launchpad = new FakeLaunchpad();
  const bugzilla = new FakeBugzilla();
  let clients: TrackerClients;
  const options = () => ({ githubApiUrl: github.url, githubToken: 'tok-123', launchpadApiUrl: launchpad.apiUrl, timeoutMs: 400, userAgent: 'Headwaters/test' });

  beforeAll(async () => {
    await Promise.all([github.start(), debbugs.start(), launchpad.start(), bugzilla.start()]);
  });
  afterAll(() => Promise.all([github.close(), debbugs.close(), launchpad.close(), bugzilla.close()]));
  beforeEach(() => {
    clients = new TrackerClients(options());
    github.rateLimit = { limit: 60, remaining: 60, reset: Math.floor(Date.now() / 1000) + 3600 };
    github.retryAfterSeconds = null;
    for (const fake of [github, debbugs, launchpad, bugzilla]) fake.fault('*', null);
  });

  describe('GitHub', () => {
    const record = parseRecordUrl('GITHUB', 'https://github.com/xapi-project/xen-api/issues/123');

    it('sends the headers GitHub asks for and reads state and state_reason verbatim', async () => {
      github.setIssue('xapi-project/xen-api#123', { state: 'closed', state_reason: 'completed' });
      const reading = await clients.read(record, null);
      expect(reading).toEqual({ notModified: false, etag: expect.stringMatching(/^W\/"/), state: 'UPSTREAM_FIXED', remoteStatus: 'closed (completed)' });
      const sent = github.seen('/repos/xapi-project/xen-api/issues/123').at(-1)!;
      expect(sent.headers).toMatchObject({ accept: 'application/vnd.github+json', authorization: 'Bearer tok-123', 'user-agent': 'Headwaters/test' });
    });

    it.each([
      [{ state: 'open', state_reason: null }, 'FORWARDED', 'open'],
      [{ state: 'open', state_reason: 'reopened' }, 'FORWARDED', 'open (reopened)'],
      [{ state: 'closed', state_reason: 'not_planned' }, 'UPSTREAM_REJECTED', 'closed (not_planned)'],
      [{ state: 'closed', state_reason: 'duplicate' }, 'UPSTREAM_REJECTED', 'closed (duplicate)'],
    ] as const)('maps %o to %s', async (issue, state, words) => {
      github.setIssue('xapi-project/xen-api#123', issue);
      await expect(clients.read(record, null)).resolves.toMatchObject({ state, remoteStatus: words });
    });

    it('sends the stored ETag and takes a 304 as unchanged, which costs no rate limit', async () => {
      github.setIssue('xapi-project/xen-api#123', { state: 'open', state_reason: null });
      const first = await clients.read(record, null);
      const remaining = github.rateLimit.remaining;
      const etag = first.notModified ? null : first.etag;
      await expect(clients.read(record, etag)).resolves.toEqual({ notModified: true });
      expect(github.seen().at(-1)!.headers['if-none-match']).toBe(etag);
      expect(github.rateLimit.remaining).toBe(remaining);
    });

    it('stops asking once the rate limit is used up, until it resets, and says until when', async () => {
      github.setIssue('xapi-project/xen-api#123', { state: 'open', state_reason: null });
      const reset = Math.floor(Date.now() / 1000) + 1800;
      github.rateLimit = { limit: 60, remaining: 0, reset };
      const e = await failure(clients.read(record, null));
      expect(e).toMatchObject({ kind: 'rate_limited', retryAt: new Date(reset * 1000) });
      expect(e.message).toMatch(/^GitHub's rate limit is used up until \d\d:\d\d UTC$/);
      const before = github.requests.length;
      await expect(failure(clients.read(record, null))).resolves.toMatchObject({ kind: 'rate_limited' });
      expect(github.requests.length).toBe(before);
    });

    it('honours Retry-After of a secondary rate limit', async () => {
      github.retryAfterSeconds = 120;
      const e = await failure(clients.read(record, null));
      expect(e.kind).toBe('rate_limited');
      expect(e.retryAt!.getTime()).toBeGreaterThan(Date.now() + 100_000);
    });

    it('says in words when the issue is missing, the server fails, answers garbage or nothing', async () => {
      await expect(failure(clients.read(parseRecordUrl('GITHUB', 'https://github.com/xapi-project/xen-api/issues/999'), null))).resolves.toMatchObject({ kind: 'not_found', message: 'GitHub has no issue xapi-project/xen-api#999 (404), or it is private' });
      github.fault('*', 'error500');
      await expect(failure(clients.read(record, null))).resolves.toMatchObject({ kind: 'unavailable', message: 'GitHub answered 500 Internal Server Error' });
      github.fault('*', 'garbage');
      await expect(failure(clients.read(record, null))).resolves.toMatchObject({ kind: 'bad_answer', message: expect.stringContaining('not JSON') });
      github.fault('*', 'hang');
      await expect(failure(clients.read(record, null))).resolves.toMatchObject({ kind: 'timeout', message: 'GitHub did not answer within 0.4 s' });
      github.fault('*', 'drop');
      await expect(failure(clients.read(record, null))).resolves.toMatchObject({ kind: 'unreachable', message: expect.stringContaining('GitHub could not be reached') });
    });
  });

  describe('Debbugs', () => {
    const record = () => parseRecordUrl('DEBBUGS', `${debbugs.url}/123456`);

    it('calls get_status over SOAP and keeps done and the fixed versions', async () => {
      debbugs.setBug(123456, { done: 'Maintainer <m@debian.org>', fixed_versions: ['1.2.3-1'] });
      await expect(clients.read(record(), null)).resolves.toEqual({ notModified: false, etag: null, state: 'UPSTREAM_FIXED', remoteStatus: 'done, fixed in 1.2.3-1' });
      const sent = debbugs.seen('/cgi-bin/soap.cgi').at(-1)!;
      expect(sent.method).toBe('POST');
      expect(sent.body).toContain('<get_status xmlns="Debbugs/SOAP">');
      expect(sent.headers['content-type']).toMatch(/^text\/xml/);
    });

    it('reads wontfix as rejected and an open bug as forwarded', async () => {
      debbugs.setBug(123456, { tags: ['wontfix'] });
      await expect(clients.read(record(), null)).resolves.toMatchObject({ state: 'UPSTREAM_REJECTED', remoteStatus: 'pending, tagged wontfix' });
      debbugs.setBug(123456, { pending: 'forwarded', tags: ['upstream'] });
      await expect(clients.read(record(), null)).resolves.toMatchObject({ state: 'FORWARDED', remoteStatus: 'forwarded, tagged upstream' });
    });

    it('says so for an unknown bug, a 500, garbage and silence', async () => {
      await expect(failure(clients.read(parseRecordUrl('DEBBUGS', `${debbugs.url}/5`), null))).resolves.toMatchObject({ kind: 'not_found', message: expect.stringMatching(/has no bug #5$/) });
      debbugs.fault('*', 'error500');
      await expect(failure(clients.read(record(), null))).resolves.toMatchObject({ kind: 'unavailable' });
      debbugs.fault('*', 'garbage');
      await expect(failure(clients.read(record(), null))).resolves.toMatchObject({ kind: 'bad_answer' });
      debbugs.fault('*', 'hang');
      await expect(failure(clients.read(record(), null))).resolves.toMatchObject({ kind: 'timeout' });
    });
  });

  describe('Launchpad', () => {
    const record = parseRecordUrl('LAUNCHPAD', 'https://bugs.launchpad.net/ubuntu/+source/xcp-xapi/+bug/2000001');

    it('reads the task of the linked target among the bug\'s tasks', async () => {
      launchpad.setTasks(2000001, [
        { target: 'xen-api', bug_target_name: 'xen-api', status: 'Confirmed' },
        { target: 'ubuntu/+source/xcp-xapi', bug_target_name: 'xcp-xapi (Ubuntu)', status: 'Fix Released' },
      ]);
      await expect(clients.read(record, null)).resolves.toEqual({ notModified: false, etag: null, state: 'UPSTREAM_FIXED', remoteStatus: 'Fix Released' });
      expect(launchpad.seen('/1.0/bugs/2000001/bug_tasks')).not.toHaveLength(0);
    });

    it.each([["Won't Fix", 'UPSTREAM_REJECTED'], ['Invalid', 'UPSTREAM_REJECTED'], ['Opinion', 'UPSTREAM_REJECTED'], ['Expired', 'UPSTREAM_REJECTED'], ['Fix Committed', 'UPSTREAM_FIXED'], ['Triaged', 'FORWARDED'], ['New', 'FORWARDED']])('maps %s to %s', async (status, state) => {
      launchpad.setTasks(2000001, [{ target: 'ubuntu/+source/xcp-xapi', bug_target_name: 'xcp-xapi (Ubuntu)', status }]);
      await expect(clients.read(record, null)).resolves.toMatchObject({ state, remoteStatus: status });
    });

    it('says so when the bug or the target\'s task is missing, or the server fails', async () => {
      launchpad.setTasks(2000001, [{ target: 'debian/+source/xcp-xapi', bug_target_name: 'xcp-xapi (Debian)', status: 'New' }]);
      await expect(failure(clients.read(record, null))).resolves.toMatchObject({ kind: 'not_found', message: 'Launchpad bug #2000001 has no task for xcp-xapi (Ubuntu) (its tasks: xcp-xapi (Debian))' });
      await expect(failure(clients.read(parseRecordUrl('LAUNCHPAD', 'https://bugs.launchpad.net/xen-api/+bug/7'), null))).resolves.toMatchObject({ kind: 'not_found', message: 'Launchpad has no bug #7 (404)' });
      launchpad.fault('*', 'error500');
      await expect(failure(clients.read(record, null))).resolves.toMatchObject({ kind: 'unavailable', message: 'Launchpad answered 500 Internal Server Error' });
      launchpad.fault('*', 'garbage');
      await expect(failure(clients.read(record, null))).resolves.toMatchObject({ kind: 'bad_answer' });
    });
  });

  describe('Bugzilla', () => {
    const record = () => parseRecordUrl('BUGZILLA', `${bugzilla.base}/show_bug.cgi?id=15`);

    it('asks the REST API under the path before show_bug.cgi for status and resolution', async () => {
      bugzilla.setBug(15, { status: 'RESOLVED', resolution: 'FIXED' });
      await expect(clients.read(record(), null)).resolves.toEqual({ notModified: false, etag: null, state: 'UPSTREAM_FIXED', remoteStatus: 'RESOLVED FIXED' });
      expect(bugzilla.seen('/bugzilla/rest/bug/15?include_fields=status,resolution')).toHaveLength(1);
    });

    it.each([['VERIFIED', 'WONTFIX', 'UPSTREAM_REJECTED', 'VERIFIED WONTFIX'], ['CLOSED', 'DUPLICATE', 'UPSTREAM_REJECTED', 'CLOSED DUPLICATE'], ['ASSIGNED', '', 'FORWARDED', 'ASSIGNED'], ['REOPENED', '', 'FORWARDED', 'REOPENED']])('maps %s %s to %s', async (status, resolution, state, words) => {
      bugzilla.setBug(15, { status, resolution });
      await expect(clients.read(record(), null)).resolves.toMatchObject({ state, remoteStatus: words });
    });

    it('reads Bugzilla\'s own errors and server failures into words', async () => {
      await expect(failure(clients.read(parseRecordUrl('BUGZILLA', `${bugzilla.base}/show_bug.cgi?id=404`), null))).resolves.toMatchObject({ kind: 'not_found', message: expect.stringContaining('Bug #404 does not exist.') });
      bugzilla.setBug(16, { status: 'NEW', resolution: '', private: true });
      await expect(failure(clients.read(parseRecordUrl('BUGZILLA', `${bugzilla.base}/show_bug.cgi?id=16`), null))).resolves.toMatchObject({ kind: 'refused' });
      bugzilla.fault('*', 'error500');
      await expect(failure(clients.read(record(), null))).resolves.toMatchObject({ kind: 'unavailable' });
      bugzilla.fault('*', 'hang');
      await expect(failure(clients.read(record(), null))).resolves.toMatchObject({ kind: 'timeout' });
    });
  });

  it('a tracker that hangs does not hold up the others', async () => {
    launchpad.fault('*', 'hang');
    bugzilla.setBug(15, { status: 'NEW', resolution: '' });
    const started = Date.now();
    const [slow, quick] = await Promise.allSettled([
      clients.read(parseRecordUrl('LAUNCHPAD', 'https://bugs.launchpad.net/xen-api/+bug/1'), null),
      clients.read(record15(), null).then((r) => ({ r, at: Date.now() - started })),
    ]);
    expect(slow.status).toBe('rejected');
    expect(quick.status === 'fulfilled' && quick.value.at).toBeLessThan(300);
    function record15() {
      return parseRecordUrl('BUGZILLA', `${bugzilla.base}/show_bug.cgi?id=15`);
    }
  });
});
