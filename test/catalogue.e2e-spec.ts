import { createActor, createAdmin, type TestActor } from './support/actors';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const SEEDED_OWNERS: Record<string, [owner: string, inheritedFrom: string | null]> = {
  xapi: ['xapi-project', null],
  'xapi/xenopsd': ['xapi-project', 'xapi'],
  'xapi/networkd': ['xapi-project', 'xapi'],
  'xapi/rrdd': ['xapi-project', 'xapi'],
  'xapi/storage': ['xapi-project', 'xapi'],
  'xapi/squeezed': ['xapi-project', 'xapi'],
  'xapi/xe-cli': ['xapi-project', 'xapi'],
  xen: ['xen-project', null],
  xencenter: ['xenserver', null],
  'pv-drivers': ['xenserver', null],
  installer: ['xenserver', null],
  dom0: ['centos', null],
  packaging: ['xenserver', null],
  'packaging/debian': ['debian', null],
  'packaging/ubuntu': ['ubuntu', null],
};

async function catalogueCounts(app: TestApp) {
  const [row] = await app.sql(`SELECT (SELECT count(*)::int FROM upstream) u, (SELECT count(*)::int FROM component) c, (SELECT count(*)::int FROM release) r,
    (SELECT coalesce(string_agg(slug || ':' || coalesce(owner_id::text, '-') || ':' || coalesce(parent_id::text, '-') || ':' || name, ',' ORDER BY slug), '') FROM component) tree,
    (SELECT coalesce(string_agg(slug || ':' || name || ':' || forwarding || ':' || coalesce(retired_at::text, ''), ',' ORDER BY slug), '') FROM upstream) ups`);
  return row;
}

