import type { FastifyInstance } from 'fastify';
import { ITEM_ROW, ItemList, type ItemRow } from '../components/items';
import { OPEN_COUNTS, Page, param, type OpenCounts, type WebDeps } from '../page';

const HOME = `query Home {
  recent: items(first: 10) { nodes { ${ITEM_ROW} } }
  popular: search(query: "is:open is:feature sort:votes-desc", first: 10) { nodes { ${ITEM_ROW} } }
}`;

const SEARCH = `query Search($query: String!, $first: Int, $after: String, $last: Int, $before: String) {
  search(query: $query, first: $first, after: $after, last: $last, before: $before) {
    nodes { ${ITEM_ROW} } pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
  }
  upstreams { slug name }
}`;

const PAGE_SIZE = 25;

interface HomeData {
  recent: { nodes: ItemRow[] };
  popular: { nodes: ItemRow[] };
}

interface SearchData {
  search: { nodes: ItemRow[]; pageInfo: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean } };
  upstreams: { slug: string; name: string }[];
}

/** The search string's words: qualifiers (`is:open`) and the rest, quoted phrases kept whole. */
export function tokens(query: string): string[] {
  return query.match(/-?"[^"]*"|\S+/g) ?? [];
}

/** The search string with one qualifier set to `value` (or removed when value is null). */
export function withQualifier(query: string, key: string, value: string | null, sameKey: (token: string) => boolean = (t) => t.startsWith(`${key}:`)): string {
  const kept = tokens(query).filter((t) => !sameKey(t));
  if (value !== null) kept.push(`${key}:${value}`);
  return kept.join(' ');
}

function itemsHref(query: string, extra = ''): string {
  return `/items?q=${encodeURIComponent(query)}${extra}`;
}

