import { githubSignature } from '@headwaters/forwarding';
import { createActor, createAdmin, type TestActor } from './support/actors';
import { FakeGithub } from './support/fake-trackers';
import { fileBug } from './support/items';
import { startTestApp, type TestApp } from './support/test-app';
import { linkRecord, timelineOf, until } from './support/watching';

const SECRET = 'hook-secret-of-xapi-project-0123';
const ISSUE = 'https://github.com/xapi-project/xen-api/issues/900';

describe('GitHub webhooks for linked issues', () => {
  const github = new FakeGithub();
  let app: TestApp;
  let admin: TestActor;
  let reporter: TestActor;
  let deliveries = 0;

  const post = (body: unknown, headers: Record<string, string | undefined>, slug = 'xapi-project') => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const clean = Object.fromEntries(Object.entries({ 'content-type': 'application/json', 'user-agent': 'GitHub-Hookshot/abc', ...headers }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    return fetch(`${app.url}/hooks/github/${slug}`, { method: 'POST', headers: clean, body: raw });
  };
  const signed = (event: string, body: unknown, delivery = `d-${++deliveries}-${Date.now()}`) =>
    post(body, { 'x-github-event': event, 'x-github-delivery': delivery, 'x-hub-signature-256': githubSignature(SECRET, JSON.stringify(body)) });
  const closed = (reason: string) => ({ action: 'closed', issue: { html_url: ISSUE, number: 900, state: 'closed', state_reason: reason }, repository: { full_name: 'xapi-project/xen-api' }, sender: { login: 'robhoes' } });
  const forwardOf = async (number: number) => (await app.sql<{ state: string; remote_status: string | null }>(`SELECT f.state, f.remote_status FROM forward f JOIN item i ON i.id = f.item_id WHERE i.number = $1`, [number]))[0];

  let bugNumber = 0;

  beforeAll(async () => {
    await github.start();
    app = await startTestApp({ withWorker: true, config: { GITHUB_API_URL: github.url, WATCH_TIMEOUT_MS: 500, WATCH_INTERVAL_SECONDS: 0 } });
    admin = await createAdmin(app);
    reporter = await createActor(app);
    const secret = await app.gql(`mutation ($s: String!) { updateUpstream(input: { slug: "xapi-project", webhookSecret: $s }) { upstream { slug } } }`, { s: SECRET }, { token: admin.token });
    expect(secret.body.errors).toBeUndefined();
    github.setIssue('xapi-project/xen-api#900', { state: 'open', state_reason: null });
    const bug = await fileBug(app, reporter, { componentSlug: 'xapi' });
    bugNumber = bug.number;
    await linkRecord(app, admin, bug.id, ISSUE);
    await until(async () => (await forwardOf(bugNumber)).remote_status === 'open');
  });
  afterAll(async () => {
    await app.close();
    await github.close();
  });

  it('refuses unsigned and badly signed deliveries with 401, and keeps nothing of them', async () => {
    const body = closed('completed');
    const unsigned = await post(body, { 'x-github-event': 'issues', 'x-github-delivery': 'u-1' });
    expect(unsigned.status).toBe(401);
    const wrong = await post(body, { 'x-github-event': 'issues', 'x-github-delivery': 'u-2', 'x-hub-signature-256': githubSignature('another-secret-altogether', JSON.stringify(body)) });
    expect(wrong.status).toBe(401);
    const tampered = await post({ ...body, sender: { login: 'mallory' } }, { 'x-github-event': 'issues', 'x-github-delivery': 'u-3', 'x-hub-signature-256': githubSignature(SECRET, JSON.stringify(body)) });
    expect(tampered.status).toBe(401);
    expect(await app.sql(`SELECT 1 FROM github_hook_delivery WHERE delivery_id LIKE 'u-%'`)).toEqual([]);
    expect((await forwardOf(bugNumber)).state).toBe('FORWARDED');
  });

  it('answers 404 for an unknown upstream and 400 for a delivery without its id', async () => {
    expect((await post({}, { 'x-github-event': 'ping' }, 'no-such-upstream')).status).toBe(404);
    const body = { zen: 'Design for failure.' };
    expect((await post(body, { 'x-github-event': 'ping', 'x-hub-signature-256': githubSignature(SECRET, JSON.stringify(body)) })).status).toBe(400);
  });

  it('takes a signed close at once (202) and follows it as a check would, once per delivery id', async () => {
    const body = closed('completed');
    const first = await signed('issues', body, 'close-1');
    expect(first.status).toBe(202);
    await until(async () => (await forwardOf(bugNumber)).state === 'UPSTREAM_FIXED');
    expect(await forwardOf(bugNumber)).toEqual({ state: 'UPSTREAM_FIXED', remote_status: 'closed (completed)' });
    const again = await signed('issues', body, 'close-1');
    expect(again.status).toBe(202);
    await expect(again.json()).resolves.toEqual({ message: 'already accepted' });
    await new Promise((r) => setTimeout(r, 300));
    const events = (await timelineOf(app, bugNumber)).filter((e) => e.type === 'UPSTREAM_STATUS_CHANGED');
    expect(events.map((e) => e.summary)).toEqual(['robhoes closed it (completed) in xapi-project/xen-api#900']);
  });

  it('follows a reopen, and a comment becomes UPSTREAM_COMMENTED with its author and link', async () => {
    const reopen = { action: 'reopened', issue: { html_url: ISSUE, number: 900, state: 'open', state_reason: 'reopened' }, sender: { login: 'psafont' } };
    expect((await signed('issues', reopen)).status).toBe(202);
    await until(async () => (await forwardOf(bugNumber)).state === 'FORWARDED');
    const comment = { action: 'created', issue: { html_url: ISSUE, number: 900, state: 'open' }, comment: { html_url: `${ISSUE}#issuecomment-42`, body: 'Fixed on master by #5678.\n\nWill backport.', user: { login: 'psafont' } }, sender: { login: 'psafont' } };
    expect((await signed('issue_comment', comment)).status).toBe(202);
    await until(async () => (await timelineOf(app, bugNumber)).some((e) => e.type === 'UPSTREAM_COMMENTED'));
    const event = (await timelineOf(app, bugNumber)).find((e) => e.type === 'UPSTREAM_COMMENTED')!;
    expect(event.summary).toBe(`psafont commented in xapi-project/xen-api#900: Fixed on master by #5678. Will backport. (${ISSUE}#issuecomment-42)`);
  });

  it('takes deliveries about issues nobody linked, or events it does not follow, and changes nothing', async () => {
    const before = await timelineOf(app, bugNumber);
    expect((await signed('issues', { action: 'closed', issue: { html_url: 'https://github.com/xapi-project/xen-api/issues/1', state: 'closed', state_reason: 'completed' } })).status).toBe(202);
    expect((await signed('ping', { zen: 'Keep it logically awesome.', hook_id: 1 })).status).toBe(202);
    expect((await signed('issues', { action: 'labeled', issue: { html_url: ISSUE, state: 'open' } })).status).toBe(202);
    await until(async () => (await app.sql(`SELECT 1 FROM github_hook_delivery WHERE processed_at IS NULL`)).length === 0);
    expect(await timelineOf(app, bugNumber)).toEqual(before);
  });
});
