import type { FastifyInstance } from 'fastify';
import { ITEM_ROW, ItemList, votesWord, type ItemRow } from '../components/items';
import { OPEN_COUNTS, Page, type OpenCounts, type WebDeps } from '../page';

type RoadmapRow = ItemRow & { plannedFor: { slug: string; name: string } | null };

const ROADMAP = `query Roadmap {
  planned: search(query: "is:feature status:planned sort:votes-desc", first: 20) { pageInfo { hasNextPage } nodes { ...Row } }
  inProgress: search(query: "is:feature status:in-progress sort:votes-desc", first: 20) { pageInfo { hasNextPage } nodes { ...Row } }
  released: search(query: "is:feature status:fix-released sort:votes-desc", first: 20) { pageInfo { hasNextPage } nodes { ...Row } }
}
fragment Row on Item { ${ITEM_ROW} ... on FeatureSuggestion { plannedFor { slug name } } }`;

const UPSTREAM = `query Upstream($slug: String!) {
  upstream(slug: $slug) {
    slug name homepage trackerUrl mailingList ircChannel forwarding retired
    components(first: 100) { nodes { slug name } }
    open: items(filter: { closed: false }, first: 25) { nodes { ${ITEM_ROW} } }
  }
}`;

// The forwards waiting to be sent to an upstream: of items routed there, or also affecting it (as
// the search `forward:pending upstream:<slug>` finds them), not its items' forwards elsewhere.
const UPSTREAM_PENDING = `query UpstreamPending($slugs: [String!]) {
  items(filter: { upstreams: $slugs, forwardState: [PENDING] }, first: 25) { pageInfo { hasNextPage } nodes { ${ITEM_ROW} } }
}`;

const COMPONENT = `query Component($slug: String!, $slugs: [String!]) {
  component(slug: $slug) {
    slug name description retired
    owner { slug name } ownerInheritedFrom { slug name } parent { slug name } children { slug name }
  }
  open: items(filter: { components: $slugs, closed: false }, first: 25) { nodes { ${ITEM_ROW} } }
  pending: items(filter: { components: $slugs, forwardState: [PENDING] }, first: 25) { pageInfo { hasNextPage } nodes { ${ITEM_ROW} } }
}`;

/**
 * A list without its count: counting every open item of a big upstream costs more than the page
 * (at 100,000 items), so lists say whether there is more and link to the search that pages on.
 */
interface Listed {
  pageInfo?: { hasNextPage: boolean };
  nodes: ItemRow[];
}
type Unc = Listed;

const FORWARDING: Record<string, string> = {
  HANDLED_HERE: 'Handled here: its maintainers work in Headwaters.',
  MAILING_LIST: 'Forwarded by mail to its mailing list.',
  MANUAL: "A maintainer files items in the upstream's own tracker and records the reference.",
  WEBHOOK: 'Forwarded to its tracker by webhook.',
};

