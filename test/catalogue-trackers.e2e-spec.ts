import { Writable } from 'node:stream';
import { createActor, createAdmin, type TestActor } from './support/actors';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const SECRET = 'a-webhook-secret-nobody-may-read';
const UPSTREAM_FIELDS = 'slug forwarding trackerKind trackerUrl webhookUrl mailingList';
const CREATE_UPSTREAM = `mutation ($input: CreateUpstreamInput!) { createUpstream(input: $input) { upstream { ${UPSTREAM_FIELDS} } } }`;
const UPDATE_UPSTREAM = `mutation ($input: UpdateUpstreamInput!) { updateUpstream(input: $input) { upstream { ${UPSTREAM_FIELDS} } } }`;
const CREATE_COMPONENT = `mutation ($input: CreateComponentInput!) { createComponent(input: $input) { component { slug packageName } } }`;
const UPDATE_COMPONENT = `mutation ($input: UpdateComponentInput!) { updateComponent(input: $input) { component { slug packageName } } }`;

async function catalogueState(app: TestApp) {
  const [row] = await app.sql(`SELECT
    (SELECT string_agg(slug || ':' || forwarding || ':' || tracker_kind || ':' || coalesce(webhook_url, '') || ':' || coalesce(webhook_secret, '') || ':' || coalesce(mailing_list, ''), ',' ORDER BY slug) FROM upstream) ups,
    (SELECT string_agg(slug || ':' || coalesce(package_name, ''), ',' ORDER BY slug) FROM component) comps`);
  return row;
}

