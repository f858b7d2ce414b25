import { UpstreamWatchService, WatchSweepService } from '@headwaters/forwarding';
import { parseGlobalId, toGlobalId } from '@headwaters/graphql-kit';
import { createActor, createAdmin, type TestActor } from './support/actors';
import { FakeBugzilla, FakeDebbugs, FakeGithub, FakeLaunchpad } from './support/fake-trackers';
import { fileBug, writtenCounts } from './support/items';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';
import { checkRecord, checkRecordRaw, linkRecord, linkRecordRaw, timelineOf, until, watchColumns, type ForwardView } from './support/watching';

const OUTCOME = `mutation ($input: RecordUpstreamOutcomeInput!) { recordUpstreamOutcome(input: $input) { item { number } } }`;
const FORWARDS = `query ($n: Int!) { item(number: $n) { forwards { id state url remoteStatus lastCheckedAt checkError upstream { slug } } } }`;
const DAY = 86_400_000;

describe('watching upstream records', () => {
  const github = new FakeGithub();
  const debbugs = new FakeDebbugs();
  const launchpad = new FakeLaunchpad();
  const bugzilla = new FakeBugzilla();
  let app: TestApp;
  let admin: TestActor;
  let reporter: TestActor;
  let xapi: TestActor;
  const forwardsOf = async (n: number) => (await app.gql<{ item: { forwards: ForwardView[] } }>(FORWARDS, { n })).body.data!.item.forwards;

  beforeAll(async () => {
    await Promise.all([github.start(), debbugs.start(), launchpad.start(), bugzilla.start()]);
    app = await startTestApp({ withWorker: true, config: { GITHUB_API_URL: github.url, LAUNCHPAD_API_URL: launchpad.apiUrl, WATCH_TIMEOUT_MS: 500, WATCH_INTERVAL_SECONDS: 0 } });
    admin = await createAdmin(app);
    reporter = await createActor(app);
    xapi = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'xapi-project' }] });
    const setKind = await app.gql(`mutation { updateUpstream(input: { slug: "centos", trackerKind: BUGZILLA }) { upstream { slug trackerKind } } }`, {}, { token: admin.token });
    expect(setKind.body.errors).toBeUndefined();
  });
  afterAll(async () => {
    await app.close();
    await Promise.all([github.close(), debbugs.close(), launchpad.close(), bugzilla.close()]);
  });
  beforeEach(() => {
    for (const fake of [github, debbugs, launchpad, bugzilla]) fake.fault('*', null);
    github.rateLimit = { limit: 60, remaining: 60, reset: Math.floor(Date.now() / 1000) + 3600 };
  });

  describe('linking', () => {
    it('refuses a URL of another tracker kind, naming url, and writes nothing', async () => {
      const bug = await fileBug(app, reporter, { componentSlug: 'xapi' });
      const before = await writtenCounts(app);
      for (const url of ['https://bugs.debian.org/123456', 'https://github.com/xapi-project/xen-api/pull/5', 'not a url']) {
        const response = await linkRecordRaw(app, xapi, { itemId: bug.id, url });
        expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
      }
      expect(await writtenCounts(app)).toEqual(before);
      expect(await app.sql(`SELECT 1 FROM forward f JOIN item i ON i.id = f.item_id WHERE i.number = $1`, [bug.number])).toEqual([]);
    });

    it('is for the item\'s maintainers: anonymous is UNAUTHENTICATED, a stranger FORBIDDEN', async () => {
      const bug = await fileBug(app, reporter, { componentSlug: 'xapi' });
      expect(errorCodes(await linkRecordRaw(app, null, { itemId: bug.id, url: 'https://github.com/xapi-project/xen-api/issues/1' }))).toEqual(['UNAUTHENTICATED']);
      expect(errorCodes(await linkRecordRaw(app, reporter, { itemId: bug.id, url: 'https://github.com/xapi-project/xen-api/issues/1' }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await linkRecordRaw(app, xapi, { itemId: bug.id, upstreamSlug: 'nope', url: 'https://github.com/xapi-project/xen-api/issues/1' }))).toEqual(['NOT_FOUND']);
    });

    it('makes the forward FORWARDED with the canonical URL, and says so on the timeline', async () => {
      const bug = await fileBug(app, reporter, { componentSlug: 'xapi' });
      const forward = await linkRecord(app, xapi, bug.id, 'https://github.com/xapi-project/xen-api/issues/101#issuecomment-1');
      expect(forward).toMatchObject({ state: 'FORWARDED', url: 'https://github.com/xapi-project/xen-api/issues/101', remoteStatus: null, checkError: null, upstream: { slug: 'xapi-project' } });
      const events = await timelineOf(app, bug.number);
      expect(events.at(-1)).toMatchObject({ type: 'UPSTREAM_LINKED', summary: expect.stringContaining('linked the forward to Xen Project XAPI sub-project to xapi-project/xen-api#101') });
    });
  });

  describe('GitHub', () => {
    it('follows the issue: open, closed (completed), a 304 when unchanged, reopened', async () => {
      const bug = await fileBug(app, reporter, { componentSlug: 'xapi' });
      github.setIssue('xapi-project/xen-api#123', { state: 'open', state_reason: null });
      const linked = await linkRecord(app, xapi, bug.id, 'https://github.com/xapi-project/xen-api/issues/123');
      expect(await checkRecord(app, xapi, linked.id)).toMatchObject({ state: 'FORWARDED', remoteStatus: 'open', checkError: null, lastCheckedAt: expect.any(String) });

      github.setIssue('xapi-project/xen-api#123', { state: 'closed', state_reason: 'completed' });
      expect(await checkRecord(app, xapi, linked.id)).toMatchObject({ state: 'UPSTREAM_FIXED', remoteStatus: 'closed (completed)' });
      expect((await timelineOf(app, bug.number)).at(-1)).toMatchObject({ type: 'UPSTREAM_STATUS_CHANGED', summary: 'xapi-project closed it (completed) in xapi-project/xen-api#123', actor: null });

      const etag = (await watchColumns(app, linked.url!)).remote_etag;
      const remaining = github.rateLimit.remaining;
      expect(await checkRecord(app, xapi, linked.id)).toMatchObject({ state: 'UPSTREAM_FIXED', remoteStatus: 'closed (completed)' });
      expect(github.seen('/repos/xapi-project/xen-api/issues/123').at(-1)!.headers['if-none-match']).toBe(etag);
      expect(github.rateLimit.remaining).toBe(remaining);

      github.setIssue('xapi-project/xen-api#123', { state: 'open', state_reason: 'reopened' });
      expect(await checkRecord(app, xapi, linked.id)).toMatchObject({ state: 'FORWARDED', remoteStatus: 'open (reopened)' });
      expect((await timelineOf(app, bug.number)).at(-1)).toMatchObject({ summary: 'xapi-project reopened it in xapi-project/xen-api#123' });
    });

    it('maps not_planned and duplicate to UPSTREAM_REJECTED, keeping the words', async () => {
      for (const [n, reason] of [[201, 'not_planned'], [202, 'duplicate']] as const) {
        const bug = await fileBug(app, reporter, { componentSlug: 'xapi' });
        github.setIssue(`xapi-project/xen-api#${n}`, { state: 'closed', state_reason: reason });
        const linked = await linkRecord(app, xapi, bug.id, `https://github.com/xapi-project/xen-api/issues/${n}`);
        expect(await checkRecord(app, xapi, linked.id)).toMatchObject({ state: 'UPSTREAM_REJECTED', remoteStatus: `closed (${reason})` });
      }
    });

    it('keeps a maintainer\'s recorded outcome while the remote status does not change', async () => {
      const bug = await fileBug(app, reporter, { componentSlug: 'xapi' });
      github.setIssue('xapi-project/xen-api#300', { state: 'open', state_reason: null });
      const linked = await linkRecord(app, xapi, bug.id, 'https://github.com/xapi-project/xen-api/issues/300');
      await checkRecord(app, xapi, linked.id);
      const outcome = await app.gql(OUTCOME, { input: { itemId: bug.id, state: 'UPSTREAM_REJECTED' } }, { token: xapi.token });
      expect(outcome.body.errors).toBeUndefined();
      github.setIssue('xapi-project/xen-api#300', { state: 'open', state_reason: null, title: 'edited title' });
      expect(await checkRecord(app, xapi, linked.id)).toMatchObject({ state: 'UPSTREAM_REJECTED', remoteStatus: 'open' });
      expect(await checkRecord(app, xapi, linked.id)).toMatchObject({ state: 'UPSTREAM_REJECTED', remoteStatus: 'open' });
      // Once the upstream itself moves, the forward follows it again.
      github.setIssue('xapi-project/xen-api#300', { state: 'closed', state_reason: 'completed' });
      expect(await checkRecord(app, xapi, linked.id)).toMatchObject({ state: 'UPSTREAM_FIXED', remoteStatus: 'closed (completed)' });
    });

    it('backs off a day per recent failure, saying why in words, and recovers', async () => {
      const bug = await fileBug(app, reporter, { componentSlug: 'xapi' });
      github.setIssue('xapi-project/xen-api#400', { state: 'open', state_reason: null });
      const linked = await linkRecord(app, xapi, bug.id, 'https://github.com/xapi-project/xen-api/issues/400');
      await checkRecord(app, xapi, linked.id);
      const failures: [string, string][] = [['error500', 'GitHub answered 500 Internal Server Error'], ['garbage', 'not JSON'], ['hang', 'GitHub did not answer within 0.5 s']];
      for (const [i, [mode, words]] of failures.entries()) {
        github.fault('xapi-project/xen-api#400', mode as 'error500');
        const started = Date.now();
        const after = await checkRecord(app, xapi, linked.id);
        expect(after).toMatchObject({ state: 'FORWARDED', remoteStatus: 'open', checkError: expect.stringContaining(words) });
        const columns = await watchColumns(app, linked.url!);
        expect(columns.check_failures).toBe(i + 1);
        expect(new Date(columns.next_check_at).getTime() - started).toBeGreaterThanOrEqual((i + 1) * DAY - 5_000);
        expect(new Date(columns.next_check_at).getTime() - started).toBeLessThan((i + 1) * DAY + 60_000);
      }
      github.fault('xapi-project/xen-api#400', null);
      expect(await checkRecord(app, xapi, linked.id)).toMatchObject({ checkError: null, remoteStatus: 'open' });
      expect((await watchColumns(app, linked.url!)).check_failures).toBe(0);
    });

    it('keeps the newer outcome when a check begun earlier ends later (a check by hand overtaking a scheduled one)', async () => {
      const bug = await fileBug(app, reporter, { componentSlug: 'xapi' });
      github.setIssue('xapi-project/xen-api#450', { state: 'open', state_reason: null });
      const linked = await linkRecord(app, xapi, bug.id, 'https://github.com/xapi-project/xen-api/issues/450');
      await until(async () => (await watchColumns(app, linked.url!)).last_checked_at !== null);
      github.fault('xapi-project/xen-api#450', 'hang');
      const scheduled = app.app.get(UpstreamWatchService).runCheck(Number(parseGlobalId(linked.id)!.id));
      await new Promise((r) => setTimeout(r, 100));
      github.fault('xapi-project/xen-api#450', null);
      github.setIssue('xapi-project/xen-api#450', { state: 'closed', state_reason: 'completed' });
      expect(await checkRecord(app, xapi, linked.id)).toMatchObject({ state: 'UPSTREAM_FIXED', remoteStatus: 'closed (completed)', checkError: null });
      // The scheduled check times out after 0.5 s; what it found is older, and is not written.
      await scheduled;
      expect(await app.sql(`SELECT state, check_error, check_failures FROM forward WHERE url = $1`, [linked.url])).toEqual([{ state: 'UPSTREAM_FIXED', check_error: null, check_failures: 0 }]);
    });

    it('refuses a check of a forward without a record, or one the caller may not forward', async () => {
      const bug = await fileBug(app, reporter, { componentSlug: 'xapi' });
      github.setIssue('xapi-project/xen-api#600', { state: 'open', state_reason: null });
      const linked = await linkRecord(app, xapi, bug.id, 'https://github.com/xapi-project/xen-api/issues/600');
      expect(errorCodes(await checkRecordRaw(app, reporter, linked.id))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await checkRecordRaw(app, null, linked.id))).toEqual(['UNAUTHENTICATED']);
      expect(errorCodes(await checkRecordRaw(app, xapi, toGlobalId('Forward', 999999)))).toEqual(['NOT_FOUND']);
      expect(await checkRecordRaw(app, xapi, 'not-an-id')).toMatchObject({ body: { errors: [{ extensions: { code: 'BAD_USER_INPUT', field: 'forwardId' } }] } });
    });
  });

  describe('the other trackers', () => {
    it('Debbugs: done with its fixed version, wontfix, open', async () => {
      const maintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'debian' }] });
      const cases: [number, Parameters<FakeDebbugs['setBug']>[1], string, string][] = [
        [123456, { done: 'Maintainer <m@debian.org>', fixed_versions: ['1.2.3-1'] }, 'UPSTREAM_FIXED', 'done, fixed in 1.2.3-1'],
        [123457, { tags: ['wontfix'] }, 'UPSTREAM_REJECTED', 'pending, tagged wontfix'],
        [123458, { pending: 'forwarded' }, 'FORWARDED', 'forwarded'],
      ];
      for (const [n, status, state, words] of cases) {
        const bug = await fileBug(app, reporter, { componentSlug: 'packaging/debian' });
        debbugs.setBug(n, status);
        const linked = await linkRecord(app, maintainer, bug.id, `${debbugs.url}/cgi-bin/bugreport.cgi?bug=${n}`);
        expect(linked.url).toBe(`${debbugs.url}/${n}`);
        expect(await checkRecord(app, maintainer, linked.id)).toMatchObject({ state, remoteStatus: words, checkError: null });
      }
    });

    it('Launchpad: the task of the linked target, verbatim', async () => {
      const maintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'ubuntu' }] });
      const bug = await fileBug(app, reporter, { componentSlug: 'packaging/ubuntu' });
      launchpad.setTasks(2000001, [
        { target: 'xen-api', bug_target_name: 'xen-api', status: 'Confirmed' },
        { target: 'ubuntu/+source/xcp-xapi', bug_target_name: 'xcp-xapi (Ubuntu)', status: 'Triaged' },
      ]);
      const linked = await linkRecord(app, maintainer, bug.id, 'https://bugs.launchpad.net/ubuntu/+source/xcp-xapi/+bug/2000001');
      expect(await checkRecord(app, maintainer, linked.id)).toMatchObject({ state: 'FORWARDED', remoteStatus: 'Triaged' });
      for (const [status, state] of [['Fix Released', 'UPSTREAM_FIXED'], ["Won't Fix", 'UPSTREAM_REJECTED'], ['Fix Committed', 'UPSTREAM_FIXED'], ['Expired', 'UPSTREAM_REJECTED']]) {
        launchpad.setTasks(2000001, [{ target: 'ubuntu/+source/xcp-xapi', bug_target_name: 'xcp-xapi (Ubuntu)', status }]);
        expect(await checkRecord(app, maintainer, linked.id)).toMatchObject({ state, remoteStatus: status });
      }
      expect((await timelineOf(app, bug.number)).at(-1)).toMatchObject({ type: 'UPSTREAM_STATUS_CHANGED', summary: 'Ubuntu (XCP-XAPI packages) set Launchpad bug #2000001 (xcp-xapi (Ubuntu)) to Expired' });
    });

    it('Bugzilla under a path: RESOLVED FIXED, RESOLVED WONTFIX, REOPENED', async () => {
      const bug = await fileBug(app, reporter, { componentSlug: 'dom0' });
      bugzilla.setBug(15, { status: 'RESOLVED', resolution: 'FIXED' });
      const linked = await linkRecord(app, admin, bug.id, `${bugzilla.base}/show_bug.cgi?id=15`);
      expect(await checkRecord(app, admin, linked.id)).toMatchObject({ state: 'UPSTREAM_FIXED', remoteStatus: 'RESOLVED FIXED' });
      bugzilla.setBug(15, { status: 'RESOLVED', resolution: 'WONTFIX' });
      expect(await checkRecord(app, admin, linked.id)).toMatchObject({ state: 'UPSTREAM_REJECTED', remoteStatus: 'RESOLVED WONTFIX' });
      bugzilla.setBug(15, { status: 'REOPENED', resolution: '' });
      expect(await checkRecord(app, admin, linked.id)).toMatchObject({ state: 'FORWARDED', remoteStatus: 'REOPENED' });
      // The link queued a check of its own: every read asks the REST API for the two fields only.
      expect(bugzilla.seen('/bugzilla/rest/bug/15').length).toBeGreaterThanOrEqual(3);
      expect(bugzilla.seen('/bugzilla/rest/bug/15').every((r) => r.path === '/bugzilla/rest/bug/15?include_fields=status,resolution')).toBe(true);
    });
  });

  describe('on a schedule, in the worker', () => {
    it('queues every due check as a job per tracker; a hanging tracker delays no other', async () => {
      const ubuntu = await fileBug(app, reporter, { componentSlug: 'packaging/ubuntu' });
      const xapiBug = await fileBug(app, reporter, { componentSlug: 'xapi' });
      launchpad.setTasks(2000002, [{ target: 'ubuntu/+source/xcp-xapi', bug_target_name: 'xcp-xapi (Ubuntu)', status: 'New' }]);
      github.setIssue('xapi-project/xen-api#700', { state: 'open', state_reason: null });
      // A link queues its first check at once: the worker reads both records.
      await linkRecord(app, admin, ubuntu.id, 'https://bugs.launchpad.net/ubuntu/+source/xcp-xapi/+bug/2000002');
      await linkRecord(app, admin, xapiBug.id, 'https://github.com/xapi-project/xen-api/issues/700');
      await until(async () => (await forwardsOf(ubuntu.number))[0].remoteStatus === 'New' && (await forwardsOf(xapiBug.number))[0].remoteStatus === 'open');

      // Both become due; Launchpad now hangs, GitHub closed the issue.
      launchpad.fault('*', 'hang');
      github.setIssue('xapi-project/xen-api#700', { state: 'closed', state_reason: 'completed' });
      await app.sql(`UPDATE forward SET next_check_at = now() - interval '1 second' WHERE url IN ($1, $2)`, ['https://bugs.launchpad.net/ubuntu/+source/xcp-xapi/+bug/2000002', 'https://github.com/xapi-project/xen-api/issues/700']);
      const started = Date.now();
      await expect(app.app.get(WatchSweepService).sweep()).resolves.toBe(2);
      await until(async () => (await forwardsOf(xapiBug.number))[0].state === 'UPSTREAM_FIXED');
      expect(Date.now() - started).toBeLessThan(500 + 1_500);
      await until(async () => (await forwardsOf(ubuntu.number))[0].checkError !== null);
      expect((await forwardsOf(ubuntu.number))[0]).toMatchObject({ state: 'FORWARDED', remoteStatus: 'New', checkError: 'Launchpad did not answer within 0.5 s' });
      // Taken checks are held by their lease or rescheduled: a second sweep right away queues neither again.
      await app.app.get(WatchSweepService).sweep();
      const due = await app.sql(`SELECT id FROM forward WHERE url IN ($1, $2) AND next_check_at <= now()`, ['https://bugs.launchpad.net/ubuntu/+source/xcp-xapi/+bug/2000002', 'https://github.com/xapi-project/xen-api/issues/700']);
      expect(due).toEqual([]);
    });
  });

  // Last: GitHub's client then rightly waits for the reset, for every later check in this file.
  describe('GitHub\'s rate limit', () => {
    it('waits for the rate limit\'s reset without counting it as the record\'s failure', async () => {
      const bug = await fileBug(app, reporter, { componentSlug: 'xapi' });
      github.setIssue('xapi-project/xen-api#500', { state: 'open', state_reason: null });
      const linked = await linkRecord(app, xapi, bug.id, 'https://github.com/xapi-project/xen-api/issues/500');
      // The check linking queues goes first; then the issue changes, so the next read cannot be a 304 (free of the limit).
      await until(async () => (await watchColumns(app, linked.url!)).last_checked_at !== null);
      github.setIssue('xapi-project/xen-api#500', { state: 'open', state_reason: 'reopened' });
      const reset = Math.floor(Date.now() / 1000) + 1200;
      github.rateLimit = { limit: 60, remaining: 0, reset };
      const after = await checkRecord(app, xapi, linked.id);
      expect(after.checkError).toMatch(/^GitHub's rate limit is used up until \d\d:\d\d UTC$/);
      const columns = await watchColumns(app, linked.url!);
      expect(columns.check_failures).toBe(0);
      expect(new Date(columns.next_check_at).getTime()).toBe(reset * 1000);
    });

  });
});
