import { createActor, createAdmin, type TestActor } from './support/actors';
import { fileBug } from './support/items';
import { SmtpSink } from './support/smtp-sink';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const SECRET = 'the hook receiver secret, 32 chars';
const FORWARD = `mutation ($input: ForwardInput!) { forward(input: $input) { forward { id state reference url upstream { slug } } } }`;
const FORWARDS = `query ($id: ID!) { node(id: $id) { ... on Item { number forwards { id kind: __typename state reference url upstream { slug }
  deliveries(first: 10) { totalCount nodes { id channel destination state attempts lastError messageId deliveredAt nextAttemptAt } } } } } }`;

type DeliveryNode = { id: string; channel: string; destination: string; state: string; attempts: number; lastError: string | null; messageId: string };
type ForwardNode = { id: string; state: string; reference: string | null; url: string | null; upstream: { slug: string }; deliveries: { totalCount: number; nodes: DeliveryNode[] } };

describe('forwarding by mail and webhook', () => {
  let app: TestApp;
  let admin: TestActor;
  let reporter: TestActor;
  const sink = new SmtpSink();
  const receiver = new WebhookReceiver(SECRET);

  async function forwardsOf(itemId: string): Promise<ForwardNode[]> {
    const response = await app.gql<{ node: { forwards: ForwardNode[] } }>(FORWARDS, { id: itemId }, { token: admin.token });
    if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
    return response.body.data!.node.forwards;
  }

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > end) throw new Error(`still not there: ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    await sink.start();
    await receiver.start();
    app = await startTestApp({
      withWorker: true,
      config: {
        SMTP_URL: sink.url, MAIL_FROM: 'tracker@headwaters.example.org', PUBLIC_URL: 'https://bugs.headwaters.example.org/',
        DELIVERY_MAX_ATTEMPTS: 3, DELIVERY_RETRY_BASE_SECONDS: 0.2, WEBHOOK_TIMEOUT_SECONDS: 0.5, WEBHOOK_ALLOW_PRIVATE: true, JOBS_POLL_SECONDS: 0.5,
      },
    });
    admin = await createAdmin(app);
    reporter = await createActor(app);
    const hook = await app.gql(
      `mutation ($input: CreateUpstreamInput!) { createUpstream(input: $input) { upstream { slug } } }`,
      { input: { slug: 'hooked', name: 'Hooked Project', forwarding: 'WEBHOOK', webhookUrl: receiver.url, webhookSecret: SECRET } },
      { token: admin.token },
    );
    expect(hook.body.errors).toBeUndefined();
    await app.gql(`mutation { createComponent(input: { slug: "hooked-part", name: "Hooked part", ownerSlug: "hooked" }) { component { slug } } }`, {}, { token: admin.token });
  });
  afterAll(async () => {
    await app.close();
    await sink.stop();
    await receiver.stop();
    await new Promise((r) => setTimeout(r, 1100));
  });

  it('mails a Debian packaging bug to the BTS with its pseudo-headers, Message-ID and link, and shows the delivery', async () => {
    const maintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'debian' }] });
    const bug = await fileBug(app, reporter, { title: 'xcp-xapi fails to start after upgrade', description: 'xapi exits with code 2.', componentSlug: 'packaging/debian', affectedReleaseSlugs: ['xenserver-6.2'] });
    const forwarded = await app.gql<{ forward: { forward: { state: string; reference: string; upstream: { slug: string } } } }>(FORWARD, { input: { itemId: bug.id } }, { token: maintainer.token });
    expect(forwarded.body.errors).toBeUndefined();
    const forward = forwarded.body.data!.forward.forward;
    expect(forward.state).toBe('FORWARDED');
    expect(forward.reference).toMatch(new RegExp(`^<item-${bug.number}\\.forward-\\d+@headwaters\\.example\\.org>$`));

    await until(async () => sink.mails.filter((m) => m.parsed.messageId === forward.reference), (m) => m.length === 1);
    const mail = sink.mails.find((m) => m.parsed.messageId === forward.reference)!;
    expect(mail.envelope).toEqual({ from: 'tracker@headwaters.example.org', to: ['submit@bugs.debian.org'] });
    expect(mail.parsed.subject).toBe(`[#${bug.number}] xcp-xapi fails to start after upgrade`);
    expect(mail.parsed.text!.split('\n').slice(0, 3)).toEqual(['Package: xcp-xapi', 'Version: xenserver-6.2', '']);
    expect(mail.parsed.text).toContain('xapi exits with code 2.');
    expect(mail.parsed.text).toContain(`Link:      https://bugs.headwaters.example.org/items/${bug.number}`);
    expect(mail.parsed.text).toContain(`Reporter:  ${reporter.username}`);
    expect(mail.parsed.text).toContain('Route:     packaging/debian is owned by');
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.parsed.headers.get('x-headwaters-item')).toBe(String(bug.number));

    const [routed] = await until(() => forwardsOf(bug.id), (f) => f[0].deliveries.nodes[0]?.state === 'DELIVERED');
    expect(routed.deliveries).toMatchObject({ totalCount: 1, nodes: [{ channel: 'MAIL', destination: 'submit@bugs.debian.org', state: 'DELIVERED', attempts: 1, lastError: null, messageId: forward.reference }] });
  });

  it('mails a list whose tracker is not debbugs without pseudo-headers', async () => {
    const bug = await fileBug(app, reporter, { title: 'xenopsd leaks a domain', description: 'After 100 migrations.', componentSlug: 'xapi/xenopsd' });
    const forwarded = await app.gql<{ forward: { forward: { reference: string } } }>(FORWARD, { input: { itemId: bug.id } }, { token: admin.token });
    const reference = forwarded.body.data!.forward.forward.reference;
    await until(async () => sink.mails.filter((m) => m.parsed.messageId === reference), (m) => m.length === 1);
    const mail = sink.mails.find((m) => m.parsed.messageId === reference)!;
    expect(mail.envelope.to).toEqual(['xen-api@lists.xenproject.org']);
    expect(mail.parsed.text!.startsWith('After 100 migrations.')).toBe(true);
    expect(mail.parsed.text).not.toMatch(/^Package:/m);
  });

  it('POSTs a signed webhook and records the reference and url the receiver answers with', async () => {
    receiver.answer = () => ({ status: 200, body: { reference: 'HOOK-17', url: 'https://hooked.example.org/issues/17' } });
    const bug = await fileBug(app, reporter, { title: 'The hooked part hangs', componentSlug: 'hooked-part', affectedReleaseSlugs: ['xcp-1.6'] });
    const forwarded = await app.gql<{ forward: { forward: { state: string } } }>(FORWARD, { input: { itemId: bug.id } }, { token: admin.token });
    expect(forwarded.body.data!.forward.forward.state).toBe('FORWARDED');
    // A read runs the forward's and its deliveries' statements one after the other, so the
    // delivery's commit can fall between them: wait until the forward shows it too.
    const [routed] = await until(() => forwardsOf(bug.id), (f) => f[0].deliveries.nodes[0]?.state === 'DELIVERED' && f[0].reference !== null);
    expect(routed).toMatchObject({ state: 'FORWARDED', reference: 'HOOK-17', url: 'https://hooked.example.org/issues/17' });
    const delivery = routed.deliveries.nodes[0];
    const [post] = receiver.of(delivery.messageId);
    expect(post.signatureValid).toBe(true);
    expect(post.headers['x-headwaters-event']).toBe('item.forwarded');
    expect(JSON.parse(post.body)).toEqual({
      event: 'item.forwarded',
      delivery: delivery.messageId,
      item: {
        number: bug.number, title: 'The hooked part hangs', description: 'Steps to reproduce: ...', kind: 'BUG', status: 'NEW', importance: 'UNDECIDED',
        component: 'hooked-part', url: `https://bugs.headwaters.example.org/items/${bug.number}`, reporter: reporter.username, affectedReleases: ['xcp-1.6'],
      },
      upstream: { slug: 'hooked', name: 'Hooked Project' },
    });
    receiver.answer = () => ({ status: 200 });
  });

  it("moves the item's updatedAt when a receiver's answer names its reference, so a sync by updatedAt sees it", async () => {
    // Answered after a while, so that the answer is recorded well after the forward itself touched the item.
    receiver.answer = () => ({ status: 200, body: { reference: 'HOOK-18', url: 'https://hooked.example.org/issues/18' }, delayMs: 100 });
    const bug = await fileBug(app, reporter, { title: 'The hooked part leaks', componentSlug: 'hooked-part' });
    const updatedAt = async () => (await app.gql<{ node: { updatedAt: string } }>(`query ($id: ID!) { node(id: $id) { ... on Item { updatedAt } } }`, { id: bug.id })).body.data!.node.updatedAt;
    await app.gql(FORWARD, { input: { itemId: bug.id } }, { token: admin.token });
    const forwardedAt = await updatedAt();
    await until(() => forwardsOf(bug.id), (f) => f[0].reference === 'HOOK-18');
    const answeredAt = await updatedAt();
    expect(new Date(answeredAt).getTime()).toBeGreaterThan(new Date(forwardedAt).getTime());
    const newest = await app.gql<{ items: { nodes: { number: number; updatedAt: string }[] } }>(`query { items(first: 1, orderBy: { field: UPDATED_AT, direction: DESC }) { nodes { number updatedAt } } }`);
    expect(newest.body.data!.items.nodes).toEqual([{ number: bug.number, updatedAt: answeredAt }]);
    receiver.answer = () => ({ status: 200 });
  });

  it('puts the forward back to PENDING with FORWARD_FAILED when its POST fails, and redeliver sends it again with the same id', async () => {
    receiver.answer = () => ({ status: 500, body: 'down for maintenance' });
    const maintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'hooked' }] });
    const bug = await fileBug(app, reporter, { title: 'Hooked part crashes', componentSlug: 'hooked-part' });
    await app.gql(FORWARD, { input: { itemId: bug.id } }, { token: maintainer.token });
    const [failed] = await until(() => forwardsOf(bug.id), (f) => f[0].state === 'PENDING');
    expect(failed.deliveries.nodes[0]).toMatchObject({ state: 'FAILED', attempts: 3, lastError: 'HTTP 500: down for maintenance' });
    const timeline = await app.sql<{ type: string; summary: string }>(`SELECT type, summary FROM timeline_event WHERE item_id = (SELECT id FROM item WHERE number = $1) ORDER BY id`, [bug.number]);
    expect(timeline.at(-1)).toEqual({ type: 'FORWARD_FAILED', summary: 'The webhook POST to Hooked Project failed after 3 attempts (HTTP 500: down for maintenance); the forward is pending again' });
    const deliveryId = failed.deliveries.nodes[0].messageId;
    expect(receiver.of(deliveryId)).toHaveLength(3);

    expect(errorCodes(await app.gql(`mutation ($id: ID!) { redeliver(input: { deliveryId: $id }) { delivery { state } } }`, { id: failed.deliveries.nodes[0].id }, { token: reporter.token }))).toEqual(['FORBIDDEN']);
    receiver.answer = () => ({ status: 200 });
    const again = await app.gql<{ redeliver: { delivery: { state: string; attempts: number } } }>(`mutation ($id: ID!) { redeliver(input: { deliveryId: $id }) { delivery { state attempts } } }`, { id: failed.deliveries.nodes[0].id }, { token: maintainer.token });
    expect(again.body.data).toEqual({ redeliver: { delivery: { state: 'PENDING', attempts: 3 } } });
    const [delivered] = await until(() => forwardsOf(bug.id), (f) => f[0].deliveries.nodes[0].state === 'DELIVERED');
    expect(delivered.state).toBe('FORWARDED');
    expect(delivered.deliveries.nodes[0].attempts).toBe(4);
    const posts = receiver.of(deliveryId);
    expect(posts).toHaveLength(4);
    expect(posts.every((p) => p.signatureValid && p.body === posts[0].body)).toBe(true);
    const pending = await app.gql(`mutation ($id: ID!) { redeliver(input: { deliveryId: $id }) { delivery { state } } }`, { id: failed.deliveries.nodes[0].id }, { token: maintainer.token });
    expect(errorCodes(pending)).toEqual([]);
  });

  it('adds a forward to another upstream the item affects, whose maintainers may then forward it, found by forward:pending upstream:debian', async () => {
    const xapi = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'xapi-project' }] });
    const debian = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'debian' }] });
    const bug = await fileBug(app, reporter, { title: 'xe vm-export truncates large disks', componentSlug: 'xapi/xe-cli' });
    expect(errorCodes(await app.gql(FORWARD, { input: { itemId: bug.id, upstreamSlug: 'debian' } }, { token: debian.token }))).toEqual(['FORBIDDEN']);
    const added = await app.gql<{ alsoAffects: { forward: { state: string; upstream: { slug: string } }; item: { forwards: { upstream: { slug: string } }[] } } }>(
      `mutation ($id: ID!) { alsoAffects(input: { itemId: $id, upstreamSlug: "debian" }) { forward { state upstream { slug } } item { forwards { upstream { slug } } } } }`,
      { id: bug.id },
      { token: xapi.token },
    );
    expect(added.body.data!.alsoAffects.forward).toEqual({ state: 'PENDING', upstream: { slug: 'debian' } });
    const search = async () =>
      (await app.gql<{ search: { nodes: { number: number }[] } }>(`{ search(query: "forward:pending upstream:debian", first: 100) { nodes { number } } }`)).body.data!.search.nodes.map((n) => n.number);
    const filtered = async () =>
      (await app.gql<{ items: { nodes: { number: number }[] } }>(`{ items(first: 100, filter: { forwardState: [PENDING], upstreams: ["debian"] }) { nodes { number } } }`)).body.data!.items.nodes.map((n) => n.number);
    expect(await search()).toContain(bug.number);
    expect(await filtered()).toContain(bug.number);
    expect(errorCodes(await app.gql(`mutation ($id: ID!) { alsoAffects(input: { itemId: $id, upstreamSlug: "debian" }) { forward { state } } }`, { id: bug.id }, { token: xapi.token }))).toEqual(['CONFLICT']);

    const forwarded = await app.gql<{ forward: { forward: { state: string; reference: string } } }>(FORWARD, { input: { itemId: bug.id, upstreamSlug: 'debian' } }, { token: debian.token });
    expect(forwarded.body.errors).toBeUndefined();
    const reference = forwarded.body.data!.forward.forward.reference;
    await until(async () => sink.mails.filter((m) => m.parsed.messageId === reference), (m) => m.length === 1);
    const mail = sink.mails.find((m) => m.parsed.messageId === reference)!;
    expect(mail.envelope.to).toEqual(['submit@bugs.debian.org']);
    expect(mail.parsed.text!.startsWith('Package: xcp-xapi\n')).toBe(true);
    expect(await search()).not.toContain(bug.number);
    const forwards = await forwardsOf(bug.id);
    expect(forwards.map((f) => [f.upstream.slug, f.state])).toEqual([['debian', 'FORWARDED']]);
  });

  it('needs the reference for a MANUAL upstream, refuses a forward still being delivered, and writes nothing when it refuses', async () => {
    const bug = await fileBug(app, reporter, { componentSlug: 'dom0' });
    const manual = await app.gql(FORWARD, { input: { itemId: bug.id } }, { token: admin.token });
    expect(errorCodes(manual)).toEqual(['BAD_USER_INPUT']);
    expect(manual.body.errors![0].extensions!.field).toBe('reference');
    receiver.answer = () => 'hang';
    const hooked = await fileBug(app, reporter, { componentSlug: 'hooked-part' });
    await app.gql(FORWARD, { input: { itemId: hooked.id } }, { token: admin.token });
    const [before] = await app.sql(`SELECT (SELECT count(*)::int FROM delivery) d, (SELECT count(*)::int FROM timeline_event) e`);
    expect(errorCodes(await app.gql(FORWARD, { input: { itemId: hooked.id } }, { token: admin.token }))).toEqual(['CONFLICT']);
    expect((await app.sql(`SELECT (SELECT count(*)::int FROM delivery) d, (SELECT count(*)::int FROM timeline_event) e`))[0]).toEqual(before);
    receiver.answer = () => ({ status: 200 });
  });
});