describe('upstream trackers, webhook secrets and package names', () => {
  let app: TestApp;
  let admin: TestActor;
  const log: string[] = [];

  beforeAll(async () => {
    app = await startTestApp({ config: { LOG_LEVEL: 'debug' }, logStream: new Writable({ write: (chunk, _, done) => (log.push(String(chunk)), done()) }) });
    admin = await createAdmin(app);
  });
  afterAll(() => app.close());

  it('seeds each upstream\'s tracker kind and the Debian and Ubuntu package names', async () => {
    const response = await app.gql<{ upstreams: { slug: string; trackerKind: string; webhookUrl: string | null }[]; components: { nodes: { slug: string; packageName: string | null }[] } }>(
      `{ upstreams { slug trackerKind webhookUrl } components(first: 100) { nodes { slug packageName } } }`,
    );
    expect(Object.fromEntries(response.body.data!.upstreams.map((u) => [u.slug, u.trackerKind]))).toEqual({
      centos: 'NONE', debian: 'DEBBUGS', ubuntu: 'LAUNCHPAD', 'xapi-project': 'GITHUB', 'xen-project': 'NONE', xenserver: 'NONE',
    });
    expect(response.body.data!.upstreams.every((u) => u.webhookUrl === null)).toBe(true);
    const packaged = response.body.data!.components.nodes.filter((c) => c.packageName !== null);
    expect(packaged).toEqual([{ slug: 'packaging/debian', packageName: 'xcp-xapi' }, { slug: 'packaging/ubuntu', packageName: 'xcp-xapi' }]);
  });

  it('creates a webhook upstream whose secret is kept but never shown or logged', async () => {
    const input = { slug: 'hooked', name: 'Hooked', forwarding: 'WEBHOOK', trackerKind: 'GITHUB', trackerUrl: 'https://github.com/example/hooked', webhookUrl: 'https://hooks.example.org/headwaters', webhookSecret: SECRET };
    const created = await app.gql(CREATE_UPSTREAM, { input }, { token: admin.token });
    expect(created.body).toEqual({ data: { createUpstream: { upstream: { slug: 'hooked', forwarding: 'WEBHOOK', trackerKind: 'GITHUB', trackerUrl: 'https://github.com/example/hooked', webhookUrl: 'https://hooks.example.org/headwaters', mailingList: null } } } });
    const [row] = await app.sql<{ webhook_secret: string }>(`SELECT webhook_secret FROM upstream WHERE slug = 'hooked'`);
    expect(row.webhook_secret).toBe(SECRET);

    // Inline in the query text too, and in a request that fails.
    const inline = await app.gql(`mutation { updateUpstream(input: { slug: "hooked", webhookSecret: "${SECRET}-2" }) { upstream { slug } } }`, {}, { token: admin.token });
    expect(inline.body.errors).toBeUndefined();
    const taken = await app.gql(CREATE_UPSTREAM, { input: { ...input, webhookSecret: `${SECRET}-3` } }, { token: admin.token });
    expect(errorCodes(taken)).toEqual(['CONFLICT']);
    const everything = await app.gql(`{ upstream(slug: "hooked") { __typename } __type(name: "Upstream") { fields { name } } }`);
    expect(JSON.stringify(everything.body)).not.toMatch(/secret/i);
    expect(log.length).toBeGreaterThan(0);
    expect(log.join('')).not.toContain(SECRET);
  });

  it('changes the tracker kind, webhook url and secret, and clears them with null', async () => {
    await app.gql(CREATE_UPSTREAM, { input: { slug: 'changing', name: 'Changing', forwarding: 'MANUAL' } }, { token: admin.token });
    const changed = await app.gql(UPDATE_UPSTREAM, { input: { slug: 'changing', trackerKind: 'BUGZILLA', trackerUrl: 'https://bugzilla.example.org', forwarding: 'WEBHOOK', webhookUrl: 'http://hooks.example.org/in', webhookSecret: SECRET } }, { token: admin.token });
    expect(changed.body.data).toEqual({ updateUpstream: { upstream: { slug: 'changing', forwarding: 'WEBHOOK', trackerKind: 'BUGZILLA', trackerUrl: 'https://bugzilla.example.org', webhookUrl: 'http://hooks.example.org/in', mailingList: null } } });
    // Left out: the secret stays.
    const renamed = await app.gql(UPDATE_UPSTREAM, { input: { slug: 'changing', name: 'Changed' } }, { token: admin.token });
    expect(renamed.body.errors).toBeUndefined();
    expect((await app.sql(`SELECT webhook_secret FROM upstream WHERE slug = 'changing'`))[0]).toEqual({ webhook_secret: SECRET });
    const cleared = await app.gql(UPDATE_UPSTREAM, { input: { slug: 'changing', forwarding: 'MANUAL', webhookUrl: null, webhookSecret: null, trackerKind: 'NONE' } }, { token: admin.token });
    expect(cleared.body.data).toMatchObject({ updateUpstream: { upstream: { forwarding: 'MANUAL', trackerKind: 'NONE', webhookUrl: null } } });
    expect((await app.sql(`SELECT webhook_secret FROM upstream WHERE slug = 'changing'`))[0]).toEqual({ webhook_secret: null });
  });

  it('gives components their package names, changes and clears them', async () => {
    const created = await app.gql(CREATE_COMPONENT, { input: { slug: 'packaging/fedora', name: 'Fedora packaging', parentSlug: 'packaging', packageName: 'xen-xapi+ocaml.4' } }, { token: admin.token });
    expect(created.body.data).toEqual({ createComponent: { component: { slug: 'packaging/fedora', packageName: 'xen-xapi+ocaml.4' } } });
    const changed = await app.gql(UPDATE_COMPONENT, { input: { slug: 'packaging/fedora', packageName: 'xapi' } }, { token: admin.token });
    expect(changed.body.data).toEqual({ updateComponent: { component: { slug: 'packaging/fedora', packageName: 'xapi' } } });
    const renamed = await app.gql(UPDATE_COMPONENT, { input: { slug: 'packaging/fedora', name: 'Fedora' } }, { token: admin.token });
    expect(renamed.body.data).toEqual({ updateComponent: { component: { slug: 'packaging/fedora', packageName: 'xapi' } } });
    const cleared = await app.gql(UPDATE_COMPONENT, { input: { slug: 'packaging/fedora', packageName: null } }, { token: admin.token });
    expect(cleared.body.data).toEqual({ updateComponent: { component: { slug: 'packaging/fedora', packageName: null } } });
  });

  it.each([
    ['webhook forwarding without a URL', CREATE_UPSTREAM, { slug: 'h1', name: 'x', forwarding: 'WEBHOOK', webhookSecret: SECRET }, 'webhookUrl'],
    ['webhook forwarding without a secret', CREATE_UPSTREAM, { slug: 'h2', name: 'x', forwarding: 'WEBHOOK', webhookUrl: 'https://hooks.example.org' }, 'webhookSecret'],
    ['a short secret', CREATE_UPSTREAM, { slug: 'h3', name: 'x', forwarding: 'MANUAL', webhookSecret: 'fifteen-chars!!' }, 'webhookSecret'],
    ['a webhook URL that is not http(s)', CREATE_UPSTREAM, { slug: 'h4', name: 'x', forwarding: 'MANUAL', webhookUrl: 'ftp://hooks.example.org' }, 'webhookUrl'],
    ['a tracker URL that is not a URL', CREATE_UPSTREAM, { slug: 'h5', name: 'x', forwarding: 'MANUAL', trackerUrl: 'bugs somewhere' }, 'trackerUrl'],
    ['a mailing list that is not an address', CREATE_UPSTREAM, { slug: 'h6', name: 'x', forwarding: 'MAILING_LIST', mailingList: 'the list' }, 'mailingList'],
    ['an update to a short secret', UPDATE_UPSTREAM, { slug: 'debian', webhookSecret: 'short' }, 'webhookSecret'],
    ['a null tracker kind', UPDATE_UPSTREAM, { slug: 'debian', trackerKind: null }, 'trackerKind'],
    ['switching to webhooks without a secret', UPDATE_UPSTREAM, { slug: 'debian', forwarding: 'WEBHOOK', webhookUrl: 'https://hooks.example.org' }, 'webhookSecret'],
    ['a webhook upstream losing its secret', UPDATE_UPSTREAM, { slug: 'hooked', webhookSecret: null }, 'webhookSecret'],
    ['an update to a bad webhook URL', UPDATE_UPSTREAM, { slug: 'debian', webhookUrl: 'javascript:alert(1)' }, 'webhookUrl'],
    ['an update to a bad mailing list', UPDATE_UPSTREAM, { slug: 'debian', mailingList: 'submit at bugs' }, 'mailingList'],
    ['a bad package name', CREATE_COMPONENT, { slug: 'packaging/arch', name: 'x', parentSlug: 'packaging', packageName: 'Xcp Xapi' }, 'packageName'],
    ['an update to a bad package name', UPDATE_COMPONENT, { slug: 'packaging/debian', packageName: '-xapi' }, 'packageName'],
  ])('refuses %s, naming the field, writing nothing', async (_, mutation, input, field) => {
    const before = await catalogueState(app);
    const response = await app.gql(mutation, { input }, { token: admin.token });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors![0].extensions!.field).toBe(field);
    expect(response.body.errors![0].message).toMatch(new RegExp(field));
    expect(await catalogueState(app)).toEqual(before);
  });

  it('lets only admins set them', async () => {
    const before = await catalogueState(app);
    const maintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'debian' }] });
    expect(errorCodes(await app.gql(UPDATE_UPSTREAM, { input: { slug: 'debian', trackerKind: 'NONE' } }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await app.gql(UPDATE_UPSTREAM, { input: { slug: 'debian', webhookSecret: SECRET } }, { token: maintainer.token }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await app.gql(UPDATE_COMPONENT, { input: { slug: 'packaging/debian', packageName: 'xapi' } }, { token: maintainer.token }))).toEqual(['FORBIDDEN']);
    expect(await catalogueState(app)).toEqual(before);
  });
});