function Filters({ query, upstreams }: { query: string; upstreams: { slug: string; name: string }[] }) {
  const isState = (t: string) => t === 'is:open' || t === 'is:closed';
  const isKind = (t: string) => t === 'is:bug' || t === 'is:feature';
  const links: { group: string; items: { label: string; href: string; current: boolean }[] }[] = [
    {
      group: 'State',
      items: [
        { label: 'Open', href: itemsHref(withQualifier(query, 'is', 'open', isState)), current: tokens(query).includes('is:open') },
        { label: 'Closed', href: itemsHref(withQualifier(query, 'is', 'closed', isState)), current: tokens(query).includes('is:closed') },
        { label: 'Any', href: itemsHref(withQualifier(query, 'is', null, isState)), current: !tokens(query).some(isState) },
      ],
    },
    {
      group: 'Kind',
      items: [
        { label: 'Bugs', href: itemsHref(withQualifier(query, 'is', 'bug', isKind)), current: tokens(query).includes('is:bug') },
        { label: 'Feature suggestions', href: itemsHref(withQualifier(query, 'is', 'feature', isKind)), current: tokens(query).includes('is:feature') },
        { label: 'Both', href: itemsHref(withQualifier(query, 'is', null, isKind)), current: !tokens(query).some(isKind) },
      ],
    },
    {
      group: 'Sort',
      items: [
        { label: 'Newest', href: itemsHref(withQualifier(query, 'sort', 'created-desc')), current: tokens(query).includes('sort:created-desc') },
        { label: 'Most votes', href: itemsHref(withQualifier(query, 'sort', 'votes-desc')), current: tokens(query).includes('sort:votes-desc') },
        { label: 'Hottest', href: itemsHref(withQualifier(query, 'sort', 'heat-desc')), current: tokens(query).includes('sort:heat-desc') },
        { label: 'Importance', href: itemsHref(withQualifier(query, 'sort', 'importance-desc')), current: tokens(query).includes('sort:importance-desc') },
        { label: 'Recently updated', href: itemsHref(withQualifier(query, 'sort', 'updated-desc')), current: tokens(query).includes('sort:updated-desc') },
      ],
    },
    {
      group: 'Upstream',
      items: upstreams.map((u) => ({ label: u.name, href: itemsHref(withQualifier(query, 'upstream', u.slug)), current: tokens(query).includes(`upstream:${u.slug}`) })),
    },
  ];
  return (
    <nav class="filters" aria-label="Filters">
      {links.map((group) => (
        <div key={group.group}>
          <h2>{group.group}</h2>
          <ul>
            {group.items.map((link) => (
              <li key={link.label}>
                <a href={link.href} aria-current={link.current ? 'true' : undefined}>
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

/** Home (`/`) and search results (`/items?q=`). */
export function registerBrowsePages(fastify: FastifyInstance, deps: WebDeps): void {
  fastify.get('/', async (request, reply) => {
    const page = new Page(deps, request, reply);
    const [result, counts] = await Promise.all([page.gql<HomeData>(HOME), page.publicGql<OpenCounts>('open-counts', OPEN_COUNTS)]);
    if (!result.data) return page.error(result.errors[0]);
    const data = result.data;
    const upstreams = counts.data?.upstreams ?? [];
    return page.render('XenServer bugs and feature suggestions', () => (
      <>
        <h1>XenServer bugs and feature suggestions</h1>
        <p class="lead">
          Report a problem or suggest a feature once: Headwaters routes it to the project that owns that part of XenServer and follows it there.{' '}
          <a href="/new" class="button primary">
            File a report
          </a>
        </p>
        <div class="columns">
          <section aria-labelledby="recent">
            <h2 id="recent">Recent items</h2>
            <ItemList items={data.recent.nodes} empty="Nothing filed yet." label="Recent items" />
            <p>
              <a href="/items?q=is%3Aopen">All open items</a>
            </p>
          </section>
          <section aria-labelledby="popular">
            <h2 id="popular">Most-voted feature suggestions</h2>
            <ItemList items={data.popular.nodes} empty="No open feature suggestions yet." label="Most-voted feature suggestions" />
            <p>
              <a href="/roadmap">Roadmap</a>
            </p>
          </section>
        </div>
        <section aria-labelledby="upstreams">
          <h2 id="upstreams">Upstreams</h2>
          <ul class="upstreams">
            {upstreams.map((u) => (
              <li key={u.slug}>
                <a href={`/upstreams/${u.slug}`}>{u.name}</a> <span class="count">{u.items.totalCount} open</span>
              </li>
            ))}
          </ul>
        </section>
      </>
    ));
  });

  fastify.get('/items', async (request, reply) => {
    const page = new Page(deps, request, reply);
    const query = (param(request, 'q') ?? 'is:open').slice(0, 500);
    const after = param(request, 'after');
    const before = param(request, 'before');
    const variables = before ? { query, last: PAGE_SIZE, before } : { query, first: PAGE_SIZE, after };
    const result = await page.gql<SearchData>(SEARCH, variables);
    const error = result.errors[0];
    const data = result.data;
    const title = query.trim() ? `Items: ${query}` : 'Items';
    return page.render(
      title,
      () => (
        <>
          <h1>Items</h1>
          <p class="qualifiers">
            Searching for{' '}
            {tokens(query).map((t) => (
              <span class="chip" key={t}>
                {t}{' '}
                <a href={itemsHref(tokens(query).filter((x) => x !== t).join(' '))} aria-label={`Remove ${t}`}>
                  ×
                </a>
              </span>
            ))}
            {tokens(query).length === 0 && <span>everything</span>}
          </p>
          <div class="with-sidebar">
            <Filters query={query} upstreams={data?.upstreams ?? []} />
            <section aria-label="Results">
              {error ? (
                <p role="alert" class="error">
                  {error.message}
                </p>
              ) : (
                data && (
                  <>
                    <ItemList items={data.search.nodes} empty="No item matches." label="Results" />
                    <nav class="pager" aria-label="Pages">
                      {data.search.pageInfo.hasPreviousPage && data.search.pageInfo.startCursor && (
                        <a href={itemsHref(query, `&before=${encodeURIComponent(data.search.pageInfo.startCursor)}`)} rel="prev">
                          ← Previous
                        </a>
                      )}
                      {data.search.pageInfo.hasNextPage && data.search.pageInfo.endCursor && (
                        <a href={itemsHref(query, `&after=${encodeURIComponent(data.search.pageInfo.endCursor)}`)} rel="next">
                          Next →
                        </a>
                      )}
                    </nav>
                  </>
                )
              )}
            </section>
          </div>
        </>
      ),
      { status: error ? 400 : 200, query },
    );
  });
}
