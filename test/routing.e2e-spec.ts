import { createActor, createAdmin, type TestActor } from './support/actors';
import { fileBug, suggestFeature } from './support/items';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const ROUTE = `query ($n: Int!) { item(number: $n) { route { upstream { slug } component { slug } reason manual decidedAt } forward { state upstream { slug } } timeline(last: 1) { nodes { type summary } } } }`;
type RouteView = { item: { route: { upstream: { slug: string }; component: { slug: string } | null; reason: string; manual: boolean }; forward: { state: string; upstream: { slug: string } } | null; timeline: { nodes: { type: string; summary: string }[] } } };

describe('routing items', () => {
  let app: TestApp;
  let admin: TestActor;
  let reporter: TestActor;
  const routeOf = async (number: number) => (await app.gql<RouteView>(ROUTE, { n: number })).body.data!.item;

  beforeAll(async () => {
    app = await startTestApp();
    admin = await createAdmin(app, 'root');
    reporter = await createActor(app);
  });
  afterAll(() => app.close());

  it('routes a filed item to its component\'s owner, with the reason', async () => {
    const bug = await fileBug(app, reporter, { componentSlug: 'packaging/debian' });
    expect((await routeOf(bug.number)).route).toMatchObject({ upstream: { slug: 'debian' }, component: { slug: 'packaging/debian' }, reason: 'packaging/debian is owned by Debian (XCP-XAPI packages)', manual: false });
  });

  it('routes an item without a component to the distribution, for triage', async () => {
    const feature = await suggestFeature(app, reporter);
    expect((await routeOf(feature.number)).route).toMatchObject({ upstream: { slug: 'xenserver' }, component: null, reason: 'No component given: xenserver.org triages it and finds the upstream that owns it' });
  });

  it('re-routes the open, automatically routed items of a subtree when its owner changes, and records it', async () => {
    const open = await fileBug(app, reporter, { componentSlug: 'xapi/xenopsd', title: 'open one' });
    const onRoot = await fileBug(app, reporter, { componentSlug: 'xapi', title: 'on the root' });
    const closed = await fileBug(app, reporter, { componentSlug: 'xapi/rrdd', title: 'closed one' });
    const manual = await fileBug(app, reporter, { componentSlug: 'xapi/storage', title: 'routed by hand' });
    const elsewhere = await fileBug(app, reporter, { componentSlug: 'xen', title: 'elsewhere' });
    await app.sql(`UPDATE item SET status = 'FIX_RELEASED' WHERE number = $1`, [closed.number]);
    const routed = await app.gql(`mutation ($input: RouteItemInput!) { routeItem(input: $input) { item { route { manual reason upstream { slug } } } } }`, {
      input: { itemId: manual.id, upstreamSlug: 'xen-project', reason: 'It is really a hypervisor bug' },
    }, { token: admin.token });
    expect(routed.body.data).toEqual({ routeItem: { item: { route: { manual: true, reason: 'It is really a hypervisor bug', upstream: { slug: 'xen-project' } } } } });

    // 2013: XAPI moves; here it moves to xenserver.org.
    const moved = await app.gql(`mutation { updateComponent(input: { slug: "xapi", ownerSlug: "xenserver" }) { component { owner { slug } } } }`, {}, { token: admin.token });
    expect(moved.body.data).toEqual({ updateComponent: { component: { owner: { slug: 'xenserver' } } } });

    const openNow = await routeOf(open.number);
    expect(openNow.route).toMatchObject({ upstream: { slug: 'xenserver' }, reason: 'xapi/xenopsd is owned by xenserver.org (inherited from xapi)', manual: false });
    expect(openNow.timeline.nodes).toEqual([{ type: 'ROUTED', summary: 'Re-routed: xapi/xenopsd is owned by xenserver.org (inherited from xapi)' }]);
    expect((await routeOf(onRoot.number)).route).toMatchObject({ upstream: { slug: 'xenserver' }, reason: 'xapi is owned by xenserver.org' });
    expect((await routeOf(closed.number)).route.upstream.slug).toBe('xapi-project');
    expect((await routeOf(manual.number)).route).toMatchObject({ upstream: { slug: 'xen-project' }, manual: true });
    expect((await routeOf(elsewhere.number)).route.upstream.slug).toBe('xen-project');
    const [event] = await app.sql<{ actor_id: number }>(`SELECT actor_id FROM timeline_event e JOIN item i ON i.id = e.item_id WHERE i.number = $1 ORDER BY e.id DESC LIMIT 1`, [open.number]);
    expect(event.actor_id).toBe(admin.userId);
  });

  it('moves a PENDING forward along with the route, and drops it for an upstream that triages here', async () => {
    await app.gql(`mutation { updateComponent(input: { slug: "xapi", ownerSlug: "xapi-project" }) { component { slug } } }`, {}, { token: admin.token });
    const bug = await fileBug(app, reporter, { componentSlug: 'xapi/networkd' });
    await app.sql(`UPDATE item SET status = 'CONFIRMED' WHERE number = $1`, [bug.number]);
    await app.sql(`INSERT INTO forward (item_id, upstream_id, kind, state) SELECT id, route_upstream_id, 'ROUTED', 'PENDING' FROM item WHERE number = $1`, [bug.number]);
    await app.gql(`mutation { updateComponent(input: { slug: "xapi/networkd", ownerSlug: "debian" }) { component { slug } } }`, {}, { token: admin.token });
    expect((await routeOf(bug.number)).forward).toEqual({ state: 'PENDING', upstream: { slug: 'debian' } });
    await app.gql(`mutation { updateComponent(input: { slug: "xapi/networkd", ownerSlug: "xenserver" }) { component { slug } } }`, {}, { token: admin.token });
    expect((await routeOf(bug.number)).forward).toBeNull();
  });

  it('re-routes to the distribution when the owner retires', async () => {
    await app.gql(`mutation { createUpstream(input: { slug: "sunset", name: "Sunset Inc", forwarding: MANUAL }) { upstream { slug } } }`, {}, { token: admin.token });
    await app.gql(`mutation { createComponent(input: { slug: "sunset-tool", name: "Sunset tool", ownerSlug: "sunset" }) { component { slug } } }`, {}, { token: admin.token });
    const bug = await fileBug(app, reporter, { componentSlug: 'sunset-tool' });
    expect((await routeOf(bug.number)).route.upstream.slug).toBe('sunset');
    await app.gql(`mutation { retireUpstream(input: { slug: "sunset" }) { upstream { retired } } }`, {}, { token: admin.token });
    expect((await routeOf(bug.number)).route).toMatchObject({ upstream: { slug: 'xenserver' }, reason: 'sunset-tool is owned by Sunset Inc, which is retired: xenserver.org triages it' });
  });

  it('lets the route\'s maintainers route by hand and reset, and nobody else', async () => {
    const bug = await fileBug(app, reporter, { componentSlug: 'xen' });
    const maintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'xen-project' }] });
    const other = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'debian' }] });
    const ROUTE_ITEM = `mutation ($input: RouteItemInput!) { routeItem(input: $input) { item { route { manual upstream { slug } } } } }`;
    const input = { itemId: bug.id, upstreamSlug: 'centos', reason: 'dom0 kernel, not Xen' };
    expect(errorCodes(await app.gql(ROUTE_ITEM, { input }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await app.gql(ROUTE_ITEM, { input }, { token: reporter.token }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await app.gql(ROUTE_ITEM, { input }, { token: other.token }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await app.gql(ROUTE_ITEM, { input: { ...input, upstreamSlug: 'nobody' } }, { token: maintainer.token }))).toEqual(['NOT_FOUND']);
    expect((await routeOf(bug.number)).route.manual).toBe(false);
    const done = await app.gql(ROUTE_ITEM, { input }, { token: maintainer.token });
    expect(done.body.data).toEqual({ routeItem: { item: { route: { manual: true, upstream: { slug: 'centos' } } } } });
    const reset = await app.gql(`mutation ($input: ResetRouteInput!) { resetRoute(input: $input) { item { route { manual reason upstream { slug } } } } }`, { input: { itemId: bug.id } }, { token: admin.token });
    expect(reset.body.data).toEqual({ resetRoute: { item: { route: { manual: false, reason: 'xen is owned by Xen Project (hypervisor)', upstream: { slug: 'xen-project' } } } } });
    const again = await app.gql(`mutation ($input: ResetRouteInput!) { resetRoute(input: $input) { item { id } } }`, { input: { itemId: bug.id } }, { token: admin.token });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
  });
});
