import { loadSnapshot } from '@headwaters/catalogue';
import { PreparedReads } from '@headwaters/database';
import { ItemVisibility, listItems, type ItemShares } from '@headwaters/items';
import { createActor, type TestActor } from './support/actors';
import { insertItems } from './support/seed-items';
import { startTestApp, type GraphqlResponse, type TestApp } from './support/test-app';

interface Page {
  nodes: { number: number; title: string }[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const SEARCH = `query ($q: String!, $first: Int, $after: String, $last: Int, $before: String) {
  search(query: $q, first: $first, after: $after, last: $last, before: $before) {
    nodes { number title } totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

/**
 * Relevance ranks the newest matches (here 500 of them: SEARCH_RANKED_MATCHES). These tests spread items over the id space the way a
 * long-lived tracker does (the search index groups ids in blocks of 4,096 and reads the newest
 * blocks first), so both ways of finding the newest matches run: within the newest blocks, and
 * the fall-back to older items when the newest blocks hold too few.
 */
/**
 * What relevance promises, straight from SQL: the newest `k` matches by rank then newest, then
 * every older match, newest first.
 */
const newestRanked = (app: TestApp, text: string, openOnly: boolean, k: number) =>
  app
    .sql<{ number: number }>(
      `SELECT number FROM (
         SELECT id, number, ts_rank(search, item_search_query($1)) AS rank, row_number() OVER (ORDER BY id DESC) <= $3 AS ranked FROM item
          WHERE search @@ item_search_query($1) AND ($2::boolean IS FALSE OR NOT closed)) matches
        ORDER BY ranked DESC, CASE WHEN ranked THEN rank ELSE 0 END DESC, id DESC`,
      [text, openOnly, k],
    )
    .then((rows) => rows.map((r) => r.number));

/** One page of a search, failing on errors. */
async function searchPage(app: TestApp, variables: Record<string, unknown>): Promise<Page> {
  const response: GraphqlResponse<{ search: Page }> = await app.gql<{ search: Page }>(SEARCH, variables);
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data!.search;
}

/** Every result of a search, paged forwards (or backwards) in pages of `size`. */
async function pageThrough(app: TestApp, q: string, size: number, backwards = false): Promise<number[]> {
  const numbers: number[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const page: Page = await searchPage(app, backwards ? { q, last: size, before: cursor } : { q, first: size, after: cursor });
    if (backwards) numbers.unshift(...page.nodes.map((n) => n.number));
    else numbers.push(...page.nodes.map((n) => n.number));
    const more = backwards ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
    if (!more) return numbers;
    cursor = backwards ? page.pageInfo.startCursor : page.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

describe('relevance search over a large id space', () => {
  let app: TestApp;
  let reporter: TestActor;

  const search = (variables: Record<string, unknown>): Promise<Page> => searchPage(app, variables);
  const all = (q: string, size: number, backwards = false): Promise<number[]> => pageThrough(app, q, size, backwards);

  const expected = (text: string, openOnly: boolean) => newestRanked(app, text, openOnly, 500);

  const jumpIdsTo = (id: number) => app.sql(`SELECT setval(pg_get_serial_sequence('item', 'id'), $1)`, [id]);
  const item = (title: string, description = '') => ({ title, description, upstreamSlug: 'xenserver', reporterId: reporter.userId });

  beforeAll(async () => {
    app = await startTestApp({ config: { SEARCH_RANKED_MATCHES: 500 } });
    reporter = await createActor(app, { username: 'reporter' });
    await insertItems(app, [item('Balloon driver stops at boot')]);
    await jumpIdsTo(20_000);
    await insertItems(app, [item('Guest hangs after resume', 'The balloon driver was still inflating.')]);
    await jumpIdsTo(40_000);
    await insertItems(app, [item('Balloon target ignored by squeezed'), item('Memory leak: memory leak in xapi memory leak', 'memory leak')]);
    // 600 matches straddling the boundary of two id blocks, every third one closed, far enough
    // from the others that those are only found beyond the newest blocks.
    await jumpIdsTo(200_704 - 300);
    await app.sql(
      `INSERT INTO item (kind, title, description, status, reporter_id, route_upstream_id, route_reason)
       SELECT 'BUG', 'Memory leak in xenopsd ' || g,
              CASE WHEN g % 2 = 0 THEN 'It leaks memory when migrating.' ELSE 'A slow memory leak.' END,
              CASE WHEN g % 3 = 0 THEN 'FIX_RELEASED' ELSE 'NEW' END, $1, u.id, 'test'
         FROM generate_series(1, 600) g, upstream u WHERE u.slug = 'xenserver'`,
      [reporter.userId],
    );
  });
  afterAll(() => app.close());

  it('finds rare words in old items, beyond the newest blocks, title matches first', async () => {
    const page = await search({ q: 'balloon', first: 10 });
    expect(page.totalCount).toBe(3);
    expect(page.nodes.map((n) => n.title)).toEqual(['Balloon target ignored by squeezed', 'Balloon driver stops at boot', 'Guest hangs after resume']);
  });

  it('ranks the newest 500 matches of a common phrase, then the rest newest first, paged both ways', async () => {
    const want = await expected('memory leak', false);
    expect(want).toHaveLength(601);
    const forwards = await all('memory leak', 100);
    expect(forwards).toEqual(want);
    expect(await all('memory leak', 100, true)).toEqual(want);
    // Odd page sizes cross from the ranked to the rest within a page, both ways.
    expect(await all('memory leak', 37)).toEqual(want);
    expect(await all('memory leak', 37, true)).toEqual(want);
    // The strongest match of all is older than the 600 newer matches, so it is not among those
    // ranked: it comes among the rest, in its place by age, which is last.
    const strongest = await app.sql<{ number: number }>(`SELECT number FROM item WHERE title LIKE 'Memory leak: memory leak%'`);
    expect(forwards.indexOf(strongest[0].number)).toBe(600);
    expect((await search({ q: 'memory leak', first: 1 })).totalCount).toBe(601);
    // A last page without a cursor holds the oldest of the rest.
    expect((await search({ q: 'memory leak', last: 3 })).nodes.map((n) => n.number)).toEqual(want.slice(-3));
  });

  it('phrases match in order; or and negated words are honoured', async () => {
    const phrase = await expected('"slow memory leak"', false);
    expect(phrase).toHaveLength(300);
    expect(await all('"slow memory leak"', 100)).toEqual(phrase);
    expect(await expected('"leak slow"', false)).toEqual([]);
    expect(await all('"leak slow"', 100)).toEqual([]);
    const negated = await search({ q: 'balloon -squeezed', first: 10 });
    expect(negated.nodes.map((n) => n.title).sort()).toEqual(['Balloon driver stops at boot', 'Guest hangs after resume']);
    expect(negated.nodes.map((n) => n.number)).toEqual(await expected('balloon -squeezed', false));
    const either = await expected('balloon or xenopsd', false);
    expect(either).toHaveLength(603);
    expect(await all('balloon or xenopsd', 100)).toEqual(either);
  });

  it('runs a search read by blocks prepared, with a generic plan, and the others planned for their values', async () => {
    const prepared = app.app.get(PreparedReads);
    const before = prepared.prepared;
    // A first shape is prepared once; the same shape with other words or another page reuses it.
    await search({ q: 'leak is:open', first: 5 });
    expect(prepared.prepared).toBe(before + 1);
    const page = await search({ q: 'xenopsd migrating is:open', first: 5 });
    await search({ q: 'xenopsd migrating is:open', first: 5, after: page.pageInfo.endCursor });
    expect(prepared.prepared).toBe(before + 2);
    expect(await all('memory is:open', 100)).toEqual(await expected('memory', true));
    // Negated words skip the blocks: planned for their values on the main pool, never prepared.
    await search({ q: 'balloon -squeezed', first: 10 });
    expect(prepared.prepared).toBe(before + 2);
  });

  // A search within a small part of the tracker goes straight to it; within a large one it
  // reads the newest blocks. Both give the same pages.
  it('reads a search within an upstream the same whichever way', async () => {
    const db = { query: <T>(sql: string, params?: unknown[]) => app.sql(sql, params) as Promise<T> };
    const catalogue = await loadSnapshot(db);
    const [{ id: xenserver }] = await app.sql<{ id: number }>(`SELECT id FROM upstream WHERE slug = 'xenserver'`);
    // Through the upstreams filter, or as Upstream.items (a scope).
    const read = async (share: number, asScope = false) => {
      const shares: ItemShares = { components: new Map(), upstreams: new Map([[xenserver, share]]) };
      const numbers: number[] = [];
      let after: (string | number)[] | null = null;
      for (let pages = 0; pages < 20; pages++) {
        const filter = { text: 'memory leak', closed: false, ...(asScope ? {} : { upstreams: ['xenserver'] }) };
        const scope = asScope ? { upstreamId: xenserver } : {};
        const { slice } = await listItems(db, { filter, order: { field: 'RELEVANCE', direction: 'DESC' }, page: { limit: 100, direction: 'forward', after }, catalogue, scope, shares, rankedMatches: 500, visibility: ItemVisibility.PUBLIC });
        numbers.push(...slice.rows.map((r) => r.record.number));
        if (!slice.hasMore) break;
        after = slice.rows.at(-1)!.key;
      }
      return numbers;
    };
    const want = await expected('memory leak', true);
    expect(await read(1)).toEqual(want);
    expect(await read(0.01)).toEqual(want);
    expect(await read(1, true)).toEqual(want);
    expect(await read(0.01, true)).toEqual(want);
  });

  it('ranks the newest open matches when closed ones are filtered out, reaching past the newest blocks', async () => {
    const want = await expected('memory leak', true);
    expect(want).toHaveLength(401);
    expect(await all('memory leak is:open', 100)).toEqual(want);
    const first = await search({ q: 'memory leak is:open', first: 3 });
    expect(first.nodes[0].title).toBe('Memory leak: memory leak in xapi memory leak');
    expect(first.totalCount).toBe(401);
  });
});

describe('relevance search with the default settings', () => {
  let app: TestApp;
  afterAll(() => app.close());

  it('ranks the newest 100 matches, then the rest newest first', async () => {
    app = await startTestApp();
    const reporter = await createActor(app, { username: 'reporter' });
    // One old match, more than the newest blocks away from the others: the rest reach it too.
    await insertItems(app, [{ title: 'Storage scan stalls', description: '', upstreamSlug: 'xenserver', reporterId: reporter.userId }]);
    await app.sql(`SELECT setval(pg_get_serial_sequence('item', 'id'), 400000)`);
    await app.sql(
      `INSERT INTO item (kind, title, description, reporter_id, route_upstream_id, route_reason)
       SELECT 'BUG', 'Storage repository scan fails ' || g, repeat('storage ', g % 7), $1, u.id, 'test'
         FROM generate_series(1, 300) g, upstream u WHERE u.slug = 'xenserver'`,
      [reporter.userId],
    );
    const want = await newestRanked(app, 'storage scan', false, 100);
    expect(want).toHaveLength(301);
    expect(await pageThrough(app, 'storage scan', 100)).toEqual(want);
    // Backwards, the rest are read oldest first: the old match, then past the blocks read one by one.
    expect(await pageThrough(app, 'storage scan', 70, true)).toEqual(want);
  });
});
