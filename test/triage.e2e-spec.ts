import { createActor, createAdmin, type TestActor } from './support/actors';
import { fileBug, suggestFeature, writtenCounts } from './support/items';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const TRIAGE = `mutation ($input: TriageInput!) { triage(input: $input) { item { status importance component { slug } route { upstream { slug } reason } forward { state reference upstream { slug } } comments { totalCount } } } }`;
const FORWARD = `mutation ($input: ForwardInput!) { forward(input: $input) { item { forward { state reference forwardedAt upstream { slug } } } } }`;
const TIMELINE = `query ($n: Int!) { item(number: $n) { timeline(first: 50) { nodes { type summary actor { username } } } } }`;

describe('triage', () => {
  let app: TestApp;
  let admin: TestActor;
  let reporter: TestActor;
  let xapiMaintainer: TestActor;
  let xenopsdMaintainer: TestActor;
  let debianMaintainer: TestActor;
  const timeline = async (n: number) => (await app.gql<{ item: { timeline: { nodes: { type: string; summary: string; actor: { username: string } | null }[] } } }>(TIMELINE, { n })).body.data!.item.timeline.nodes;

  beforeAll(async () => {
    app = await startTestApp();
    admin = await createAdmin(app, 'root');
    reporter = await createActor(app, { username: 'reporter' });
    xapiMaintainer = await createActor(app, { username: 'xapi-m', grants: [{ role: 'MAINTAINER', upstreamSlug: 'xapi-project' }] });
    xenopsdMaintainer = await createActor(app, { username: 'xenopsd-m', grants: [{ role: 'MAINTAINER', componentSlug: 'xapi/xenopsd' }] });
    debianMaintainer = await createActor(app, { username: 'debian-m', grants: [{ role: 'MAINTAINER', upstreamSlug: 'debian' }] });
  });
  afterAll(() => app.close());

  it('lets the route\'s maintainer set status and importance with a comment, recording each change', async () => {
    const bug = await fileBug(app, reporter, { componentSlug: 'xapi/networkd' });
    const response = await app.gql(TRIAGE, { input: { itemId: bug.id, status: 'TRIAGED', importance: 'HIGH', comment: 'Reproduced on 6.2' } }, { token: xapiMaintainer.token });
    expect(response.body.data).toMatchObject({ triage: { item: { status: 'TRIAGED', importance: 'HIGH', comments: { totalCount: 1 } } } });
    const events = await timeline(bug.number);
    expect(events.slice(2).map((e) => [e.type, e.summary, e.actor?.username])).toEqual([
      ['STATUS_CHANGED', 'xapi-m changed the status: New → Triaged', 'xapi-m'],
      ['IMPORTANCE_CHANGED', 'xapi-m set the importance: Undecided → High', 'xapi-m'],
      ['FORWARD_NEEDED', 'Needs forwarding to Xen Project XAPI sub-project, by mail to xen-api@lists.xenproject.org', 'xapi-m'],
      ['COMMENTED', 'xapi-m commented', 'xapi-m'],
    ]);
  });

  it('lets a component-subtree maintainer triage there, and not elsewhere', async () => {
    const inside = await fileBug(app, reporter, { componentSlug: 'xapi/xenopsd' });
    const outside = await fileBug(app, reporter, { componentSlug: 'xapi/rrdd' });
    expect(errorCodes(await app.gql(TRIAGE, { input: { itemId: inside.id, importance: 'LOW' } }, { token: xenopsdMaintainer.token }))).toEqual([]);
    expect(errorCodes(await app.gql(TRIAGE, { input: { itemId: outside.id, importance: 'LOW' } }, { token: xenopsdMaintainer.token }))).toEqual(['FORBIDDEN']);
  });

  it('moves an item to another component, re-routing it', async () => {
    const bug = await fileBug(app, reporter, { componentSlug: 'xapi' });
    const response = await app.gql(TRIAGE, { input: { itemId: bug.id, componentSlug: 'packaging/debian', status: 'CONFIRMED' } }, { token: xapiMaintainer.token });
    expect(response.body.data).toMatchObject({
      triage: { item: { component: { slug: 'packaging/debian' }, route: { upstream: { slug: 'debian' }, reason: 'packaging/debian is owned by Debian (XCP-XAPI packages)' }, forward: { state: 'PENDING', upstream: { slug: 'debian' } } } },
    });
    expect((await timeline(bug.number)).map((e) => e.type)).toEqual(['FILED', 'ROUTED', 'COMPONENT_CHANGED', 'ROUTED', 'STATUS_CHANGED', 'FORWARD_NEEDED']);
    // Now Debian's maintainers look after it, and XAPI's no longer do.
    expect(errorCodes(await app.gql(TRIAGE, { input: { itemId: bug.id, importance: 'LOW' } }, { token: xapiMaintainer.token }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await app.gql(TRIAGE, { input: { itemId: bug.id, importance: 'LOW' } }, { token: debianMaintainer.token }))).toEqual([]);
  });

  it.each([
    ['PLANNED on a bug', 'BUG', { status: 'PLANNED' }, 'CONFLICT', /PLANNED is for feature suggestions only/],
    ['CONFIRMED on a feature', 'FEATURE', { status: 'CONFIRMED' }, 'CONFLICT', /CONFIRMED is for bugs only/],
    ['DUPLICATE by hand', 'BUG', { status: 'DUPLICATE' }, 'CONFLICT', /markDuplicate/],
    ['EXPIRED by hand', 'BUG', { status: 'EXPIRED' }, 'CONFLICT', /expiry/],
    ['nothing to change', 'BUG', {}, 'BAD_USER_INPUT', /at least one/],
    ['an unknown component', 'BUG', { componentSlug: 'nope' }, 'NOT_FOUND', /componentSlug/],
    ['an unknown status', 'BUG', { status: 'SLEEPING' }, 'BAD_USER_INPUT', /SLEEPING/],
  ])('refuses %s, writing nothing', async (_, kind, change, code, message) => {
    const item = kind === 'BUG' ? await fileBug(app, reporter, { componentSlug: 'xen' }) : await suggestFeature(app, reporter, { componentSlug: 'xen' });
    const before = await writtenCounts(app);
    const response = await app.gql(TRIAGE, { input: { itemId: item.id, importance: 'HIGH', comment: 'with a comment', ...change, ...(Object.keys(change).length ? {} : { importance: undefined, comment: undefined }) } }, { token: admin.token });
    expect(errorCodes(response)).toEqual([code]);
    expect(response.body.errors![0].message).toMatch(message);
    expect(await writtenCounts(app)).toEqual(before);
  });

  it('is for maintainers: UNAUTHENTICATED anonymously, FORBIDDEN for the reporter and other upstreams\' maintainers', async () => {
    const bug = await fileBug(app, reporter, { componentSlug: 'xen' });
    const input = { itemId: bug.id, status: 'TRIAGED' };
    const before = await writtenCounts(app);
    expect(errorCodes(await app.gql(TRIAGE, { input }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await app.gql(TRIAGE, { input }, { token: reporter.token }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await app.gql(TRIAGE, { input }, { token: debianMaintainer.token }))).toEqual(['FORBIDDEN']);
    expect(await writtenCounts(app)).toEqual(before);
  });

  describe('forwarding', () => {
    it('records a forward with the upstream\'s reference, and its outcome', async () => {
      const bug = await fileBug(app, reporter, { componentSlug: 'packaging/debian' });
      await app.gql(TRIAGE, { input: { itemId: bug.id, status: 'CONFIRMED' } }, { token: debianMaintainer.token });
      const pending = await app.gql<{ items: { nodes: { number: number }[] } }>(`{ items(filter: { forwardState: [PENDING], upstreams: ["debian"] }, first: 100) { nodes { number } } }`);
      expect(pending.body.data!.items.nodes.map((n) => n.number)).toContain(bug.number);
      const forwarded = await app.gql<{ forward: { item: { forward: { state: string; reference: string; forwardedAt: string; upstream: { slug: string } } } } }>(FORWARD, { input: { itemId: bug.id, reference: ' #712345 ' } }, { token: debianMaintainer.token });
      expect(forwarded.body.data!.forward.item.forward).toMatchObject({ state: 'FORWARDED', reference: '#712345', upstream: { slug: 'debian' } });
      expect(Date.parse(forwarded.body.data!.forward.item.forward.forwardedAt)).toBeGreaterThan(Date.now() - 60_000);
      const outcome = await app.gql(`mutation ($id: ID!) { recordUpstreamOutcome(input: { itemId: $id, state: UPSTREAM_FIXED }) { item { forward { state reference } } } }`, { id: bug.id }, { token: debianMaintainer.token });
      expect(outcome.body.data).toEqual({ recordUpstreamOutcome: { item: { forward: { state: 'UPSTREAM_FIXED', reference: '#712345' } } } });
      expect((await timeline(bug.number)).filter((e) => e.type === 'FORWARDED' || e.type === 'UPSTREAM_OUTCOME').map((e) => e.summary)).toEqual([
        'debian-m forwarded this to Debian (XCP-XAPI packages): #712345',
        'debian-m recorded that Debian (XCP-XAPI packages) fixed it',
      ]);
    });

    it('has nothing to forward for items routed to xenserver, and is for maintainers', async () => {
      const bug = await fileBug(app, reporter, { componentSlug: 'xencenter' });
      await app.gql(TRIAGE, { input: { itemId: bug.id, status: 'CONFIRMED' } }, { token: admin.token });
      const item = await app.gql<{ item: { forward: null } }>(`query ($n: Int!) { item(number: $n) { forward { state } } }`, { n: bug.number });
      expect(item.body.data!.item.forward).toBeNull();
      const before = await writtenCounts(app);
      expect(errorCodes(await app.gql(FORWARD, { input: { itemId: bug.id, reference: 'x' } }, { token: admin.token }))).toEqual(['CONFLICT']);
      const xen = await fileBug(app, reporter, { componentSlug: 'xen' });
      expect(errorCodes(await app.gql(FORWARD, { input: { itemId: xen.id, reference: 'x' } }, { token: reporter.token }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await app.gql(FORWARD, { input: { itemId: xen.id, reference: 'x' } }))).toEqual(['UNAUTHENTICATED']);
      expect(await writtenCounts(app)).toEqual({ ...before, items: before.items + 1, counter: before.counter + 1, events: before.events + 2, last_update: expect.any(String) });
    });
  });

  describe('needs-info expiry', () => {
    it('expires stale INCOMPLETE items, sparing voted, forwarded and fresh ones, once', async () => {
      const [stale, fresh, voted, forwarded] = [await fileBug(app, reporter), await fileBug(app, reporter), await fileBug(app, reporter), await fileBug(app, reporter, { componentSlug: 'xen' })];
      for (const item of [stale, fresh, voted, forwarded]) await app.gql(TRIAGE, { input: { itemId: item.id, status: 'INCOMPLETE' } }, { token: admin.token });
      await app.gql(FORWARD, { input: { itemId: forwarded.id, reference: 'xen-devel message' } }, { token: admin.token });
      await app.sql(`UPDATE item SET incomplete_since = now() - interval '61 days' WHERE number = ANY($1)`, [[stale.number, voted.number, forwarded.number]]);
      await app.sql(`UPDATE item SET vote_count = 2 WHERE number = $1`, [voted.number]);
      const { ExpiryService } = await import('@headwaters/triage');
      const expiry = app.app.get(ExpiryService);
      const runs = await Promise.all([expiry.expireStale(), expiry.expireStale()]);
      expect(runs.flat()).toHaveLength(1);
      expect(await expiry.expireStale()).toEqual([]);
      const statuses = await app.sql<{ number: number; status: string }>(`SELECT number, status FROM item WHERE number = ANY($1) ORDER BY number`, [[stale.number, fresh.number, voted.number, forwarded.number]]);
      expect(statuses.map((s) => s.status)).toEqual(['EXPIRED', 'INCOMPLETE', 'INCOMPLETE', 'INCOMPLETE']);
      const events = await timeline(stale.number);
      expect(events.at(-1)).toEqual({ type: 'EXPIRED', summary: 'Expired: no answer from the reporter for 60 days', actor: null });
    });
  });
});
