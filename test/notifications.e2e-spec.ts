import { createActor, createAdmin, type TestActor } from './support/actors';
import { fileBug, suggestFeature, writtenCounts } from './support/items';
import { catalogueId, COMMENT, follow, inboxOf, TRIAGE, UPDATE_SUBSCRIPTION } from './support/notifications';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const VOTE = `mutation ($input: VoteInput!) { vote(input: $input) { item { voteCount } } }`;
const MARK_READ = `mutation ($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) { viewer { unreadNotificationCount } } }`;

describe('following and the inbox', () => {
  let app: TestApp;
  let admin: TestActor;

  beforeAll(async () => {
    app = await startTestApp();
    admin = await createAdmin(app);
  });
  afterAll(() => app.close());

  it('tells the reporter, commenters and voters, never the actor, each with its reason', async () => {
    const reporter = await createActor(app);
    const commenter = await createActor(app);
    const voter = await createActor(app);
    const bystander = await createActor(app);
    const feature = await suggestFeature(app, reporter, { componentSlug: 'xencenter' });
    expect(errorCodes(await app.gql(COMMENT, { input: { itemId: feature.id, body: 'Me too' } }, { token: commenter.token }))).toEqual([]);
    expect(errorCodes(await app.gql(VOTE, { input: { itemId: feature.id } }, { token: voter.token }))).toEqual([]);
    expect(errorCodes(await app.gql(TRIAGE, { input: { itemId: feature.id, status: 'PLANNED' } }, { token: admin.token }))).toEqual([]);

    const ofReporter = await inboxOf(app, reporter);
    // The comment and the triage (newest first); not the reporter's own filing, not the vote (votes are reactions).
    expect(ofReporter.entries.map((e) => [e.event.type, e.reason])).toEqual([['STATUS_CHANGED', 'REPORTER'], ['COMMENTED', 'REPORTER']]);
    expect(ofReporter.entries[0].item.number).toBe(feature.number);
    expect(ofReporter.unread).toBe(2);
    expect((await inboxOf(app, commenter)).entries.map((e) => [e.event.type, e.reason])).toEqual([['STATUS_CHANGED', 'PARTICIPANT']]);
    expect((await inboxOf(app, voter)).entries.map((e) => [e.event.type, e.reason])).toEqual([['STATUS_CHANGED', 'VOTER']]);
    expect((await inboxOf(app, bystander)).entries).toEqual([]);
    expect((await inboxOf(app, admin)).entries.filter((e) => e.item.number === feature.number)).toEqual([]);
  });

  it('follows items, components with their subtree, and upstreams; IGNORED silences, the most specific state wins', async () => {
    const reporter = await createActor(app);
    const [itemFan, subtreeFan, upstreamFan, ignorer] = [await createActor(app), await createActor(app), await createActor(app), await createActor(app)];
    await follow(app, subtreeFan, await catalogueId(app, 'component', 'xapi'), 'SUBSCRIBED');
    await follow(app, upstreamFan, await catalogueId(app, 'upstream', 'xapi-project'), 'SUBSCRIBED');
    await follow(app, ignorer, await catalogueId(app, 'upstream', 'xapi-project'), 'SUBSCRIBED');
    const bug = await fileBug(app, reporter, { componentSlug: 'xapi/xenopsd' });
    await follow(app, itemFan, bug.id, 'SUBSCRIBED');
    await follow(app, ignorer, bug.id, 'IGNORED');
    const shown = await app.gql<{ item: { viewerSubscription: string | null } }>(`query ($n: Int!) { item(number: $n) { viewerSubscription } }`, { n: bug.number }, { token: itemFan.token });
    expect(shown.body.data!.item.viewerSubscription).toBe('SUBSCRIBED');
    const anonymous = await app.gql<{ item: { viewerSubscription: string | null } }>(`query ($n: Int!) { item(number: $n) { viewerSubscription } }`, { n: bug.number });
    expect(anonymous.body.data!.item.viewerSubscription).toBeNull();

    const ignorerBefore = (await inboxOf(app, ignorer)).total;
    expect(errorCodes(await app.gql(COMMENT, { input: { itemId: bug.id, body: 'Seen on 6.2 too' } }, { token: reporter.token }))).toEqual([]);
    for (const fan of [itemFan, subtreeFan, upstreamFan]) {
      expect((await inboxOf(app, fan)).entries.map((e) => [e.item.number, e.event.type, e.reason])).toContainEqual([bug.number, 'COMMENTED', 'SUBSCRIBED']);
    }
    expect((await inboxOf(app, ignorer)).total).toBe(ignorerBefore);
    // The subtree fan says the item is enough: UNSUBSCRIBED on it beats SUBSCRIBED on xapi.
    await follow(app, subtreeFan, bug.id, 'UNSUBSCRIBED');
    expect(errorCodes(await app.gql(COMMENT, { input: { itemId: bug.id, body: 'And on 7.0' } }, { token: reporter.token }))).toEqual([]);
    expect((await inboxOf(app, subtreeFan)).entries.filter((e) => e.item.number === bug.number).map((e) => e.event.type)).toEqual(['COMMENTED', 'FILED']);
    expect((await inboxOf(app, itemFan)).entries.filter((e) => e.item.number === bug.number).map((e) => e.event.type)).toEqual(['COMMENTED', 'COMMENTED']);
  });

  it('tells maintainers of new items routed to what they maintain, unless they opt out', async () => {
    const maintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'xenserver' }] });
    const optedOut = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'xenserver' }] });
    await follow(app, optedOut, await catalogueId(app, 'upstream', 'xenserver'), 'UNSUBSCRIBED');
    const reporter = await createActor(app);
    const bug = await fileBug(app, reporter, { componentSlug: 'xencenter' });
    expect((await inboxOf(app, maintainer)).entries.map((e) => [e.item.number, e.event.type, e.reason])).toEqual([[bug.number, 'FILED', 'MAINTAINER']]);
    expect((await inboxOf(app, optedOut)).entries).toEqual([]);
    // Only new items: a comment does not reach a maintainer who does not follow the item.
    await app.gql(COMMENT, { input: { itemId: bug.id, body: 'More detail' } }, { token: reporter.token });
    expect((await inboxOf(app, maintainer)).entries).toHaveLength(1);
  });

  it('pages newest first, filters unread, and marks read by id or all; others\' ids are NOT_FOUND', async () => {
    const reporter = await createActor(app);
    const other = await createActor(app);
    const bug = await fileBug(app, reporter);
    for (let i = 0; i < 5; i++) await app.gql(COMMENT, { input: { itemId: bug.id, body: `comment ${i}` } }, { token: other.token });
    const all = await inboxOf(app, reporter);
    expect(all.total).toBe(5);
    const firstTwo = await inboxOf(app, reporter, { first: 2 });
    expect(firstTwo.entries.map((e) => e.id)).toEqual(all.entries.slice(0, 2).map((e) => e.id));
    const marked = await app.gql(MARK_READ, { input: { ids: [all.entries[0].id, all.entries[1].id] } }, { token: reporter.token });
    expect(marked.body.data).toEqual({ markNotificationsRead: { viewer: { unreadNotificationCount: 3 } } });
    const unread = await inboxOf(app, reporter, { unreadOnly: true });
    expect(unread.entries.map((e) => e.id)).toEqual(all.entries.slice(2).map((e) => e.id));
    expect((await inboxOf(app, reporter)).entries.map((e) => e.read)).toEqual([true, true, false, false, false]);

    expect(errorCodes(await app.gql(MARK_READ, { input: { ids: [all.entries[2].id] } }, { token: other.token }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await app.gql(MARK_READ, { input: { ids: ['nope'] } }, { token: reporter.token }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await app.gql(MARK_READ, { input: {} }, { token: reporter.token }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await app.gql(MARK_READ, { input: { all: true } }))).toEqual(['UNAUTHENTICATED']);
    expect((await inboxOf(app, reporter)).unread).toBe(3);
    const cleared = await app.gql(MARK_READ, { input: { all: true } }, { token: reporter.token });
    expect(cleared.body.data).toEqual({ markNotificationsRead: { viewer: { unreadNotificationCount: 0 } } });
  });

  it('refuses bad subscriptions with clear errors and writes nothing', async () => {
    const user = await createActor(app);
    const bug = await fileBug(app, user);
    const before = await app.sql(`SELECT count(*)::int AS n FROM subscription`);
    const counts = await writtenCounts(app);
    expect(errorCodes(await app.gql(UPDATE_SUBSCRIPTION, { input: { subscribableId: bug.id, state: 'SUBSCRIBED' } }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await app.gql(UPDATE_SUBSCRIPTION, { input: { subscribableId: 'nope', state: 'SUBSCRIBED' } }, { token: user.token }))).toEqual(['BAD_USER_INPUT']);
    const missing = Buffer.from('Component:99999').toString('base64url');
    expect(errorCodes(await app.gql(UPDATE_SUBSCRIPTION, { input: { subscribableId: missing, state: 'SUBSCRIBED' } }, { token: user.token }))).toEqual(['NOT_FOUND']);
    const wrongKind = Buffer.from(`FeatureSuggestion:${Buffer.from(bug.id, 'base64url').toString().split(':')[1]}`).toString('base64url');
    expect(errorCodes(await app.gql(UPDATE_SUBSCRIPTION, { input: { subscribableId: wrongKind, state: 'SUBSCRIBED' } }, { token: user.token }))).toEqual(['NOT_FOUND']);
    const user2 = Buffer.from(`User:${user.userId}`).toString('base64url');
    const notFollowable = await app.gql(UPDATE_SUBSCRIPTION, { input: { subscribableId: user2, state: 'SUBSCRIBED' } }, { token: user.token });
    expect(errorCodes(notFollowable)).toEqual(['BAD_USER_INPUT']);
    expect(notFollowable.body.errors![0].extensions!.field).toBe('subscribableId');
    expect(errorCodes(await app.gql(UPDATE_SUBSCRIPTION, { input: { subscribableId: bug.id, state: 'LOUD' } }, { token: user.token }))).toEqual(['BAD_USER_INPUT']);
    expect(await app.sql(`SELECT count(*)::int AS n FROM subscription`)).toEqual(before);
    expect(await writtenCounts(app)).toEqual(counts);
  });

  it('answers viewerSubscription on components and upstreams, and returns what was followed', async () => {
    const user = await createActor(app);
    const id = await catalogueId(app, 'component', 'xencenter');
    const response = await app.gql(UPDATE_SUBSCRIPTION, { input: { subscribableId: id, state: 'IGNORED' } }, { token: user.token });
    expect(response.body.data).toEqual({ updateSubscription: { subscribable: { id, viewerSubscription: 'IGNORED' } } });
    const read = await app.gql<{ component: { viewerSubscription: string }; upstream: { viewerSubscription: string | null } }>(
      `{ component(slug: "xencenter") { viewerSubscription } upstream(slug: "debian") { viewerSubscription } }`, {}, { token: user.token });
    expect(read.body.data).toEqual({ component: { viewerSubscription: 'IGNORED' }, upstream: { viewerSubscription: null } });
  });
});

describe('a large audience', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ withWorker: true, config: { NOTIFY_INLINE_MAX: 5, JOBS_POLL_SECONDS: 0.5 } });
  });
  afterAll(() => app.close());

  it('is told by one job, not inside the mutation, each follower once', async () => {
    const reporter = await createActor(app);
    const admin = await createAdmin(app);
    const bug = await fileBug(app, reporter, { componentSlug: 'xen' });
    const followers: TestActor[] = [];
    for (let i = 0; i < 20; i++) followers.push(await createActor(app));
    await app.sql(`INSERT INTO subscription (user_id, target_kind, target_id, state) SELECT unnest($1::int[]), 'ITEM', id, 'SUBSCRIBED' FROM item WHERE number = $2`, [followers.map((f) => f.userId), bug.number]);
    expect(errorCodes(await app.gql(TRIAGE, { input: { itemId: bug.id, importance: 'HIGH' } }, { token: admin.token }))).toEqual([]);
    const [handed] = await app.sql<{ event_id: number }>(`SELECT f.event_id FROM notification_fanout f JOIN timeline_event e ON e.id = f.event_id WHERE e.type = 'IMPORTANCE_CHANGED'`);
    expect(handed).toBeDefined();
    const told = async () => (await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM notification WHERE event_id = $1`, [handed.event_id]))[0].n;
    const end = Date.now() + 20_000;
    while ((await told()) < 21 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    // 20 followers and the reporter; never the admin who made the change.
    expect(await told()).toBe(21);
    const [done] = await app.sql<{ notified: number; done: boolean }>(`SELECT notified, done_at IS NOT NULL AS done FROM notification_fanout WHERE event_id = $1`, [handed.event_id]);
    expect(done).toEqual({ notified: 21, done: true });
    expect((await inboxOf(app, followers[7])).entries.map((e) => [e.event.type, e.reason])).toEqual([['IMPORTANCE_CHANGED', 'SUBSCRIBED']]);
  });
});