describe('the catalogue', () => {
  let app: TestApp;
  let admin: TestActor;
  let reporter: TestActor;

  beforeAll(async () => {
    app = await startTestApp();
    admin = await createAdmin(app);
    reporter = await createActor(app);
  });
  afterAll(() => app.close());

  describe('as seeded', () => {
    it('lists the six upstreams with their contacts and forwarding', async () => {
      const response = await app.gql<{ upstreams: Record<string, unknown>[] }>(`{ upstreams { slug name forwarding homepage mailingList ircChannel trackerUrl } }`);
      const bySlug = Object.fromEntries(response.body.data!.upstreams.map((u) => [u.slug, u]));
      expect(Object.keys(bySlug).sort()).toEqual(['centos', 'debian', 'ubuntu', 'xapi-project', 'xen-project', 'xenserver']);
      expect(bySlug['xenserver']).toMatchObject({ name: 'xenserver.org', forwarding: 'HANDLED_HERE', homepage: 'https://xenserver.org' });
      expect(bySlug['xen-project']).toMatchObject({ forwarding: 'MAILING_LIST', mailingList: 'xen-devel@lists.xenproject.org', ircChannel: '#xen' });
      expect(bySlug['xapi-project']).toMatchObject({ name: 'Xen Project XAPI sub-project', forwarding: 'MAILING_LIST', mailingList: 'xen-api@lists.xenproject.org', ircChannel: '#xen-api', trackerUrl: 'https://github.com/xapi-project' });
      expect(bySlug['debian']).toMatchObject({ forwarding: 'MAILING_LIST', mailingList: 'submit@bugs.debian.org', trackerUrl: 'https://bugs.debian.org' });
      expect(bySlug['ubuntu']).toMatchObject({ forwarding: 'MANUAL', trackerUrl: 'https://bugs.launchpad.net/ubuntu' });
      expect(bySlug['centos']).toMatchObject({ forwarding: 'MANUAL', trackerUrl: 'https://bugs.centos.org' });
    });

    it('gives every component its owner, parent and children', async () => {
      const response = await app.gql<{ components: { totalCount: number; nodes: { slug: string; owner: { slug: string }; ownerInheritedFrom: { slug: string } | null; parent: { slug: string } | null; children: { slug: string }[] }[] } }>(
        `{ components(first: 100) { totalCount nodes { slug owner { slug } ownerInheritedFrom { slug } parent { slug } children { slug } } } }`,
      );
      const nodes = response.body.data!.components.nodes;
      expect(response.body.data!.components.totalCount).toBe(15);
      for (const node of nodes) {
        expect([node.slug, node.owner.slug, node.ownerInheritedFrom?.slug ?? null]).toEqual([node.slug, ...SEEDED_OWNERS[node.slug]]);
        expect(node.parent?.slug ?? null).toBe(node.slug.includes('/') ? node.slug.split('/')[0] : null);
      }
      expect(nodes.find((n) => n.slug === 'xapi')!.children.map((c) => c.slug)).toEqual(['xapi/networkd', 'xapi/rrdd', 'xapi/squeezed', 'xapi/storage', 'xapi/xe-cli', 'xapi/xenopsd']);
      expect(nodes.find((n) => n.slug === 'packaging')!.children.map((c) => c.slug)).toEqual(['packaging/debian', 'packaging/ubuntu']);
    });

    it('finds a component and an upstream by slug, and by global ID', async () => {
      const response = await app.gql<{ component: { id: string; name: string; owner: { id: string; components: { nodes: { slug: string }[] } } } }>(
        `{ component(slug: "xapi/xenopsd") { id name owner { id components(first: 3) { nodes { slug } } } } nope: component(slug: "nope") { id } }`,
      );
      const component = response.body.data!.component;
      expect(component.name).toBe('xenopsd');
      expect(component.owner.components.nodes.map((c) => c.slug)).toEqual(['xapi', 'xapi/networkd', 'xapi/rrdd']);
      const nodes = await app.gql<{ nodes: { __typename: string }[] }>(`query ($ids: [ID!]!) { nodes(ids: $ids) { __typename } }`, { ids: [component.id, component.owner.id] });
      expect(nodes.body.data!.nodes).toEqual([{ __typename: 'Component' }, { __typename: 'Upstream' }]);
    });

    it('pages components by slug both ways', async () => {
      type Page = { components: { nodes: { slug: string }[]; pageInfo: { endCursor: string; startCursor: string; hasNextPage: boolean; hasPreviousPage: boolean } } };
      const first = await app.gql<Page>(`{ components(first: 5) { nodes { slug } pageInfo { endCursor startCursor hasNextPage hasPreviousPage } } }`);
      const second = await app.gql<Page>(`query ($after: String) { components(first: 5, after: $after) { nodes { slug } pageInfo { endCursor startCursor hasNextPage hasPreviousPage } } }`, { after: first.body.data!.components.pageInfo.endCursor });
      const back = await app.gql<Page>(`query ($before: String) { components(last: 5, before: $before) { nodes { slug } pageInfo { endCursor startCursor hasNextPage hasPreviousPage } } }`, { before: second.body.data!.components.pageInfo.startCursor });
      expect(back.body.data!.components.nodes).toEqual(first.body.data!.components.nodes);
      expect(second.body.data!.components.nodes[0].slug > first.body.data!.components.nodes[4].slug).toBe(true);
    });

    it('lists the releases', async () => {
      const response = await app.gql<{ releases: { slug: string; name: string; releasedAt: string | null }[] }>(`{ releases { slug name releasedAt } }`);
      expect(response.body.data!.releases).toEqual([
        { slug: 'xcp-1.6', name: 'XCP 1.6', releasedAt: null },
        { slug: 'xenserver-6.2', name: 'XenServer 6.2', releasedAt: '2013-06-25T00:00:00.000Z' },
      ]);
    });
  });

  describe('previewRoute', () => {
    it.each(Object.entries(SEEDED_OWNERS))('routes %s to its owner with a readable reason', async (slug, [owner, inheritedFrom]) => {
      const response = await app.gql<{ previewRoute: { upstream: { slug: string; name: string }; component: { slug: string }; reason: string; manual: boolean; decidedAt: string } }>(
        `query ($slug: String!) { previewRoute(componentSlug: $slug, kind: BUG) { upstream { slug name } component { slug } reason manual decidedAt } }`,
        { slug },
      );
      const route = response.body.data!.previewRoute;
      expect(route.upstream.slug).toBe(owner);
      expect(route.component.slug).toBe(slug);
      expect(route.manual).toBe(false);
      expect(route.reason).toBe(`${slug} is owned by ${route.upstream.name}${inheritedFrom ? ` (inherited from ${inheritedFrom})` : ''}`);
    });

    it('names xapi/xenopsd\'s inherited owner as the issue asks', async () => {
      const response = await app.gql<{ previewRoute: { reason: string } }>(`{ previewRoute(componentSlug: "xapi/xenopsd", kind: FEATURE) { reason } }`);
      expect(response.body.data!.previewRoute.reason).toBe('xapi/xenopsd is owned by Xen Project XAPI sub-project (inherited from xapi)');
    });

    it('answers NOT_FOUND for an unknown component and BAD_USER_INPUT for a malformed slug', async () => {
      const unknown = await app.gql(`{ previewRoute(componentSlug: "nope", kind: BUG) { reason } }`);
      expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
      expect(unknown.body.errors![0].extensions!.field).toBe('componentSlug');
      const malformed = await app.gql(`{ previewRoute(componentSlug: "Not A Slug", kind: BUG) { reason } }`);
      expect(errorCodes(malformed)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('managing it', () => {
    const CREATE_UPSTREAM = `mutation ($input: CreateUpstreamInput!) { createUpstream(input: $input) { upstream { slug name forwarding mailingList } } }`;
    const CREATE_COMPONENT = `mutation ($input: CreateComponentInput!) { createComponent(input: $input) { component { slug owner { slug } ownerInheritedFrom { slug } parent { slug } } } }`;
    const UPDATE_COMPONENT = `mutation ($input: UpdateComponentInput!) { updateComponent(input: $input) { component { slug name description owner { slug } parent { slug } } } }`;
    const CREATE_RELEASE = `mutation ($input: CreateReleaseInput!) { createRelease(input: $input) { release { slug name releasedAt } } }`;

    it('creates upstreams, components and releases for admins', async () => {
      const upstream = await app.gql(CREATE_UPSTREAM, { input: { slug: 'qemu', name: 'QEMU', forwarding: 'MAILING_LIST', mailingList: 'qemu-devel@nongnu.org' } }, { token: admin.token });
      expect(upstream.body.data).toEqual({ createUpstream: { upstream: { slug: 'qemu', name: 'QEMU', forwarding: 'MAILING_LIST', mailingList: 'qemu-devel@nongnu.org' } } });
      const child = await app.gql(CREATE_COMPONENT, { input: { slug: 'xen/qemu', name: 'QEMU device model', parentSlug: 'xen' } }, { token: admin.token });
      expect(child.body.data).toEqual({ createComponent: { component: { slug: 'xen/qemu', owner: { slug: 'xen-project' }, ownerInheritedFrom: { slug: 'xen' }, parent: { slug: 'xen' } } } });
      const owned = await app.gql(CREATE_COMPONENT, { input: { slug: 'xen/qemu/upstream', name: 'qemu-upstream', parentSlug: 'xen/qemu', ownerSlug: 'qemu' } }, { token: admin.token });
      expect(owned.body.data).toMatchObject({ createComponent: { component: { owner: { slug: 'qemu' }, ownerInheritedFrom: null } } });
      const release = await app.gql(CREATE_RELEASE, { input: { slug: 'xenserver-6.5', name: 'XenServer 6.5', releasedAt: '2015-01-13T00:00:00Z' } }, { token: admin.token });
      expect(release.body.data).toEqual({ createRelease: { release: { slug: 'xenserver-6.5', name: 'XenServer 6.5', releasedAt: '2015-01-13T00:00:00.000Z' } } });
    });

    it('updates only the fields given, and clears with null', async () => {
      await app.gql(CREATE_COMPONENT, { input: { slug: 'docs', name: 'Docs', description: 'Manuals', ownerSlug: 'xenserver' } }, { token: admin.token });
      const renamed = await app.gql(UPDATE_COMPONENT, { input: { slug: 'docs', name: 'Documentation' } }, { token: admin.token });
      expect(renamed.body.data).toEqual({ updateComponent: { component: { slug: 'docs', name: 'Documentation', description: 'Manuals', owner: { slug: 'xenserver' }, parent: null } } });
      const moved = await app.gql(UPDATE_COMPONENT, { input: { slug: 'docs', parentSlug: 'packaging', ownerSlug: null, description: null } }, { token: admin.token });
      expect(moved.body.data).toEqual({ updateComponent: { component: { slug: 'docs', name: 'Documentation', description: null, owner: { slug: 'xenserver' }, parent: { slug: 'packaging' } } } });
      const upstream = await app.gql(`mutation { updateUpstream(input: { slug: "qemu", ircChannel: "#qemu" }) { upstream { name ircChannel mailingList } } }`, {}, { token: admin.token });
      expect(upstream.body.data).toEqual({ updateUpstream: { upstream: { name: 'QEMU', ircChannel: '#qemu', mailingList: 'qemu-devel@nongnu.org' } } });
    });

    it.each([
      ['a malformed upstream slug', CREATE_UPSTREAM, { slug: 'Bad Slug', name: 'x', forwarding: 'MANUAL' }, 'BAD_USER_INPUT', 'slug'],
      ['a taken upstream slug', CREATE_UPSTREAM, { slug: 'debian', name: 'x', forwarding: 'MANUAL' }, 'CONFLICT', 'slug'],
      ['mailing-list forwarding without a list', CREATE_UPSTREAM, { slug: 'nolist', name: 'x', forwarding: 'MAILING_LIST' }, 'BAD_USER_INPUT', 'mailingList'],
      ['a bad homepage', CREATE_UPSTREAM, { slug: 'badurl', name: 'x', forwarding: 'MANUAL', homepage: 'not a url' }, 'BAD_USER_INPUT', 'homepage'],
      ['a malformed component slug', CREATE_COMPONENT, { slug: 'xapi//x', name: 'x', parentSlug: 'xapi' }, 'BAD_USER_INPUT', 'slug'],
      ['a taken component slug', CREATE_COMPONENT, { slug: 'xapi', name: 'x', ownerSlug: 'xenserver' }, 'CONFLICT', 'slug'],
      ['a root without an owner', CREATE_COMPONENT, { slug: 'orphan', name: 'x' }, 'BAD_USER_INPUT', 'ownerSlug'],
      ['an unknown parent', CREATE_COMPONENT, { slug: 'x/y', name: 'x', parentSlug: 'nope' }, 'NOT_FOUND', 'parentSlug'],
      ['an unknown owner', CREATE_COMPONENT, { slug: 'lonely', name: 'x', ownerSlug: 'nobody' }, 'NOT_FOUND', 'ownerSlug'],
      ['a cycle', UPDATE_COMPONENT, { slug: 'xapi', parentSlug: 'xapi/xenopsd' }, 'BAD_USER_INPUT', 'parentSlug'],
      ['its own parent', UPDATE_COMPONENT, { slug: 'xapi', parentSlug: 'xapi' }, 'BAD_USER_INPUT', 'parentSlug'],
      ['a root losing its owner', UPDATE_COMPONENT, { slug: 'xen', ownerSlug: null }, 'BAD_USER_INPUT', 'ownerSlug'],
      ['an unknown component', UPDATE_COMPONENT, { slug: 'nope', name: 'x' }, 'NOT_FOUND', 'slug'],
      ['a bad release slug', CREATE_RELEASE, { slug: 'XenServer 7', name: 'x' }, 'BAD_USER_INPUT', 'slug'],
      ['a taken release slug', CREATE_RELEASE, { slug: 'xcp-1.6', name: 'x' }, 'CONFLICT', 'slug'],
    ])('refuses %s, naming the field, writing nothing', async (_, mutation, input, code, field) => {
      const before = await catalogueCounts(app);
      const response = await app.gql(mutation, { input }, { token: admin.token });
      expect(errorCodes(response)).toEqual([code]);
      expect(response.body.errors![0].extensions!.field).toBe(field);
      expect(response.body.errors![0].message).toMatch(new RegExp(field));
      expect(await catalogueCounts(app)).toEqual(before);
    });

    it('is for admins only: UNAUTHENTICATED anonymously, FORBIDDEN for others', async () => {
      const before = await catalogueCounts(app);
      const input = { slug: 'sneaky', name: 'x', forwarding: 'MANUAL' };
      expect(errorCodes(await app.gql(CREATE_UPSTREAM, { input }))).toEqual(['UNAUTHENTICATED']);
      expect(errorCodes(await app.gql(CREATE_UPSTREAM, { input }, { token: reporter.token }))).toEqual(['FORBIDDEN']);
      const maintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'xapi-project' }] });
      expect(errorCodes(await app.gql(UPDATE_COMPONENT, { input: { slug: 'xapi', ownerSlug: 'xenserver' } }, { token: maintainer.token }))).toEqual(['FORBIDDEN']);
      expect(await catalogueCounts(app)).toEqual(before);
    });

    it('retires an upstream: hidden unless asked, owns nothing new', async () => {
      await app.gql(CREATE_UPSTREAM, { input: { slug: 'citrix', name: 'Citrix', forwarding: 'MANUAL' } }, { token: admin.token });
      const retired = await app.gql(`mutation { retireUpstream(input: { slug: "citrix" }) { upstream { slug retired } } }`, {}, { token: admin.token });
      expect(retired.body.data).toEqual({ retireUpstream: { upstream: { slug: 'citrix', retired: true } } });
      const listed = await app.gql<{ upstreams: { slug: string }[]; all: { slug: string }[] }>(`{ upstreams { slug } all: upstreams(includeRetired: true) { slug } }`);
      expect(listed.body.data!.upstreams.map((u) => u.slug)).not.toContain('citrix');
      expect(listed.body.data!.all.map((u) => u.slug)).toContain('citrix');
      const owning = await app.gql(CREATE_COMPONENT, { input: { slug: 'legacy', name: 'x', ownerSlug: 'citrix' } }, { token: admin.token });
      expect(errorCodes(owning)).toEqual(['BAD_USER_INPUT']);
    });
  });
});
