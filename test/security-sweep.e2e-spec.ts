import { createActor, createAdmin, type TestActor } from './support/actors';
import { fileBug, type FiledItem } from './support/items';
import { subscribeItemEvents, type LiveSubscription } from './support/live';
import { SmtpSink, type ReceivedMail } from './support/smtp-sink';
import { WebhookReceiver } from './support/webhook-receiver';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The security sweep: every query and field that returns items or counts, asked by viewers who
 * may not see an embargoed report, must not give away that it exists (its ID, title, number,
 * or a count that includes it). The reporter asks the same and must see it: a read path that
 * never returns it would prove nothing.
 *
 * EVERY NEW READ PATH OF ITEMS OR COUNTS JOINS `READ_PATHS` (or `HTTP_PATHS`, `WRITE_PATHS`).
 * What leaves by itself is swept too: notification mails (over a real SMTP server), integrators'
 * webhook POSTs (a real receiver) and live events (a real graphql-ws client), each of which
 * must carry nothing of the embargoed reports to those who may not see them, events of public
 * items that name them (duplicate links) included.
 */

/** What the sweep knows of the world it built. */
interface World {
  /** Embargoed: open, tagged, commented, with an attachment, fixed in a release, voted for. */
  secret: FiledItem;
  /** Embargoed, closed as a duplicate of `original` (so `original`'s timeline names it). */
  secretDuplicate: FiledItem;
  /** Public, the original of `secretDuplicate`. */
  original: FiledItem;
  /** Public, closed as a duplicate of the embargoed `secretOriginal`. */
  publicDuplicate: FiledItem;
  secretOriginal: FiledItem;
  commentId: string;
  eventId: string;
  attachmentId: string;
  attachmentUrl: string;
  forwardId: string;
}

type Viewer = 'anonymous' | 'another user' | 'maintainer of another upstream' | 'reporter';
const OUTSIDERS: Viewer[] = ['anonymous', 'another user', 'maintainer of another upstream'];

/** Words only the embargoed reports carry. */
const MARKER = 'embargomarker';
const TAG = 'embargo-tag';

interface ReadPath {
  name: string;
  query: string;
  variables?: (world: World) => Record<string, unknown>;
  /** For a path that only counts: where in `data` the count is (outsiders must get 0, the reporter more). */
  count?: (data: Record<string, unknown>) => number;
  /**
   * false for a path that keeps embargoed reports out for everyone, their reporter included
   * (what is learned from public items only): no reporter's control then.
   */
  reporterSees?: false;
}

const PAGE = `totalCount nodes { id number title } edges { node { id } }`;

