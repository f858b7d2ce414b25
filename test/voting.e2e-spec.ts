import { createActor, createAdmin, type TestActor } from './support/actors';
import { fileBug, suggestFeature, writtenCounts, type FiledItem } from './support/items';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const VOTE = `mutation ($input: VoteInput!) { vote(input: $input) { item { voteCount viewerHasVoted } } }`;
const UNVOTE = `mutation ($input: VoteInput!) { unvote(input: $input) { item { voteCount viewerHasVoted } } }`;
const MARK = `mutation ($input: MarkDuplicateInput!) { markDuplicate(input: $input) { item { status closed voteCount duplicateOf { number } } original { voteCount } } }`;
const UNMARK = `mutation ($input: UnmarkDuplicateInput!) { unmarkDuplicate(input: $input) { item { status voteCount duplicateOf { number } } original { voteCount } } }`;

describe('voting', () => {
  let app: TestApp;
  let admin: TestActor;
  let reporter: TestActor;
  const voters: TestActor[] = [];
  const count = async (item: FiledItem) => (await app.sql<{ vote_count: number }>(`SELECT vote_count FROM item WHERE number = $1`, [item.number]))[0].vote_count;

  beforeAll(async () => {
    app = await startTestApp({ config: { DB_POOL_SIZE: 20 } });
    admin = await createAdmin(app, 'root');
    reporter = await createActor(app);
    for (let i = 0; i < 50; i++) voters.push(await createActor(app, { username: `voter-${i}` }));
  });
  afterAll(() => app.close());

  it('counts a vote once, however often it is cast, and takes it back', async () => {
    const feature = await suggestFeature(app, reporter);
    const first = await app.gql(VOTE, { input: { itemId: feature.id } }, { token: voters[0].token });
    expect(first.body.data).toEqual({ vote: { item: { voteCount: 1, viewerHasVoted: true } } });
    const again = await app.gql(VOTE, { input: { itemId: feature.id } }, { token: voters[0].token });
    expect(again.body.data).toEqual({ vote: { item: { voteCount: 1, viewerHasVoted: true } } });
    const seenByOther = await app.gql<{ item: { viewerHasVoted: boolean } }>(`query ($n: Int!) { item(number: $n) { viewerHasVoted } }`, { n: feature.number }, { token: voters[1].token });
    expect(seenByOther.body.data!.item.viewerHasVoted).toBe(false);
    const anonymous = await app.gql<{ item: { viewerHasVoted: boolean } }>(`query ($n: Int!) { item(number: $n) { viewerHasVoted } }`, { n: feature.number });
    expect(anonymous.body.data!.item.viewerHasVoted).toBe(false);
    const back = await app.gql(UNVOTE, { input: { itemId: feature.id } }, { token: voters[0].token });
    expect(back.body.data).toEqual({ unvote: { item: { voteCount: 0, viewerHasVoted: false } } });
    const backAgain = await app.gql(UNVOTE, { input: { itemId: feature.id } }, { token: voters[0].token });
    expect(backAgain.body.data).toEqual({ unvote: { item: { voteCount: 0, viewerHasVoted: false } } });
  });

  it('stays exact with 50 people voting at once, and one person voting 20 times at once', async () => {
    const feature = await suggestFeature(app, reporter);
    const results = await Promise.all(voters.map((v) => app.gql(VOTE, { input: { itemId: feature.id } }, { token: v.token })));
    expect(results.flatMap(errorCodes)).toEqual([]);
    expect(await count(feature)).toBe(50);
    const other = await suggestFeature(app, reporter);
    const repeated = await Promise.all(Array.from({ length: 20 }, () => app.gql(VOTE, { input: { itemId: other.id } }, { token: voters[0].token })));
    expect(repeated.flatMap(errorCodes)).toEqual([]);
    expect(await count(other)).toBe(1);
    const [{ rows }] = await app.sql<{ rows: number }>(`SELECT count(*)::int AS rows FROM vote v JOIN item i ON i.id = v.item_id WHERE i.number = $1`, [other.number]);
    expect(rows).toBe(1);
    const mixed = await Promise.all(voters.slice(0, 25).flatMap((v) => [app.gql(UNVOTE, { input: { itemId: feature.id } }, { token: v.token }), app.gql(VOTE, { input: { itemId: other.id } }, { token: v.token })]));
    expect(mixed.flatMap(errorCodes)).toEqual([]);
    expect(await count(feature)).toBe(25);
    expect(await count(other)).toBe(25);
  });

  it('refuses votes on closed items with CONFLICT and anonymous votes with UNAUTHENTICATED, writing nothing', async () => {
    const bug = await fileBug(app, reporter);
    await app.sql(`UPDATE item SET status = 'WONT_FIX' WHERE number = $1`, [bug.number]);
    const before = await writtenCounts(app);
    const closed = await app.gql(VOTE, { input: { itemId: bug.id } }, { token: voters[0].token });
    expect(errorCodes(closed)).toEqual(['CONFLICT']);
    expect(closed.body.errors![0].message).toMatch(/closed/);
    expect(errorCodes(await app.gql(VOTE, { input: { itemId: bug.id } }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await app.gql(VOTE, { input: { itemId: 'nope' } }, { token: voters[0].token }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await app.gql(VOTE, { input: { itemId: Buffer.from('Bug:99999').toString('base64url') } }, { token: voters[0].token }))).toEqual(['NOT_FOUND']);
    expect(await writtenCounts(app)).toEqual(before);
  });

  describe('duplicates', () => {
    it('merge voters on the original without counting anyone twice, and unmarking restores both', async () => {
      const a = await suggestFeature(app, reporter, { title: 'Original idea' });
      const b = await suggestFeature(app, reporter, { title: 'The same idea again' });
      for (const v of [voters[0], voters[1], voters[2]]) await app.gql(VOTE, { input: { itemId: a.id } }, { token: v.token });
      for (const v of [voters[2], voters[3]]) await app.gql(VOTE, { input: { itemId: b.id } }, { token: v.token });
      expect([await count(a), await count(b)]).toEqual([3, 2]);
      const marked = await app.gql(MARK, { input: { itemId: b.id, duplicateOfId: a.id } }, { token: admin.token });
      expect(marked.body.data).toEqual({ markDuplicate: { item: { status: 'DUPLICATE', closed: true, voteCount: 2, duplicateOf: { number: a.number } }, original: { voteCount: 4 } } });
      // A vote on the duplicate counts on its original.
      const late = await app.gql(VOTE, { input: { itemId: b.id } }, { token: voters[4].token });
      expect(errorCodes(late)).toEqual([]);
      expect(await count(a)).toBe(5);
      await app.gql(UNVOTE, { input: { itemId: b.id } }, { token: voters[4].token });
      expect(await count(a)).toBe(4);
      const viewer = await app.gql<{ item: { viewerHasVoted: boolean } }>(`query ($n: Int!) { item(number: $n) { viewerHasVoted } }`, { n: a.number }, { token: voters[3].token });
      expect(viewer.body.data!.item.viewerHasVoted).toBe(true);
      const unmarked = await app.gql(UNMARK, { input: { itemId: b.id } }, { token: admin.token });
      expect(unmarked.body.data).toEqual({ unmarkDuplicate: { item: { status: 'NEW', voteCount: 2, duplicateOf: null }, original: { voteCount: 3 } } });
    });

    it('collapse chains, re-pointing the duplicate\'s own duplicates, and undo that exactly', async () => {
      const [a, b, c] = [await fileBug(app, reporter, { title: 'First report' }), await fileBug(app, reporter, { title: 'Second report' }), await fileBug(app, reporter, { title: 'Third report' })];
      await app.gql(VOTE, { input: { itemId: a.id } }, { token: voters[10].token });
      await app.gql(VOTE, { input: { itemId: b.id } }, { token: voters[11].token });
      await app.gql(VOTE, { input: { itemId: c.id } }, { token: voters[12].token });
      await app.gql(MARK, { input: { itemId: a.id, duplicateOfId: b.id } }, { token: admin.token });
      expect(await count(b)).toBe(2);
      // b is marked a duplicate of c: a follows, straight to c.
      const marked = await app.gql(MARK, { input: { itemId: b.id, duplicateOfId: c.id } }, { token: admin.token });
      expect(marked.body.data).toMatchObject({ markDuplicate: { original: { voteCount: 3 } } });
      const aNow = await app.gql<{ item: { duplicateOf: { number: number } } }>(`query ($n: Int!) { item(number: $n) { duplicateOf { number } } }`, { n: a.number });
      expect(aNow.body.data!.item.duplicateOf.number).toBe(c.number);
      // Marking a new item as a duplicate of a (a duplicate) points it at c, the root.
      const d = await fileBug(app, reporter, { title: 'Fourth report' });
      const toRoot = await app.gql(MARK, { input: { itemId: d.id, duplicateOfId: a.id } }, { token: admin.token });
      expect(toRoot.body.data).toMatchObject({ markDuplicate: { item: { duplicateOf: { number: c.number } } } });
      const unmarked = await app.gql(UNMARK, { input: { itemId: b.id } }, { token: admin.token });
      expect(unmarked.body.data).toMatchObject({ unmarkDuplicate: { item: { status: 'NEW', voteCount: 2 }, original: { voteCount: 1 } } });
      const aAfter = await app.gql<{ item: { duplicateOf: { number: number } } }>(`query ($n: Int!) { item(number: $n) { duplicateOf { number } } }`, { n: a.number });
      expect(aAfter.body.data!.item.duplicateOf.number).toBe(b.number);
    });

    it('refuse an item as its own duplicate (BAD_USER_INPUT) and a cycle (CONFLICT), writing nothing', async () => {
      const a = await fileBug(app, reporter);
      const b = await fileBug(app, reporter);
      await app.gql(MARK, { input: { itemId: b.id, duplicateOfId: a.id } }, { token: admin.token });
      const before = await writtenCounts(app);
      const self = await app.gql(MARK, { input: { itemId: a.id, duplicateOfId: a.id } }, { token: admin.token });
      expect(errorCodes(self)).toEqual(['BAD_USER_INPUT']);
      expect(self.body.errors![0].extensions!.field).toBe('duplicateOfId');
      const cycle = await app.gql(MARK, { input: { itemId: a.id, duplicateOfId: b.id } }, { token: admin.token });
      expect(errorCodes(cycle)).toEqual(['CONFLICT']);
      expect(cycle.body.errors![0].message).toMatch(/cycle/);
      const notDuplicate = await app.gql(UNMARK, { input: { itemId: a.id } }, { token: admin.token });
      expect(errorCodes(notDuplicate)).toEqual(['CONFLICT']);
      const byReporter = await app.gql(MARK, { input: { itemId: a.id, duplicateOfId: b.id } }, { token: reporter.token });
      expect(errorCodes(byReporter)).toEqual(['FORBIDDEN']);
      expect(await writtenCounts(app)).toEqual(before);
    });
  });
});