function ReleaseGroups({ items }: { items: RoadmapRow[] }) {
  const groups = new Map<string, RoadmapRow[]>();
  for (const item of items) {
    const key = item.plannedFor?.name ?? 'No release set';
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  if (groups.size <= 1) return <ItemList items={items} empty="None yet." />;
  return (
    <>
      {[...groups].map(([release, list]) => (
        <section key={release} aria-label={release}>
          <h3>{release}</h3>
          <ItemList items={list} empty="None." />
        </section>
      ))}
    </>
  );
}

function Pending({ list, search }: { list: Listed; search: string }) {
  return (
    <>
      <ItemList items={list.nodes} empty="No forward waits to be sent." label="Forwards waiting to be sent" />
      {list.pageInfo?.hasNextPage && (
        <p>
          <a href={`/items?q=${encodeURIComponent(search)}`}>All waiting forwards</a>
        </p>
      )}
    </>
  );
}

/** `/roadmap`, `/upstreams/{slug}` and `/components/{slug}`. */
export function registerCataloguePages(fastify: FastifyInstance, deps: WebDeps): void {
  fastify.get('/roadmap', async (request, reply) => {
    const page = new Page(deps, request, reply);
    const result = await page.gql<Record<'planned' | 'inProgress' | 'released', { pageInfo: { hasNextPage: boolean }; nodes: RoadmapRow[] }>>(ROADMAP);
    if (!result.data) return page.error(result.errors[0]);
    const data = result.data;
    const states = [
      { key: 'planned', title: 'Planned', query: 'is:feature status:planned sort:votes-desc' },
      { key: 'inProgress', title: 'In progress', query: 'is:feature status:in-progress sort:votes-desc' },
      { key: 'released', title: 'Released', query: 'is:feature status:fix-released sort:votes-desc' },
    ] as const;
    return page.render('Roadmap', () => (
      <>
        <h1>Roadmap</h1>
        <p class="lead">
          Feature suggestions the maintainers took on, most votes first, by release. <a href="/items?q=is%3Afeature%20is%3Aopen%20sort%3Avotes-desc">Vote on open suggestions</a>.
        </p>
        <div class="columns three">
          {states.map((s) => (
            <section key={s.key} aria-labelledby={`roadmap-${s.key}`}>
              <h2 id={`roadmap-${s.key}`}>{s.title}</h2>
              <ReleaseGroups items={data[s.key].nodes} />
              {data[s.key].pageInfo.hasNextPage && (
                <p>
                  <a href={`/items?q=${encodeURIComponent(s.query)}`}>All of them</a>
                </p>
              )}
            </section>
          ))}
        </div>
      </>
    ));
  });

  fastify.get<{ Params: { slug: string } }>('/upstreams/:slug', async (request, reply) => {
    const page = new Page(deps, request, reply);
    const slug = request.params.slug.slice(0, 100);
    const [result, waiting] = await Promise.all([
      page.gql<{
        upstream: {
          slug: string; name: string; homepage: string | null; trackerUrl: string | null; mailingList: string | null; ircChannel: string | null; forwarding: string; retired: boolean;
          components: { nodes: { slug: string; name: string }[] }; open: Unc;
        } | null;
      }>(UPSTREAM, { slug }),
      page.gql<{ items: Listed }>(UPSTREAM_PENDING, { slugs: [slug] }),
    ]);
    if (!result.data) return page.error(result.errors[0]);
    const u = result.data.upstream;
    if (!u) return page.notFound(`Upstream ${request.params.slug}`);
    if (!waiting.data) return page.error(waiting.errors[0]);
    const pending = waiting.data.items;
    const counts = await page.publicGql<OpenCounts>('open-counts', OPEN_COUNTS);
    const openCount = counts.data?.upstreams.find((x) => x.slug === u.slug)?.items.totalCount;
    return page.render(u.name, () => (
      <>
        <h1>{u.name}</h1>
        {u.retired && <p class="notice">Retired: it owns nothing new; its open items went to the distribution.</p>}
        <dl class="facts">
          <div>
            <dt>Forwarding</dt>
            <dd>{FORWARDING[u.forwarding] ?? u.forwarding}</dd>
          </div>
          {u.homepage && (
            <div>
              <dt>Home page</dt>
              <dd>
                <a href={u.homepage} rel="noopener noreferrer">
                  {u.homepage}
                </a>
              </dd>
            </div>
          )}
          {u.trackerUrl && (
            <div>
              <dt>Tracker</dt>
              <dd>
                <a href={u.trackerUrl} rel="noopener noreferrer">
                  {u.trackerUrl}
                </a>
              </dd>
            </div>
          )}
          {u.mailingList && (
            <div>
              <dt>Mailing list</dt>
              <dd>{u.mailingList}</dd>
            </div>
          )}
          {u.ircChannel && (
            <div>
              <dt>IRC</dt>
              <dd>{u.ircChannel}</dd>
            </div>
          )}
        </dl>
        <section aria-labelledby="owns">
          <h2 id="owns">What it owns</h2>
          {u.components.nodes.length === 0 ? (
            <p class="empty">No component.</p>
          ) : (
            <ul class="chips">
              {u.components.nodes.map((c) => (
                <li key={c.slug}>
                  <a href={`/components/${c.slug}`}>{c.name}</a>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="open">
          <h2 id="open">
            Open items {openCount !== undefined && <span class="count">{openCount}</span>}
          </h2>
          <ItemList items={u.open.nodes} empty="No open item." label="Open items" />
          <p>
            <a href={`/items?q=${encodeURIComponent(`is:open upstream:${u.slug}`)}`}>Search its items</a>
          </p>
        </section>
        <section aria-labelledby="pending">
          <h2 id="pending">Forwards waiting to be sent</h2>
          <Pending list={pending} search={`forward:pending upstream:${u.slug}`} />
        </section>
      </>
    ));
  });

  fastify.get<{ Params: { '*': string } }>('/components/*', async (request, reply) => {
    const page = new Page(deps, request, reply);
    const slug = request.params['*'].slice(0, 100);
    const result = await page.gql<{
      component: {
        slug: string; name: string; description: string | null; retired: boolean;
        owner: { slug: string; name: string }; ownerInheritedFrom: { slug: string; name: string } | null; parent: { slug: string; name: string } | null; children: { slug: string; name: string }[];
      } | null;
      open: Unc;
      pending: Listed;
    }>(COMPONENT, { slug, slugs: [slug] });
    if (!result.data) {
      if (result.errors[0]?.code === 'BAD_USER_INPUT' || result.errors[0]?.code === 'NOT_FOUND') return page.notFound(`Component ${slug}`);
      return page.error(result.errors[0]);
    }
    const c = result.data.component;
    if (!c) return page.notFound(`Component ${slug}`);
    const { open, pending } = result.data;
    return page.render(c.name, () => (
      <>
        <p class="crumbs">
          {c.parent ? (
            <>
              <a href={`/components/${c.parent.slug}`}>{c.parent.name}</a> / {c.slug}
            </>
          ) : (
            c.slug
          )}
        </p>
        <h1>{c.name}</h1>
        {c.description && <p class="lead">{c.description}</p>}
        <p>
          Owned by <a href={`/upstreams/${c.owner.slug}`}>{c.owner.name}</a>
          {c.ownerInheritedFrom && (
            <>
              {' '}
              (inherited from <a href={`/components/${c.ownerInheritedFrom.slug}`}>{c.ownerInheritedFrom.name}</a>)
            </>
          )}
          : items filed here go there. <a href={`/new?component=${encodeURIComponent(c.slug)}`}>File a report here</a>.
        </p>
        {c.children.length > 0 && (
          <section aria-labelledby="children">
            <h2 id="children">Parts</h2>
            <ul class="chips">
              {c.children.map((child) => (
                <li key={child.slug}>
                  <a href={`/components/${child.slug}`}>{child.name}</a>
                </li>
              ))}
            </ul>
          </section>
        )}
        <section aria-labelledby="open">
          <h2 id="open">Open items</h2>
          <ItemList items={open.nodes} empty="No open item." label="Open items" />
          <p>
            <a href={`/items?q=${encodeURIComponent(`is:open component:${c.slug}`)}`}>Search its items</a> · {votesWord(open.nodes.reduce((n, i) => n + i.voteCount, 0))} on these
          </p>
        </section>
        <section aria-labelledby="pending">
          <h2 id="pending">Forwards waiting to be sent</h2>
          <Pending list={pending} search={`forward:pending component:${c.slug}`} />
        </section>
      </>
    ));
  });
}