const READ_PATHS: ReadPath[] = [
  { name: 'item(number)', query: `query ($n: Int!) { item(number: $n) { id title } }`, variables: (w) => ({ n: w.secret.number }) },
  { name: 'node(id)', query: `query ($id: ID!) { node(id: $id) { id ... on Item { title } } }`, variables: (w) => ({ id: w.secret.id }) },
  { name: 'nodes(ids)', query: `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Item { title } } }`, variables: (w) => ({ ids: [w.secret.id, w.original.id, w.secretDuplicate.id] }) },
  { name: 'items', query: `{ items(first: 100) { ${PAGE} } }` },
  { name: 'items, backwards', query: `{ items(last: 100) { ${PAGE} } }` },
  { name: 'items(filter.text)', query: `{ items(filter: { text: "${MARKER}" }) { ${PAGE} } }` },
  { name: 'items(filter.text) totalCount', query: `{ items(filter: { text: "${MARKER}" }) { totalCount } }`, count: (d) => (d.items as { totalCount: number }).totalCount },
  { name: 'items(filter.tags) totalCount', query: `{ items(filter: { tags: ["${TAG}"] }) { totalCount } }`, count: (d) => (d.items as { totalCount: number }).totalCount },
  { name: 'items(filter.components) by importance', query: `{ items(first: 100, filter: { components: ["xen"] }, orderBy: { field: IMPORTANCE, direction: DESC }) { ${PAGE} } }` },
  { name: 'items(filter.upstreams) by votes', query: `{ items(first: 100, filter: { upstreams: ["xen-project"] }, orderBy: { field: VOTES, direction: DESC }) { ${PAGE} } }` },
  { name: 'items(filter.reporter)', query: `query ($r: String!) { items(filter: { reporter: $r }) { ${PAGE} } }`, variables: () => ({ r: 'sweep-reporter' }) },
  { name: 'items(filter.closed: true)', query: `{ items(first: 100, filter: { closed: true }) { ${PAGE} } }` },
  { name: 'search(words)', query: `{ search(query: "${MARKER}") { ${PAGE} } }` },
  { name: 'search(words) totalCount', query: `{ search(query: "${MARKER}") { totalCount } }`, count: (d) => (d.search as { totalCount: number }).totalCount },
  { name: 'search(tag:)', query: `{ search(query: "tag:${TAG}") { ${PAGE} } }` },
  { name: 'search(tag:) totalCount', query: `{ search(query: "tag:${TAG}") { totalCount } }`, count: (d) => (d.search as { totalCount: number }).totalCount },
  { name: 'search(is:open sort:votes-desc)', query: `{ search(query: "is:open sort:votes-desc", first: 100) { ${PAGE} } }` },
  { name: 'search(component: words, by relevance)', query: `{ search(query: "component:xen hypervisor ${MARKER}") { ${PAGE} } }` },
  { name: 'similarItems', query: `{ similarItems(title: "${MARKER} hypervisor escape through grant tables", first: 20) { id title } }` },
  { name: 'Upstream.items', query: `{ upstream(slug: "xen-project") { items(first: 100) { ${PAGE} } } }` },
  { name: 'Upstream.items totalCount', query: `{ upstream(slug: "xen-project") { items(filter: { tags: ["${TAG}"] }) { totalCount } } }`, count: (d) => ((d.upstream as { items: { totalCount: number } }).items.totalCount) },
  { name: 'upstreams { items }', query: `{ upstreams { items(first: 50, filter: { text: "${MARKER}" }) { ${PAGE} } } }` },
  { name: 'Release.fixedItems', query: `{ releases { slug fixedItems(first: 10) { ${PAGE} } } }` },
  { name: 'Release.fixedItems totalCount', query: `{ releases { slug fixedItems(filter: { tags: ["${TAG}"] }) { totalCount } } }`, count: (d) => (d.releases as { fixedItems: { totalCount: number } }[]).reduce((n, r) => n + r.fixedItems.totalCount, 0) },
  { name: 'Release.plannedItems', query: `{ releases { slug plannedItems(first: 10) { ${PAGE} } } }` },
  { name: 'timeline of the original of an embargoed duplicate', query: `query ($n: Int!) { item(number: $n) { timeline(first: 100) { totalCount nodes { id type summary } } } }`, variables: (w) => ({ n: w.original.number }) },
  { name: 'timeline totalCount of that original', query: `query ($n: Int!) { item(number: $n) { timeline(first: 100) { totalCount nodes { type } } } }`, variables: (w) => ({ n: w.original.number }),
    count: (d) => ((d.item as { timeline: { nodes: { type: string }[] } }).timeline.nodes.filter((e) => e.type === 'MARKED_DUPLICATE').length) },
  { name: 'duplicateOf and timeline of a public duplicate of an embargoed original', query: `query ($n: Int!) { item(number: $n) { duplicateOf { id title } timeline(first: 100) { nodes { id summary } } } }`, variables: (w) => ({ n: w.publicDuplicate.number }) },
  { name: 'node(comment id)', query: `query ($id: ID!) { node(id: $id) { id ... on Comment { body } } }`, variables: (w) => ({ id: w.commentId }) },
  { name: 'node(timeline event id)', query: `query ($id: ID!) { node(id: $id) { id ... on TimelineEvent { summary } } }`, variables: (w) => ({ id: w.eventId }) },
  { name: 'node(forward id)', query: `query ($id: ID!) { node(id: $id) { id ... on Forward { reference } } }`, variables: (w) => ({ id: w.forwardId }) },
  { name: 'suggestComponents (learned from public items only)', reporterSees: false,
    query: `{ suggestComponents(title: "Hypervisor escape through grant tables ${MARKER}", description: "${MARKER} boot", first: 10) { component { slug } score reason } }` },
  { name: 'Viewer.notifications', reporterSees: false,
    query: `{ viewer { unreadNotificationCount notifications(first: 100) { totalCount nodes { reason item { id title } event { id summary } } } } }` },
  { name: 'node(attachment id)', query: `query ($id: ID!) { node(id: $id) { id ... on Attachment { filename } } }`, variables: (w) => ({ id: w.attachmentId }) },
];

