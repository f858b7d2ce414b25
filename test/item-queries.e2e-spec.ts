import { loadSnapshot } from '@headwaters/catalogue';
import { ItemShareStats, ItemVisibility, listItems, type ItemOrder, type ItemShares } from '@headwaters/items';
import { createActor, type TestActor } from './support/actors';
import { insertItems } from './support/seed-items';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

interface Row {
  number: number;
  title: string;
  status: string;
  closed: boolean;
  kind: string;
  importance: string;
  voteCount: number;
  createdAt: string;
  updatedAt: string;
}
interface Page {
  nodes: Row[];
  edges: { cursor: string }[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const FIELDS = 'number title status closed kind importance voteCount createdAt updatedAt';
const ITEMS = `query ($filter: ItemFilter, $orderBy: ItemOrder, $first: Int, $after: String, $last: Int, $before: String) {
  items(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    nodes { ${FIELDS} } edges { cursor } totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
const RANK: Record<string, number> = { CRITICAL: 5, HIGH: 4, MEDIUM: 3, LOW: 2, WISHLIST: 1, UNDECIDED: 0 };

describe('querying items', () => {
  let app: TestApp;
  let alice: TestActor;
  let bob: TestActor;
  let all: Row[];

  const items = async (variables: Record<string, unknown>): Promise<Page> => {
    const response = await app.gql<{ items: Page }>(ITEMS, variables);
    if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
    return response.body.data!.items;
  };
  const numbers = (page: Page) => page.nodes.map((n) => n.number);
  /** Every item's number, in list order, paged `size` at a time from the start or from the end. */
  const pageThrough = async (variables: Record<string, unknown>, size: number, way: 'forward' | 'backward'): Promise<number[]> => {
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const page: Page = await items(way === 'forward' ? { ...variables, first: size, after: cursor } : { ...variables, last: size, before: cursor });
      if (way === 'forward') seen.push(...numbers(page));
      else seen.unshift(...numbers(page));
      if (!(way === 'forward' ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage)) break;
      cursor = way === 'forward' ? page.pageInfo.endCursor : page.pageInfo.startCursor;
    }
    return seen;
  };

  beforeAll(async () => {
    app = await startTestApp();
    await app.sql(`INSERT INTO upstream (slug, name, forwarding) VALUES ('debian', 'Debian', 'MAILING_LIST') ON CONFLICT (slug) DO NOTHING`);
    await app.sql(`INSERT INTO component (slug, name, parent_id) SELECT 'xapi/networkd', 'networkd', id FROM component WHERE slug = 'xapi' ON CONFLICT (slug) DO NOTHING`);
    alice = await createActor(app, { username: 'Alice' });
    bob = await createActor(app, { username: 'bob' });
    const base = Date.parse('2026-01-01T00:00:00Z');
    const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
    const statuses = ['NEW', 'CONFIRMED', 'TRIAGED', 'FIX_RELEASED', 'INCOMPLETE', 'WONT_FIX'];
    const importances = ['UNDECIDED', 'CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'WISHLIST'];
    const components = ['xapi', 'xapi/xenopsd', 'xapi/networkd', 'xencenter', null];
    await insertItems(
      app,
      Array.from({ length: 30 }, (_, i) => ({
        kind: i % 4 === 0 ? ('FEATURE' as const) : ('BUG' as const),
        title: i === 7 ? 'Live migration fails between hosts' : i === 8 ? 'Slow live migration of large VMs' : `Item ${i}`,
        description: i === 9 ? 'Mentions live migration only in passing' : 'Nothing special here',
        status: i % 4 === 0 && statuses[i % 6] === 'CONFIRMED' ? 'PLANNED' : statuses[i % 6],
        importance: importances[i % 6],
        componentSlug: components[i % 5],
        upstreamSlug: i % 5 === 3 ? 'xenserver' : i % 7 === 0 ? 'debian' : i % 5 === 4 ? 'xenserver' : 'xapi-project',
        reporterId: i % 3 === 0 ? alice.userId : bob.userId,
        votes: (i * 7) % 11,
        forwardState: i % 7 === 0 ? 'PENDING' : i % 9 === 0 ? 'FORWARDED' : null,
        // Some items share a creation time to the microsecond: ties must still page correctly.
        createdAt: at(Math.floor(i / 2)),
        updatedAt: at(100 - i),
      })),
    );
    const everything: Row[] = [];
    let after: string | null = null;
    do {
      const page: Page = await items({ first: 100, after, orderBy: { field: 'NUMBER', direction: 'ASC' } });
      everything.push(...page.nodes);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    all = everything;
  });
  afterAll(() => app.close());

  it('lists everything, newest first by default, with an exact total', async () => {
    const page = await items({ first: 100 });
    expect(page.totalCount).toBe(30);
    const created = page.nodes.map((n) => n.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
  });

  describe('orders, paged forwards and backwards in pages of 4', () => {
    const orders: [string, string, (a: Row, b: Row) => number][] = [
      ['CREATED_AT', 'ASC', (a, b) => a.createdAt.localeCompare(b.createdAt)],
      ['CREATED_AT', 'DESC', (a, b) => b.createdAt.localeCompare(a.createdAt)],
      ['UPDATED_AT', 'DESC', (a, b) => b.updatedAt.localeCompare(a.updatedAt)],
      ['VOTES', 'DESC', (a, b) => b.voteCount - a.voteCount],
      ['VOTES', 'ASC', (a, b) => a.voteCount - b.voteCount],
      ['IMPORTANCE', 'DESC', (a, b) => RANK[b.importance] - RANK[a.importance]],
      ['NUMBER', 'DESC', (a, b) => b.number - a.number],
    ];
    it.each(orders)('%s %s', async (field, direction, compare) => {
      const orderBy = { field, direction };
      const forward: Row[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page: Page = await items({ first: 4, after, orderBy });
        expect(page.nodes.length).toBeLessThanOrEqual(4);
        expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
        forward.push(...page.nodes);
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        pages++;
      } while (after && pages < 20);
      expect(forward).toHaveLength(30);
      expect(new Set(forward.map((r) => r.number)).size).toBe(30);
      for (let i = 1; i < forward.length; i++) expect(compare(forward[i - 1], forward[i])).toBeLessThanOrEqual(0);

      const backward: Row[] = [];
      let before: string | null = null;
      pages = 0;
      do {
        const page: Page = await items({ last: 4, before, orderBy });
        backward.unshift(...page.nodes);
        before = page.pageInfo.hasPreviousPage ? page.pageInfo.startCursor : null;
        pages++;
      } while (before && pages < 20);
      expect(backward.map((r) => r.number)).toEqual(forward.map((r) => r.number));
    });
  });

  describe('filters', () => {
    const expectFilter = async (filter: Record<string, unknown>, predicate: (r: Row) => boolean) => {
      const page = await items({ filter, first: 100, orderBy: { field: 'NUMBER', direction: 'ASC' } });
      const expected = all.filter(predicate).map((r) => r.number);
      expect(expected.length).toBeGreaterThan(0);
      expect(numbers(page)).toEqual(expected);
      expect(page.totalCount).toBe(expected.length);
    };

    it('kind', () => expectFilter({ kind: 'FEATURE' }, (r) => r.kind === 'FEATURE'));
    it('status', () => expectFilter({ status: ['NEW', 'TRIAGED'] }, (r) => ['NEW', 'TRIAGED'].includes(r.status)));
    it('closed', () => expectFilter({ closed: true }, (r) => r.closed));
    it('open', () => expectFilter({ closed: false }, (r) => !r.closed));
    it('importance', () => expectFilter({ importance: ['CRITICAL', 'HIGH'] }, (r) => ['CRITICAL', 'HIGH'].includes(r.importance)));
    it('minVotes', () => expectFilter({ minVotes: 6 }, (r) => r.voteCount >= 6));
    it('minVotes and maxVotes', () => expectFilter({ minVotes: 2, maxVotes: 4 }, (r) => r.voteCount >= 2 && r.voteCount <= 4));

    it('components match their whole subtree', async () => {
      const rows = await app.sql<{ number: number; slug: string | null }>(`SELECT i.number, c.slug FROM item i LEFT JOIN component c ON c.id = i.component_id ORDER BY i.number`);
      const subtree = rows.filter((r) => r.slug === 'xapi' || r.slug?.startsWith('xapi/')).map((r) => r.number);
      expect(numbers(await items({ filter: { components: ['xapi'] }, first: 100, orderBy: { field: 'NUMBER', direction: 'ASC' } }))).toEqual(subtree);
      const leaf = rows.filter((r) => r.slug === 'xapi/xenopsd').map((r) => r.number);
      expect(numbers(await items({ filter: { components: ['xapi/xenopsd'] }, first: 100, orderBy: { field: 'NUMBER', direction: 'ASC' } }))).toEqual(leaf);
    });

    // A subtree of several components is read one component at a time and merged: each order,
    // both directions, paged both ways, against the same list straight from SQL.
    it.each([
      ['IMPORTANCE', 'DESC', 'i.importance_rank DESC, i.id DESC'],
      ['IMPORTANCE', 'ASC', 'i.importance_rank ASC, i.id ASC'],
      ['CREATED_AT', 'DESC', 'i.created_at DESC, i.id DESC'],
      ['CREATED_AT', 'ASC', 'i.created_at ASC, i.id ASC'],
      ['VOTES', 'DESC', 'i.vote_count DESC, i.id DESC'],
      ['UPDATED_AT', 'DESC', 'i.updated_at DESC, i.id DESC'],
    ])('a subtree by %s %s, with other filters, paged both ways', async (field, direction, sqlOrder) => {
      const expected = (
        await app.sql<{ number: number }>(
          `SELECT i.number FROM item i JOIN component c ON c.id = i.component_id
            WHERE (c.slug = 'xapi' OR c.slug LIKE 'xapi/%') AND i.kind = 'BUG' ORDER BY ${sqlOrder}`,
        )
      ).map((r) => r.number);
      expect(expected.length).toBeGreaterThan(8);
      const orderBy = { field, direction };
      const filter = { components: ['xapi'], kind: 'BUG' };
      expect(await pageThrough({ filter, orderBy }, 3, 'forward')).toEqual(expected);
      expect(await pageThrough({ filter, orderBy }, 3, 'backward')).toEqual(expected);
      expect((await items({ filter, orderBy, first: 1 })).totalCount).toBe(expected.length);
    });

    // A subtree is read one of two ways, by its share of all items (PostgreSQL's statistics):
    // merged per component (small, or no statistics yet) or as one list (large). Same pages.
    it('reads a subtree the same way whether merged per component or walked as one list', async () => {
      const db = { query: <T>(sql: string, params?: unknown[]) => app.sql(sql, params) as Promise<T> };
      const catalogue = await loadSnapshot(db);
      await app.sql('ANALYZE item');
      const measured = await new ItemShareStats(db).get();
      expect(measured.components.size).toBeGreaterThan(0);
      expect(measured.upstreams.size).toBeGreaterThan(0);
      const read = async (order: ItemOrder, shares: ItemShares) => {
        const numbers: number[] = [];
        let after: (string | number)[] | null = null;
        for (let pages = 0; pages < 20; pages++) {
          const { slice } = await listItems(db, { filter: { components: ['xapi'], closed: false }, order, page: { limit: 2, direction: 'forward', after }, catalogue, shares, visibility: ItemVisibility.PUBLIC });
          numbers.push(...slice.rows.map((r) => r.record.number));
          if (!slice.hasMore) break;
          after = slice.rows.at(-1)!.key;
        }
        return numbers;
      };
      for (const field of ['IMPORTANCE', 'CREATED_AT', 'VOTES'] as const) {
        const order = { field, direction: 'DESC' as const };
        const merged = await read(order, { components: new Map(), upstreams: new Map() });
        expect(merged.length).toBeGreaterThan(2);
        expect(await read(order, { components: new Map([...measured.components.keys()].map((id) => [id, 0.5])), upstreams: new Map() })).toEqual(merged);
        expect(await read(order, measured)).toEqual(merged);
      }
    });

    it('upstreams, forward states and reporter', async () => {
      const rows = await app.sql<{ number: number; upstream: string; forward_state: string | null; username: string }>(
        `SELECT i.number, u.slug AS upstream, f.state AS forward_state, a.username FROM item i JOIN upstream u ON u.id = i.route_upstream_id JOIN app_user a ON a.id = i.reporter_id
          LEFT JOIN forward f ON f.item_id = i.id AND f.kind = 'ROUTED' ORDER BY i.number`,
      );
      const asc = { field: 'NUMBER', direction: 'ASC' };
      expect(numbers(await items({ filter: { upstreams: ['debian'] }, first: 100, orderBy: asc }))).toEqual(rows.filter((r) => r.upstream === 'debian').map((r) => r.number));
      expect(numbers(await items({ filter: { forwardState: ['PENDING'] }, first: 100, orderBy: asc }))).toEqual(rows.filter((r) => r.forward_state === 'PENDING').map((r) => r.number));
      expect(numbers(await items({ filter: { forwardState: ['NOT_NEEDED'] }, first: 100, orderBy: asc }))).toEqual(rows.filter((r) => r.forward_state === null).map((r) => r.number));
      expect(numbers(await items({ filter: { reporter: 'alice' }, first: 100, orderBy: asc }))).toEqual(rows.filter((r) => r.username === 'Alice').map((r) => r.number));
      expect(numbers(await items({ filter: { reporter: 'nobody-here' }, first: 100 }))).toEqual([]);
    });

    it('text, ranked by relevance: title over description', async () => {
      const page = await items({ filter: { text: 'live migration' }, first: 10 });
      const titles = page.nodes.map((n) => n.title);
      // Both title matches rank equally (ties go to the newer item), above the description match.
      expect(titles.slice(0, 2).sort()).toEqual(['Live migration fails between hosts', 'Slow live migration of large VMs']);
      expect(titles[2]).toBe('Item 9');
      const paged = await items({ filter: { text: 'live migration' }, first: 2, after: page.edges[0].cursor });
      expect(paged.nodes.map((n) => n.title)).toEqual(titles.slice(1, 3));
    });

    it('combines filters', () =>
      expectFilter({ kind: 'BUG', closed: false, minVotes: 3 }, (r) => r.kind === 'BUG' && !r.closed && r.voteCount >= 3));
  });

  describe('the search string', () => {
    const search = async (query: string, first = 100) => app.gql<{ search: Page }>(`query ($q: String!, $first: Int) { search(query: $q, first: $first) { nodes { ${FIELDS} } totalCount } }`, { q: query, first });

    it('understands qualifiers, sorts and words together', async () => {
      const response = await search('is:open is:bug votes:>=3 sort:votes-desc');
      const expected = all.filter((r) => !r.closed && r.kind === 'BUG' && r.voteCount >= 3);
      expect(response.body.data!.search.totalCount).toBe(expected.length);
      const votes = response.body.data!.search.nodes.map((n) => n.voteCount);
      expect(votes).toEqual([...votes].sort((a, b) => b - a));
      const words = await search('"live migration" fails');
      expect(words.body.data!.search.nodes.map((n) => n.title)).toEqual(['Live migration fails between hosts']);
      const component = await search('component:xapi/xenopsd is:closed');
      expect(component.body.data!.search.nodes.every((n) => n.closed)).toBe(true);
    });

    it('refuses an unknown qualifier or value, naming it', async () => {
      const unknown = await search('label:bug');
      expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
      expect(unknown.body.errors![0].extensions!.field).toBe('label');
      const value = await search('importance:urgent');
      expect(unknown.body.errors![0].message).toMatch(/label/);
      expect(value.body.errors![0].extensions!.field).toBe('importance');
      const slug = await search('component:nothing-like-it');
      expect(errorCodes(slug)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('limits and bad arguments', () => {
    it.each([
      [{ first: 0 }, 'first'],
      [{ first: 101 }, 'first'],
      [{ last: 101 }, 'last'],
      [{ first: 2, last: 2 }, 'last'],
      [{ after: 'garbage!' }, 'after'],
      [{ before: 'YWJj' }, 'before'],
      [{ orderBy: { field: 'RELEVANCE', direction: 'DESC' } }, 'orderBy'],
      [{ filter: { components: ['no-such-component'] } }, 'filter.components'],
      [{ filter: { upstreams: ['nobody'] } }, 'filter.upstreams'],
      [{ filter: { minVotes: -1 } }, 'filter.minVotes'],
    ])('%j is BAD_USER_INPUT naming %s', async (variables, field) => {
      const response = await app.gql(ITEMS, variables);
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.errors![0].extensions!.field).toBe(field);
    });

    it('refuses a cursor of another ordering', async () => {
      const page = await items({ first: 1, orderBy: { field: 'VOTES', direction: 'DESC' } });
      const response = await app.gql(ITEMS, { first: 1, after: page.pageInfo.endCursor, orderBy: { field: 'NUMBER', direction: 'DESC' } });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    });
  });
});

describe('the triage inbox and an upstream\'s items', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('lists open items without a component, and items routed to one upstream', async () => {
    const reporter = await createActor(app);
    const [inbox, filed, closedInbox, debian] = await insertItems(app, [
      { title: 'No idea where this goes', componentSlug: null, upstreamSlug: 'xenserver', reporterId: reporter.userId },
      { title: 'Console glitch', componentSlug: 'xencenter', upstreamSlug: 'xenserver', reporterId: reporter.userId },
      { title: 'Old unsorted report', componentSlug: null, upstreamSlug: 'xenserver', reporterId: reporter.userId, status: 'INVALID' },
      { title: 'Package fails to install', componentSlug: 'packaging/debian', upstreamSlug: 'debian', reporterId: reporter.userId, status: 'CONFIRMED' },
    ]);
    const numbers = await app.sql<{ id: number; number: number }>(`SELECT id, number FROM item WHERE id = ANY($1)`, [[inbox, filed, closedInbox, debian]]);
    const numberOf = (id: number) => numbers.find((n) => n.id === id)!.number;
    const search = await app.gql<{ search: { nodes: { number: number }[] } }>(`{ search(query: "is:inbox", first: 10) { nodes { number } } }`);
    expect(search.body.data!.search.nodes).toEqual([{ number: numberOf(inbox) }]);
    const filter = await app.gql<{ items: { nodes: { number: number }[] } }>(`{ items(filter: { hasComponent: false }, first: 10, orderBy: { field: NUMBER, direction: ASC }) { nodes { number } } }`);
    expect(filter.body.data!.items.nodes).toEqual([{ number: numberOf(inbox) }, { number: numberOf(closedInbox) }]);
    const upstream = await app.gql<{ upstream: { items: { totalCount: number; nodes: { number: number; route: { upstream: { slug: string } } }[] } } }>(
      `{ upstream(slug: "debian") { items(first: 10, filter: { closed: false }) { totalCount nodes { number route { upstream { slug } } } } } }`,
    );
    expect(upstream.body.data!.upstream.items).toEqual({ totalCount: 1, nodes: [{ number: numberOf(debian), route: { upstream: { slug: 'debian' } } }] });
  });
});
