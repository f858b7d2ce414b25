import { createActor, type TestActor } from './support/actors';
import { fileBug, type FiledItem } from './support/items';
import { startTestApp, type TestApp } from './support/test-app';

const VOTE = `mutation ($id: ID!) { vote(input: { itemId: $id }) { item { heat } } }`;
const UNVOTE = `mutation ($id: ID!) { unvote(input: { itemId: $id }) { item { heat } } }`;
const COMMENT = `mutation ($id: ID!) { addComment(input: { itemId: $id, body: "Still happens on 8.2" }) { item { heat } } }`;
const DUPLICATE = `mutation ($a: ID!, $b: ID!) { markDuplicate(input: { itemId: $a, duplicateOfId: $b }) { item { id } } }`;
const UNDUPLICATE = `mutation ($a: ID!) { unmarkDuplicate(input: { itemId: $a }) { item { id } } }`;
const ITEM = `query ($n: Int!) { item(number: $n) { heat } }`;
const LIST = `query ($first: Int, $after: String, $last: Int, $before: String) {
  items(first: $first, after: $after, last: $last, before: $before, orderBy: { field: HEAT, direction: DESC }) {
    nodes { number heat } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
const SEARCH = `query ($q: String!) { search(query: $q, first: 50) { nodes { number heat } } }`;

interface Page {
  nodes: { number: number; heat: number }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

describe('heat', () => {
  let app: TestApp;
  let reporter: TestActor;
  let maintainer: TestActor;
  let voters: TestActor[];

  const gql = async <T>(query: string, variables: Record<string, unknown>, actor?: TestActor): Promise<T> => {
    const response = await app.gql<T>(query, variables, { token: actor?.token });
    if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
    return response.body.data!;
  };
  const heat = async (item: FiledItem) => (await gql<{ item: { heat: number } }>(ITEM, { n: item.number })).item.heat;
  /** Moves an item's last activity back, as if it had been quiet that long. */
  const quiet = (item: FiledItem, days: number) => app.sql(`UPDATE item SET last_activity_at = now() - make_interval(days => $2) WHERE number = $1`, [item.number, days]);
  /** Every item by heat, as SQL computes it now: the order the list must keep. */
  const byHeatNow = async () =>
    (await app.sql<{ number: number }>(
      `SELECT number FROM item
        ORDER BY (1 + 4 * vote_count + 2 * follower_count + 6 * duplicate_count + comment_count) * power(2, -extract(epoch FROM now() - last_activity_at) / (30 * 86400)) DESC, id DESC`,
    )).map((r) => r.number);

  beforeAll(async () => {
    app = await startTestApp();
    reporter = await createActor(app);
    maintainer = await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'xen-project' }] });
    voters = await Promise.all([1, 2, 3].map(() => createActor(app)));
  });
  afterAll(() => app.close());

  it('counts votes, comments and duplicates, and cools while an item is quiet', async () => {
    const item = await fileBug(app, reporter, { title: 'Hypervisor panics on boot', componentSlug: 'xen' });
    const other = await fileBug(app, reporter, { title: 'Xen panics at boot on AMD', componentSlug: 'xen' });
    expect(await heat(item)).toBe(1);
    for (const voter of voters) await gql(VOTE, { id: item.id }, voter);
    expect(await heat(item)).toBe(1 + 3 * 4);
    expect((await gql<{ addComment: { item: { heat: number } } }>(COMMENT, { id: item.id }, reporter)).addComment.item.heat).toBe(1 + 12 + 1);
    await gql(DUPLICATE, { a: other.id, b: item.id }, maintainer);
    expect(await heat(item)).toBe(1 + 12 + 1 + 6);
    await gql(UNDUPLICATE, { a: other.id }, maintainer);
    expect(await heat(item)).toBe(1 + 12 + 1);
    // Quiet for 30 days: half; 90 days: an eighth. Taking a vote back is no activity; a vote is.
    await quiet(item, 30);
    expect(await heat(item)).toBe(7);
    await quiet(item, 90);
    expect(await heat(item)).toBe(2);
    await gql(UNVOTE, { id: item.id }, voters[0]);
    expect(await heat(item)).toBe(1);
    await gql(VOTE, { id: item.id }, voters[0]);
    expect(await heat(item)).toBe(1 + 12 + 1);
  });

  it('sorts by heat with keyset paging both ways, in search strings too, and cursors stay valid as heat changes', async () => {
    const items: FiledItem[] = [];
    for (let i = 0; i < 12; i++) items.push(await fileBug(app, reporter, { title: `Heat ordering case ${i}` }));
    for (let i = 0; i < 12; i++) {
      for (const voter of voters.slice(0, i % 4)) await gql(VOTE, { id: items[i].id }, voter);
      if (i % 3 === 0) await quiet(items[i], 10 * i);
    }
    const want = await byHeatNow();
    const forwards: number[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = (await gql<{ items: Page }>(LIST, { first: 5, after })).items;
      forwards.push(...page.nodes.map((n) => n.number));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(forwards).toEqual(want);
    const backwards: number[] = [];
    let before: string | null = null;
    for (;;) {
      const page: Page = (await gql<{ items: Page }>(LIST, { last: 4, before })).items;
      backwards.unshift(...page.nodes.map((n) => n.number));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(backwards).toEqual(want);
    const searched = (await gql<{ search: { nodes: { number: number; heat: number }[] } }>(SEARCH, { q: 'heat ordering sort:heat' })).search.nodes;
    expect(searched.map((n) => n.number)).toEqual(want.filter((n) => items.some((i) => i.number === n)));
    expect(searched.map((n) => n.heat)).toEqual([...searched.map((n) => n.heat)].sort((a, b) => b - a));

    // A cursor read before an item heats up still pages on through the others, in order.
    const first = (await gql<{ items: Page }>(LIST, { first: 3 })).items;
    const hottest = items.find((i) => i.number === want[want.length - 1])!;
    for (const voter of voters) await gql(VOTE, { id: hottest.id }, voter);
    await gql(COMMENT, { id: hottest.id }, reporter);
    const rest = (await gql<{ items: Page }>(LIST, { first: 50, after: first.pageInfo.endCursor })).items.nodes.map((n) => n.number);
    expect(rest).toEqual(want.slice(3).filter((n) => n !== hottest.number));
  });

  it('refuses a cursor of another ordering', async () => {
    const page = (await gql<{ items: Page }>(LIST, { first: 1 })).items;
    const response = await app.gql(`query ($after: String) { items(first: 1, after: $after, orderBy: { field: VOTES, direction: DESC }) { nodes { number } } }`, { after: page.pageInfo.endCursor });
    expect(response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
