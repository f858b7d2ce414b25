import { createActor, type TestActor } from './support/actors';
import { fileBug, ITEM_FIELDS, suggestFeature, writtenCounts } from './support/items';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const FILE_BUG = `mutation ($input: FileBugInput!) { fileBug(input: $input) { bug { ${ITEM_FIELDS} } } }`;
const COMMENT = `mutation ($input: CommentInput!) { addComment(input: $input) { comment { id body createdAt } item { id status } } }`;

describe('items: filing and comments', () => {
  let app: TestApp;
  let alice: TestActor;
  let bob: TestActor;

  beforeAll(async () => {
    app = await startTestApp();
    alice = await createActor(app, { username: 'alice' });
    bob = await createActor(app, { username: 'bob' });
  });
  afterAll(() => app.close());

  describe('fileBug', () => {
    it('files a numbered, routed bug with FILED and ROUTED on its timeline', async () => {
      const bug = await fileBug(app, alice, { title: '  xenopsd   leaks   memory on migrate ', componentSlug: 'xapi/xenopsd', affectedReleaseSlugs: ['xenserver-6.2'] });
      expect(bug).toMatchObject({ kind: 'BUG', title: 'xenopsd leaks memory on migrate', status: 'NEW', closed: false, importance: 'UNDECIDED', voteCount: 0 });
      const found = await app.gql<{ item: { id: string; timeline: { nodes: { type: string; summary: string }[] } } }>(
        `query ($n: Int!) { item(number: $n) { id ... on Bug { __typename } timeline { nodes { type summary } totalCount } } }`,
        { n: bug.number },
      );
      expect(found.body.data!.item.id).toBe(bug.id);
      expect(found.body.data!.item.timeline.nodes.map((e) => e.type)).toEqual(['FILED', 'ROUTED']);
      expect(found.body.data!.item.timeline.nodes[0].summary).toBe('alice reported this bug');
      const node = await app.gql<{ node: { __typename: string; number: number } }>(`query ($id: ID!) { node(id: $id) { __typename ... on Item { number } } }`, { id: bug.id });
      expect(node.body.data!.node).toEqual({ __typename: 'Bug', number: bug.number });
    });

    it('suggests features with their own type and global IDs', async () => {
      const feature = await suggestFeature(app, bob, { title: 'Live migration between pools' });
      expect(feature.kind).toBe('FEATURE');
      const node = await app.gql<{ node: { __typename: string } }>(`query ($id: ID!) { node(id: $id) { __typename } }`, { id: feature.id });
      expect(node.body.data!.node.__typename).toBe('FeatureSuggestion');
    });

    it('gives 20 concurrent filings 20 distinct numbers, each above every number given before', async () => {
      const before = (await writtenCounts(app)).counter;
      const bugs = await Promise.all(Array.from({ length: 20 }, (_, i) => fileBug(app, i % 2 ? alice : bob, { title: `Concurrent report ${i}` })));
      const numbers = bugs.map((b) => b.number).sort((a, b) => a - b);
      expect(new Set(numbers).size).toBe(20);
      expect(numbers[0]).toBeGreaterThan(before);
      // Numbers come from a sequence: a filing that fails after taking one leaves a gap, and
      // nothing else does, so 20 filings that all succeed take 20 numbers in a row.
      expect(numbers[19] - numbers[0]).toBe(19);
      expect((await writtenCounts(app)).counter).toBe(numbers[19]);
    });

    it('numbers filings one after another in increasing order; a filing that fails after taking its number leaves a gap', async () => {
      const first = await fileBug(app, alice, { title: 'First of a row of reports' });
      // A filing refused by the database once it holds its number (a constraint checked in the
      // same statement) rolls back, and its number is not given out again.
      await app.sql(`ALTER TABLE item ADD CONSTRAINT test_no_doomed_titles CHECK (title NOT LIKE 'Doomed%')`);
      try {
        const failed = await app.gql(FILE_BUG, { input: { title: 'Doomed report', description: 'd' } }, { token: alice.token });
        expect(failed.body.errors).toBeDefined();
      } finally {
        await app.sql(`ALTER TABLE item DROP CONSTRAINT test_no_doomed_titles`);
      }
      const second = await fileBug(app, bob, { title: 'Second of a row of reports' });
      const third = await fileBug(app, alice, { title: 'Third of a row of reports' });
      expect(second.number).toBe(first.number + 2);
      expect(third.number).toBe(second.number + 1);
      const [{ n }] = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM item WHERE title = 'Doomed report'`);
      expect(n).toBe(0);
    });

    it.each([
      ['a title too short once trimmed', { title: '   abc    ' }, 'BAD_USER_INPUT', 'title'],
      ['a title too long', { title: 'x'.repeat(201) }, 'BAD_USER_INPUT', 'title'],
      ['a malformed component slug', { componentSlug: 'Not A Slug' }, 'BAD_USER_INPUT', 'componentSlug'],
      ['an unknown component', { componentSlug: 'no-such-thing' }, 'NOT_FOUND', 'componentSlug'],
      ['an unknown release', { affectedReleaseSlugs: ['xenserver-99'] }, 'NOT_FOUND', 'affectedReleaseSlugs'],
      ['an unknown field', { color: 'red' }, 'BAD_USER_INPUT', undefined],
    ])('refuses %s, naming the field, writing nothing', async (_, input, code, field) => {
      const before = await writtenCounts(app);
      const response = await app.gql(FILE_BUG, { input: { title: 'A perfectly fine title', description: 'd', ...input } }, { token: alice.token });
      expect(errorCodes(response)).toEqual([code]);
      if (field) expect(response.body.errors![0].extensions!.field).toBe(field);
      expect(response.body.errors![0].message).toMatch(field ? new RegExp(field.split('.').pop()!) : /color/);
      expect(await writtenCounts(app)).toEqual(before);
    });

    it('refuses anonymous reporters with UNAUTHENTICATED and a revoked token likewise', async () => {
      const before = await writtenCounts(app);
      const anonymous = await app.gql(FILE_BUG, { input: { title: 'Anonymous report', description: '' } });
      expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
      const carol = await createActor(app);
      await app.sql(`UPDATE access_token SET revoked_at = now() WHERE user_id = $1`, [carol.userId]);
      const revoked = await app.gql(FILE_BUG, { input: { title: 'Revoked report', description: '' } }, { token: carol.token });
      expect(errorCodes(revoked)).toEqual(['UNAUTHENTICATED']);
      expect(await writtenCounts(app)).toEqual(before);
    });
  });

  describe('addComment', () => {
    it('adds a comment that shows on the item, its timeline and in search', async () => {
      const bug = await fileBug(app, alice, { title: 'Console flickers' });
      const response = await app.gql<{ addComment: { comment: { body: string }; item: { id: string } } }>(COMMENT, { input: { itemId: bug.id, body: ' Seen with the quokkafrobnicator too ' } }, { token: bob.token });
      expect(response.body.data!.addComment.comment.body).toBe('Seen with the quokkafrobnicator too');
      const item = await app.gql<{ item: { comments: { totalCount: number; nodes: { body: string }[] }; timeline: { nodes: { type: string; summary: string }[] } } }>(
        `query ($n: Int!) { item(number: $n) { comments { totalCount nodes { body } } timeline(last: 1) { nodes { type summary } } } }`,
        { n: bug.number },
      );
      expect(item.body.data!.item.comments).toEqual({ totalCount: 1, nodes: [{ body: 'Seen with the quokkafrobnicator too' }] });
      expect(item.body.data!.item.timeline.nodes).toEqual([{ type: 'COMMENTED', summary: 'bob commented' }]);
      const search = await app.gql<{ items: { nodes: { id: string }[] } }>(`{ items(filter: { text: "quokkafrobnicator" }) { nodes { id } } }`);
      expect(search.body.data!.items.nodes).toEqual([{ id: bug.id }]);
    });

    it("puts the reporter's own INCOMPLETE item back to NEW (response received), not anyone else's comment", async () => {
      const bug = await fileBug(app, alice, { title: 'Needs more information' });
      await app.sql(`UPDATE item SET status = 'INCOMPLETE', incomplete_since = now() WHERE number = $1`, [bug.number]);
      const byOther = await app.gql<{ addComment: { item: { status: string } } }>(COMMENT, { input: { itemId: bug.id, body: 'Same here' } }, { token: bob.token });
      expect(byOther.body.data!.addComment.item.status).toBe('INCOMPLETE');
      const byReporter = await app.gql<{ addComment: { item: { status: string } } }>(COMMENT, { input: { itemId: bug.id, body: 'Here are the logs' } }, { token: alice.token });
      expect(byReporter.body.data!.addComment.item.status).toBe('NEW');
      const [row] = await app.sql<{ incomplete_since: Date | null }>(`SELECT incomplete_since FROM item WHERE number = $1`, [bug.number]);
      expect(row.incomplete_since).toBeNull();
    });

    it.each([
      ['an empty body', (id: string) => ({ itemId: id, body: '' }), 'BAD_USER_INPUT', 'body'],
      ['a blank body', (id: string) => ({ itemId: id, body: '   ' }), 'BAD_USER_INPUT', 'body'],
      ['a malformed item id', () => ({ itemId: 'nope', body: 'hello' }), 'BAD_USER_INPUT', 'itemId'],
      ['the id of something else', () => ({ itemId: Buffer.from('User:1').toString('base64url'), body: 'hello' }), 'BAD_USER_INPUT', 'itemId'],
      ['an item that does not exist', () => ({ itemId: Buffer.from('Bug:999999').toString('base64url'), body: 'hello' }), 'NOT_FOUND', 'itemId'],
    ])('refuses %s, writing nothing', async (_, input, code, field) => {
      const bug = await fileBug(app, alice);
      const before = await writtenCounts(app);
      const response = await app.gql(COMMENT, { input: input(bug.id) }, { token: bob.token });
      expect(errorCodes(response)).toEqual([code]);
      expect(response.body.errors![0].extensions!.field).toBe(field);
      expect(await writtenCounts(app)).toEqual(before);
    });

    it('pages comments both ways', async () => {
      const bug = await fileBug(app, alice);
      for (let i = 1; i <= 5; i++) await app.gql(COMMENT, { input: { itemId: bug.id, body: `comment ${i}` } }, { token: bob.token });
      type Page = { item: { comments: { nodes: { body: string }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string; startCursor: string } } } };
      const q = `query ($n: Int!, $first: Int, $after: String, $last: Int, $before: String) { item(number: $n) { comments(first: $first, after: $after, last: $last, before: $before) { nodes { body } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;
      const first = await app.gql<Page>(q, { n: bug.number, first: 2 });
      expect(first.body.data!.item.comments.nodes.map((c) => c.body)).toEqual(['comment 1', 'comment 2']);
      expect(first.body.data!.item.comments.pageInfo.hasNextPage).toBe(true);
      const second = await app.gql<Page>(q, { n: bug.number, first: 2, after: first.body.data!.item.comments.pageInfo.endCursor });
      expect(second.body.data!.item.comments.nodes.map((c) => c.body)).toEqual(['comment 3', 'comment 4']);
      const back = await app.gql<Page>(q, { n: bug.number, last: 2, before: second.body.data!.item.comments.pageInfo.startCursor });
      expect(back.body.data!.item.comments.nodes.map((c) => c.body)).toEqual(['comment 1', 'comment 2']);
      expect(back.body.data!.item.comments.pageInfo.hasPreviousPage).toBe(false);
      const last = await app.gql<Page>(q, { n: bug.number, last: 2 });
      expect(last.body.data!.item.comments.nodes.map((c) => c.body)).toEqual(['comment 4', 'comment 5']);
      expect(last.body.data!.item.comments.pageInfo.hasPreviousPage).toBe(true);
    });
  });

  describe('similarItems', () => {
    it('finds an open look-alike worded differently, and leaves closed items out', async () => {
      const open = await fileBug(app, alice, { title: 'XenCenter crash on toolstack restart', componentSlug: 'xencenter' });
      const closed = await fileBug(app, alice, { title: 'XenCenter crashes when the toolstack restarts' });
      await app.sql(`UPDATE item SET status = 'INVALID' WHERE number = $1`, [closed.number]);
      await fileBug(app, alice, { title: 'Installer hangs on a blank screen' });
      const response = await app.gql<{ similarItems: { id: string; title: string }[] }>(
        `query ($t: String!) { similarItems(title: $t, description: "It happens every time", first: 5) { id title } }`,
        { t: 'XenCenter crashes when I restart the toolstack' },
      );
      const ids = response.body.data!.similarItems.map((i) => i.id);
      expect(ids[0]).toBe(open.id);
      expect(ids).not.toContain(closed.id);
    });
  });
});