/** Mutations on the embargoed report by viewers who may not see it: NOT_FOUND, exactly as for no item. */
const WRITE_PATHS: { name: string; query: string }[] = [
  { name: 'vote', query: `mutation ($id: ID!) { vote(input: { itemId: $id }) { item { id } } }` },
  { name: 'unvote', query: `mutation ($id: ID!) { unvote(input: { itemId: $id }) { item { id } } }` },
  { name: 'addComment', query: `mutation ($id: ID!) { addComment(input: { itemId: $id, body: "is this the one?" }) { comment { id } } }` },
  { name: 'editItem', query: `mutation ($id: ID!) { editItem(input: { itemId: $id, title: "Guessing the title here" }) { item { id } } }` },
  { name: 'triage', query: `mutation ($id: ID!) { triage(input: { itemId: $id, importance: HIGH }) { item { id } } }` },
  { name: 'assign', query: `mutation ($id: ID!) { assign(input: { itemId: $id, username: null }) { item { id } } }` },
  { name: 'disclose', query: `mutation ($id: ID!) { disclose(input: { itemId: $id }) { item { id } } }` },
];

/** Leaks: the embargoed reports' IDs, their marker word, or their numbers as #N. */
function leaks(world: World, response: unknown): string[] {
  const text = JSON.stringify(response);
  const secrets = [world.secret, world.secretDuplicate, world.secretOriginal];
  const found: string[] = [];
  for (const s of secrets) {
    // Quoted: a global ID may be the prefix of another (base64 of "Bug:1" and of "Bug:12").
    if (text.includes(`"${s.id}"`)) found.push(`id of #${s.number}`);
    if (new RegExp(`#${s.number}(?!\\d)`).test(text)) found.push(`#${s.number}`);
  }
  if (text.toLowerCase().includes(MARKER)) found.push('the title');
  if ([world.commentId, world.eventId, world.attachmentId, world.forwardId].some((id) => text.includes(`"${id}"`))) found.push('a comment, event or attachment id');
  return found;
}

