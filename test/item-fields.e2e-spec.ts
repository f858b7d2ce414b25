import { createActor, createAdmin, type TestActor } from './support/actors';
import { fileBug, suggestFeature, writtenCounts, type FiledItem } from './support/items';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

/** Assignees, tags and releases: set in triage and assign, read back, filtered and searched. */
describe('assignees, tags and releases', () => {
  let app: TestApp;
  let reporter: TestActor;
  let alice: TestActor;
  let bob: TestActor;
  let debian: TestActor;
  let admin: TestActor;

  beforeAll(async () => {
    app = await startTestApp();
    reporter = await createActor(app);
    alice = await createActor(app, { username: 'alice-xen', grants: [{ role: 'MAINTAINER', upstreamSlug: 'xen-project' }] });
    bob = await createActor(app, { username: 'bob-xen', grants: [{ role: 'MAINTAINER', componentSlug: 'xen' }] });
    debian = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'debian' }] });
    admin = await createAdmin(app);
  });
  afterAll(() => app.close());

  const assign = (item: FiledItem, username: string | null, by: TestActor) =>
    app.gql<{ assign: { item: { assignee: { username: string } | null; timeline: { nodes: { type: string; summary: string }[] } } } }>(
      `mutation ($id: ID!, $u: String) { assign(input: { itemId: $id, username: $u }) { item { assignee { username } timeline(last: 1) { nodes { type summary } } } } }`,
      { id: item.id, u: username },
      { token: by.token },
    );
  const triage = (item: FiledItem, input: Record<string, unknown>, by: TestActor = alice) =>
    app.gql<{ triage: { item: Record<string, unknown> } }>(
      `mutation ($input: TriageInput!) { triage(input: $input) { item { tags ... on Bug { fixedIn { slug } } ... on FeatureSuggestion { plannedFor { slug } } timeline(first: 50) { nodes { type summary } } } } }`,
      { input: { itemId: item.id, ...input } },
      { token: by.token },
    );
  const numbers = async (query: string, variables?: Record<string, unknown>) => {
    const response = await app.gql<Record<string, { nodes: { number: number }[] }>>(query, variables);
    expect(response.body.errors).toBeUndefined();
    return Object.values(response.body.data!)[0].nodes.map((n) => n.number).sort((a, b) => a - b);
  };

  it('lets a maintainer take an item, assign it to another of its maintainers, and unassign it', async () => {
    const bug = await fileBug(app, reporter, { componentSlug: 'xen' });
    const took = await assign(bug, 'alice-xen', alice);
    expect(took.body.data!.assign.item).toEqual({ assignee: { username: 'alice-xen' }, timeline: { nodes: [{ type: 'ASSIGNED', summary: 'alice-xen took it' }] } });
    const given = await assign(bug, 'BOB-XEN', alice);
    expect(given.body.data!.assign.item).toEqual({ assignee: { username: 'bob-xen' }, timeline: { nodes: [{ type: 'ASSIGNED', summary: 'alice-xen assigned it to bob-xen' }] } });
    const cleared = await assign(bug, null, bob);
    expect(cleared.body.data!.assign.item).toEqual({ assignee: null, timeline: { nodes: [{ type: 'ASSIGNED', summary: 'bob-xen unassigned it' }] } });
  });

  it('refuses assignees who do not maintain the item, and assigners who do not, writing nothing', async () => {
    const bug = await fileBug(app, reporter, { componentSlug: 'xen' });
    const before = await writtenCounts(app);
    const notMaintainer = await assign(bug, debian.username, alice);
    expect(notMaintainer.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'username' });
    expect((await assign(bug, 'nobody-here', alice)).body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'username' });
    expect(errorCodes(await assign(bug, debian.username, debian))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await assign(bug, 'alice-xen', reporter))).toEqual(['FORBIDDEN']);
    expect(await writtenCounts(app)).toEqual(before);
  });

  it('adds and removes tags in triage, with TAGGED and UNTAGGED events', async () => {
    const bug = await fileBug(app, reporter, { componentSlug: 'xen' });
    const tagged = await triage(bug, { addTags: ['Regression', 'live-migration', 'regression'] });
    expect(tagged.body.errors).toBeUndefined();
    expect(tagged.body.data!.triage.item.tags).toEqual(['live-migration', 'regression']);
    const retagged = await triage(bug, { addTags: ['xsa'], removeTags: ['regression', 'not-there'] });
    const item = retagged.body.data!.triage.item as { tags: string[]; timeline: { nodes: { type: string; summary: string }[] } };
    expect(item.tags).toEqual(['live-migration', 'xsa']);
    expect(item.timeline.nodes.filter((e) => e.type.endsWith('TAGGED'))).toEqual([
      { type: 'TAGGED', summary: 'alice-xen added the tags live-migration, regression' },
      { type: 'TAGGED', summary: 'alice-xen added the tag xsa' },
      { type: 'UNTAGGED', summary: 'alice-xen removed the tag regression' },
    ]);
    const before = await writtenCounts(app);
    expect((await triage(bug, { addTags: ['no spaces'] })).body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'addTags' });
    expect((await triage(bug, { addTags: Array.from({ length: 19 }, (_, i) => `t${i}`) })).body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_MANY_TAGS' });
    expect(errorCodes(await triage(bug, { addTags: ['spam'] }, reporter))).toEqual(['FORBIDDEN']);
    expect(await writtenCounts(app)).toEqual(before);
  });

  it('sets the release a bug is fixed in and a feature is planned for; an empty string clears; the roadmap lists them', async () => {
    const bug = await fileBug(app, reporter, { componentSlug: 'xen' });
    const feature = await suggestFeature(app, reporter, { componentSlug: 'xen' });
    const fixed = await triage(bug, { status: 'FIX_RELEASED', fixedInSlug: 'xenserver-6.2' });
    expect(fixed.body.errors).toBeUndefined();
    expect(fixed.body.data!.triage.item).toMatchObject({ fixedIn: { slug: 'xenserver-6.2' } });
    expect((fixed.body.data!.triage.item as { timeline: { nodes: { type: string; summary: string }[] } }).timeline.nodes).toContainEqual({ type: 'FIXED_IN_CHANGED', summary: expect.stringMatching(/^alice-xen set the release with the fix: /) });
    expect((await triage(feature, { plannedForSlug: 'xenserver-6.2' })).body.data!.triage.item).toMatchObject({ plannedFor: { slug: 'xenserver-6.2' } });

    // One list per request: counting the items of every release twice is over the cost cap.
    type Listed = { totalCount: number; nodes: { number: number }[] };
    const roadmapOf = async (field: 'fixedItems' | 'plannedItems'): Promise<Listed> => {
      const response = await app.gql<{ releases: ({ slug: string } & Record<string, Listed>)[] }>(`{ releases { slug ${field}(orderBy: { field: VOTES, direction: DESC }) { totalCount nodes { number } } } }`);
      expect(response.body.errors).toBeUndefined();
      return response.body.data!.releases.find((r) => r.slug === 'xenserver-6.2')![field];
    };
    expect(await roadmapOf('fixedItems')).toEqual({ totalCount: 1, nodes: [{ number: bug.number }] });
    expect(await roadmapOf('plannedItems')).toEqual({ totalCount: 1, nodes: [{ number: feature.number }] });

    const before = await writtenCounts(app);
    expect((await triage(bug, { plannedForSlug: 'xenserver-6.2' })).body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'plannedForSlug' });
    expect((await triage(feature, { fixedInSlug: 'xenserver-6.2' })).body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fixedInSlug' });
    expect((await triage(bug, { fixedInSlug: 'xenserver-99' })).body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'fixedInSlug' });
    expect((await triage(bug, { fixedInSlug: 'Not A Slug' })).body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await writtenCounts(app)).toEqual(before);

    expect((await triage(bug, { fixedInSlug: '' })).body.data!.triage.item).toMatchObject({ fixedIn: null });
    expect((await triage(feature, { plannedForSlug: '' }, admin)).body.data!.triage.item).toMatchObject({ plannedFor: null });
  });

  it('filters and searches by assignee and tags', async () => {
    const a = await fileBug(app, reporter, { componentSlug: 'xen', title: 'Filter test one here' });
    const b = await fileBug(app, reporter, { componentSlug: 'xen', title: 'Filter test two here' });
    const c = await fileBug(app, reporter, { componentSlug: 'xen', title: 'Filter test three here' });
    await assign(a, 'alice-xen', alice);
    await assign(b, 'bob-xen', alice);
    await triage(a, { addTags: ['filtered', 'regression'] });
    await triage(b, { addTags: ['filtered'] });
    await triage(c, { addTags: ['filtered'] });

    expect(await numbers(`{ items(filter: { assignee: "Alice-Xen" }) { nodes { number } } }`)).toEqual([a.number]);
    expect(await numbers(`{ items(filter: { tags: ["filtered", "regression"] }) { nodes { number } } }`)).toEqual([a.number]);
    expect(await numbers(`{ items(filter: { tags: ["filtered"] }) { nodes { number } } }`)).toEqual([a.number, b.number, c.number]);
    expect(await numbers(`{ items(filter: { tags: ["filtered"], hasAssignee: false }) { nodes { number } } }`)).toEqual([c.number]);
    expect(await numbers(`{ search(query: "assignee:bob-xen") { nodes { number } } }`)).toEqual([b.number]);
    expect(await numbers(`{ search(query: "tag:filtered no:assignee") { nodes { number } } }`)).toEqual([c.number]);
    expect(await numbers(`{ search(query: "tag:filtered tag:regression") { nodes { number } } }`)).toEqual([a.number]);
    expect(await numbers(`{ search(query: "tag:filtered three") { nodes { number } } }`)).toEqual([c.number]);
    expect(await numbers(`{ items(filter: { assignee: "nobody-at-all" }) { nodes { number } } }`)).toEqual([]);

    const badTag = await app.gql(`{ items(filter: { tags: ["Not A Tag"] }) { totalCount } }`);
    expect(badTag.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const badQualifier = await app.gql(`{ search(query: "tag:Bad_Tag") { totalCount } }`);
    expect(badQualifier.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'tag' });
  });

  describe("an item's comments (served without Nest's resolver pipeline)", () => {
    const COMMENTS = `query ($n: Int!, $first: Int, $last: Int, $after: String, $before: String) {
      item(number: $n) { comments(first: $first, last: $last, after: $after, before: $before) { totalCount nodes { body } pageInfo { endCursor hasNextPage } } } }`;
    let item: FiledItem;

    beforeAll(async () => {
      item = await fileBug(app, reporter, { title: 'A bug with a discussion', componentSlug: 'xapi/xenopsd' });
      for (const body of ['first', 'second', 'third']) {
        const added = await app.gql(`mutation ($input: CommentInput!) { addComment(input: $input) { comment { id } } }`, { input: { itemId: item.id, body } }, { token: reporter.token });
        expect(added.body.errors).toBeUndefined();
      }
    });

    it('pages them by cursor, oldest first', async () => {
      type Page = { item: { comments: { totalCount: number; nodes: { body: string }[]; pageInfo: { endCursor: string; hasNextPage: boolean } } } };
      const first = await app.gql<Page>(COMMENTS, { n: item.number, first: 2 });
      expect(first.body.data!.item.comments).toMatchObject({ totalCount: 3, nodes: [{ body: 'first' }, { body: 'second' }], pageInfo: { hasNextPage: true } });
      const next = await app.gql<Page>(COMMENTS, { n: item.number, first: 2, after: first.body.data!.item.comments.pageInfo.endCursor });
      expect(next.body.data!.item.comments).toMatchObject({ nodes: [{ body: 'third' }], pageInfo: { hasNextPage: false } });
      const last = await app.gql<Page>(COMMENTS, { n: item.number, last: 1 });
      expect(last.body.data!.item.comments.nodes).toEqual([{ body: 'third' }]);
    });

    it.each([
      ['first below 1', { first: 0 }, 'first'],
      ['first above the largest page', { first: 1000 }, 'first'],
      ['first and last together', { first: 1, last: 1 }, 'last'],
      ['a cursor of another list', { first: 1, after: Buffer.from('VOTES:DESC|1|1').toString('base64url') }, 'after'],
    ])('refuses %s with BAD_USER_INPUT naming the argument', async (_, variables, field) => {
      const response = await app.gql(COMMENTS, { n: item.number, ...variables });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.errors![0].extensions).toMatchObject({ field });
      expect(response.body.errors![0].message).toContain(field);
    });
  });
});