describe('the security sweep: an embargoed report exists only for its reporter, its maintainers and admins', () => {
  let app: TestApp;
  let world: World;
  const viewers = {} as Record<Viewer, TestActor | null>;
  let sink: SmtpSink;
  let receiver: WebhookReceiver;
  const live = new Map<Viewer, LiveSubscription[]>();

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    receiver = await new WebhookReceiver('the sweep hook secret').start();
    app = await startTestApp({ withWorker: true, config: { SMTP_URL: sink.url, WEBHOOK_ALLOW_PRIVATE: true, JOBS_POLL_SECONDS: 0.5 } });
    const admin = await createAdmin(app);
    const reporter = await createActor(app, { username: 'sweep-reporter' });
    viewers.anonymous = null;
    viewers['another user'] = await createActor(app);
    viewers['maintainer of another upstream'] = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'debian' }] });
    viewers.reporter = reporter;
    // Every signed-in viewer has a verified address: mail would reach them.
    for (const viewer of [viewers['another user']!, viewers['maintainer of another upstream']!, reporter]) {
      await app.sql(`UPDATE app_user SET email_verified_at = now() WHERE id = $1`, [viewer.userId]);
    }
    const hook = await app.gql(`mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } } }`, { input: { url: receiver.url, secret: 'the sweep hook secret' } }, { token: admin.token });
    if (hook.body.errors) throw new Error(JSON.stringify(hook.body.errors));
    const file = async (title: string, visibility: 'PUBLIC' | 'SECURITY', tags: string[] = []) => {
      const response = await app.gql<{ fileBug: { bug: FiledItem } }>(
        `mutation ($input: FileBugInput!) { fileBug(input: $input) { bug { id number } } }`,
        { input: { title, description: `Steps: boot, then ${visibility === 'SECURITY' ? MARKER : 'nothing'} happens.`, componentSlug: 'xen', visibility, tags } },
        { token: reporter.token },
      );
      if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
      return response.body.data!.fileBug.bug;
    };
    // Outsiders follow the upstream and the component the reports go to: nothing of them may reach their notifications.
    const xen = await app.gql<{ upstream: { id: string }; component: { id: string } }>(`{ upstream(slug: "xen-project") { id } component(slug: "xen") { id } }`);
    for (const viewer of [viewers['another user']!, viewers['maintainer of another upstream']!]) {
      for (const id of [xen.body.data!.upstream.id, xen.body.data!.component.id]) {
        const followed = await app.gql(`mutation ($id: ID!) { updateSubscription(input: { subscribableId: $id, state: SUBSCRIBED }) { subscribable { id } } }`, { id }, { token: viewer.token });
        if (followed.body.errors) throw new Error(JSON.stringify(followed.body.errors));
      }
    }
    const secret = await file(`Hypervisor escape through grant tables ${MARKER}`, 'SECURITY', [TAG]);
    const secretDuplicate = await file(`Grant table escape again ${MARKER}`, 'SECURITY', [TAG]);
    const secretOriginal = await file(`Original grant table escape ${MARKER}`, 'SECURITY', [TAG]);
    const original = await fileBug(app, reporter, { title: 'Guest crashes when grant tables fill up', componentSlug: 'xen' });
    const publicDuplicate = await fileBug(app, reporter, { title: 'Guest crash with many grants', componentSlug: 'xen' });
    // Everyone listens live to the public items whose timelines will name the embargoed ones.
    for (const viewer of [...OUTSIDERS, 'reporter' as const]) {
      live.set(viewer, [await subscribeItemEvents(app, original.id, viewers[viewer]?.token), await subscribeItemEvents(app, publicDuplicate.id, viewers[viewer]?.token)]);
    }
    const run = async (query: string, variables: Record<string, unknown>, token = admin.token) => {
      const response = await app.gql<Record<string, never>>(query, variables, { token });
      if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
      return response.body.data!;
    };
    await run(`mutation ($a: ID!, $b: ID!) { markDuplicate(input: { itemId: $a, duplicateOfId: $b }) { item { id } } }`, { a: secretDuplicate.id, b: original.id });
    await run(`mutation ($a: ID!, $b: ID!) { markDuplicate(input: { itemId: $a, duplicateOfId: $b }) { item { id } } }`, { a: publicDuplicate.id, b: secretOriginal.id });
    const comment = (await run(`mutation ($id: ID!) { addComment(input: { itemId: $id, body: "PoC attached" }) { comment { id } } }`, { id: secret.id }, reporter.token)) as unknown as { addComment: { comment: { id: string } } };
    await run(`mutation ($id: ID!) { vote(input: { itemId: $id }) { item { id } } }`, { id: secret.id }, reporter.token);
    await app.sql(`UPDATE item SET fixed_in_id = (SELECT id FROM release WHERE slug = 'xenserver-6.2'), planned_for_id = (SELECT id FROM release WHERE slug = 'xenserver-6.2') WHERE number = $1`, [secret.number]);
    const form = new FormData();
    form.append('file', new Blob([`${MARKER} proof of concept\n`]), 'poc.txt');
    const uploaded = await fetch(`${app.url}/items/${secret.number}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${reporter.token}` } });
    const attachment = (await uploaded.json()) as { id: string; url: string };
    await app.sql(
      `INSERT INTO forward (item_id, upstream_id, kind, state, reference) SELECT id, route_upstream_id, 'ROUTED', 'FORWARDED', 'security@xenproject.org' FROM item WHERE number = $1
       ON CONFLICT (item_id, upstream_id) DO UPDATE SET state = 'FORWARDED'`,
      [secret.number],
    );
    // A vote on the embargoed duplicate counts on its public original (see the test of voteCount).
    await run(`mutation ($id: ID!) { vote(input: { itemId: $id }) { item { id } } }`, { id: secretDuplicate.id }, reporter.token);
    // Public news on both public items, which every viewer must hear of: the paths do carry things.
    for (const item of [original, publicDuplicate]) await run(`mutation ($id: ID!) { addComment(input: { itemId: $id, body: "public note" }) { comment { id } } }`, { id: item.id });
    const settled = Date.now() + 20_000;
    while ((await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM delivery WHERE state = 'PENDING'`))[0].n > 0 && Date.now() < settled) await new Promise((r) => setTimeout(r, 50));
    for (const viewer of [...OUTSIDERS, 'reporter' as const]) for (const subscription of live.get(viewer)!) await subscription.until(1);
    const [forward] = await app.sql<{ id: number }>(`SELECT f.id FROM forward f JOIN item i ON i.id = f.item_id WHERE i.number = $1`, [secret.number]);
    const [event] = await app.sql<{ id: number }>(`SELECT id FROM timeline_event WHERE item_id = (SELECT id FROM item WHERE number = $1) ORDER BY id LIMIT 1`, [secret.number]);
    world = {
      secret, secretDuplicate, original, publicDuplicate, secretOriginal,
      commentId: comment.addComment.comment.id,
      eventId: Buffer.from(`TimelineEvent:${event.id}`).toString('base64url'),
      attachmentId: attachment.id,
      attachmentUrl: attachment.url,
      forwardId: Buffer.from(`Forward:${forward.id}`).toString('base64url'),
    };
  });
  afterAll(async () => {
    for (const subscriptions of live.values()) for (const subscription of subscriptions) await subscription.close();
    await app.close();
    await sink.stop();
    await receiver.stop();
  });

  it('builds the global id of a timeline event as the API does', async () => {
    const response = await app.gql<{ node: { id: string } | null }>(`query ($id: ID!) { node(id: $id) { id } }`, { id: world.eventId }, { token: viewers.reporter!.token });
    expect(response.body.data!.node).toEqual({ id: world.eventId });
  });

  describe.each(READ_PATHS)('$name', (path) => {
    it.each(OUTSIDERS)('gives nothing away to %s', async (viewer) => {
      const response = await app.gql<Record<string, unknown>>(path.query, path.variables?.(world), { token: viewers[viewer]?.token });
      expect(response.body.errors).toBeUndefined();
      if (path.count) expect(path.count(response.body.data!)).toBe(0);
      expect(leaks(world, response.body)).toEqual([]);
    });

    if (path.reporterSees !== false) it('shows it to its reporter', async () => {
      const response = await app.gql<Record<string, unknown>>(path.query, path.variables?.(world), { token: viewers.reporter!.token });
      expect(response.body.errors).toBeUndefined();
      if (path.count) expect(path.count(response.body.data!)).toBeGreaterThan(0);
      else expect(leaks(world, response.body)).not.toEqual([]);
    });
  });

  // Suggestions learn only from public reports, for every viewer alike: the embargoed reports'
  // marker word points nowhere, not even for their reporter, and no reason counts them.
  describe('suggestComponents', () => {
    const query = `{ suggestComponents(title: "${MARKER} escape", description: "${MARKER}", first: 10) { component { slug } score reason } }`;
    it.each([...OUTSIDERS, 'reporter' as const])('learned nothing of it, asked by %s', async (viewer) => {
      const response = await app.gql<{ suggestComponents: { reason: string }[] }>(query, {}, { token: viewers[viewer]?.token });
      expect(response.body.errors).toBeUndefined();
      expect(leaks(world, response.body)).toEqual([]);
      const [learned] = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM component_word WHERE word IN (SELECT word FROM item_words($1, '')) AND items > 0`, [MARKER]);
      expect(learned.n).toBe(0);
    });
  });

  describe('downloading its attachment', () => {
    it.each(OUTSIDERS)('is 404 for %s', async (viewer) => {
      const token = viewers[viewer]?.token;
      const response = await fetch(`${app.url}${world.attachmentUrl}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain(MARKER);
    });

    it('works for its reporter', async () => {
      const response = await fetch(`${app.url}${world.attachmentUrl}`, { headers: { authorization: `Bearer ${viewers.reporter!.token}` } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(MARKER);
    });

    it.each(OUTSIDERS.filter((v) => v !== 'anonymous'))('is refused as a new upload from %s, as if there were no item', async (viewer) => {
      const form = new FormData();
      form.append('file', new Blob(['x']), 'x.txt');
      const response = await fetch(`${app.url}/items/${world.secret.number}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${viewers[viewer]!.token}` } });
      expect(response.status).toBe(404);
    });
  });

  describe.each(WRITE_PATHS)('mutation $name', ({ query }) => {
    it.each(OUTSIDERS.filter((v) => v !== 'anonymous'))('is NOT_FOUND for %s, and writes nothing', async (viewer) => {
      const [before] = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM timeline_event`);
      const response = await app.gql(query, { id: world.secret.id }, { token: viewers[viewer]!.token });
      expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
      expect(leaks(world, { data: response.body.data })).toEqual([]);
      const [after] = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM timeline_event`);
      expect(after.n).toBe(before.n);
    });
  });
  describe('what leaves by itself', () => {
    const mailsOf = (viewer: TestActor): ReceivedMail[] => sink.mails.filter((m) => m.envelope.to.includes(`${viewer.username}@example.org`));
    // What a mail reader sees: subject, decoded text, and the headers filters read.
    const readable = (mails: ReceivedMail[]) => mails.map((m) => ({ subject: m.parsed.subject, text: m.parsed.text, headers: [...m.parsed.headers.entries()].map(([k, v]) => `${k}: ${JSON.stringify(v)}`) }));
    const signedIn = OUTSIDERS.filter((v) => v !== 'anonymous');

    it.each(signedIn)('mails nothing of it to %s (who follows its upstream and component), though public news reaches them', (viewer) => {
      const mails = mailsOf(viewers[viewer]!);
      expect(mails.some((m) => m.parsed.subject === `[#${world.original.number}] Guest crashes when grant tables fill up`)).toBe(true);
      expect(leaks(world, readable(mails))).toEqual([]);
    });

    it('mails its reporter of it', () => {
      expect(leaks(world, readable(mailsOf(viewers.reporter!)))).not.toEqual([]);
    });

    it("POSTs nothing of it to integrators' webhooks, though public events reach them", () => {
      expect(receiver.hooks.some((h) => h.body.includes('"item.commented"') && h.body.includes(`"number":${world.original.number}`))).toBe(true);
      expect(receiver.hooks.every((h) => h.signatureValid)).toBe(true);
      expect(leaks(world, receiver.hooks.map((h) => JSON.parse(h.body) as unknown))).toEqual([]);
    });

    it.each(OUTSIDERS)('sends %s no live event naming it, though public events reach them', (viewer) => {
      const events = live.get(viewer)!.flatMap((s) => s.events);
      expect(events.filter((e) => e.type === 'COMMENTED').map((e) => e.item.number).sort()).toEqual([world.original.number, world.publicDuplicate.number].sort());
      expect(leaks(world, events)).toEqual([]);
    });

    it('sends its reporter the live events naming it', () => {
      expect(leaks(world, live.get('reporter')!.flatMap((s) => s.events))).not.toEqual([]);
    });

    // Decided: as Launchpad, a public original counts the voters of all its duplicates, embargoed
    // ones included. The count is a number of people and names nothing; leaving them out for some
    // viewers would make the count disagree with the VOTES ordering and the minVotes filter.
    it.each([...OUTSIDERS, 'reporter' as const])("counts an embargoed duplicate's voter on its public original, naming nothing, for %s", async (viewer) => {
      const response = await app.gql<{ item: { voteCount: number } }>(`query ($n: Int!) { item(number: $n) { voteCount timeline(first: 100) { nodes { type summary } } } }`, { n: world.original.number }, { token: viewers[viewer]?.token });
      expect(response.body.data!.item.voteCount).toBe(1);
      if (viewer !== 'reporter') expect(leaks(world, response.body)).toEqual([]);
    });
  });
});
