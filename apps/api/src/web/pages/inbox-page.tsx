import type { FastifyInstance } from 'fastify';
import { Csrf } from '../components/layout';
import { ITEM_ROW, IMPORTANCES, day, kindWord, words, type ItemRow } from '../components/items';
import { Page, type WebDeps } from '../page';

const PAGE = 50;

interface Grants {
  viewer: { roles: { role: string; upstream: { slug: string; name: string } | null; component: { slug: string; name: string } | null }[] } | null;
  components: { nodes: { slug: string; name: string; retired: boolean }[] };
}

type InboxRow = ItemRow & { id: string };

/** The search strings of what the viewer maintains: new items there, oldest first. */
export function inboxQueries(roles: NonNullable<Grants['viewer']>['roles']): string[] {
  if (roles.some((r) => r.role === 'ADMIN')) return ['status:new sort:created-asc'];
  const queries = new Set<string>();
  for (const r of roles) {
    if (r.role !== 'MAINTAINER') continue;
    if (r.upstream) queries.add(`status:new upstream:${r.upstream.slug} sort:created-asc`);
    if (r.component) queries.add(`status:new component:${r.component.slug} sort:created-asc`);
  }
  return [...queries];
}

const DECISIONS = [
  { status: 'CONFIRMED', label: 'Confirm', key: 'c' },
  { status: 'INCOMPLETE', label: 'Ask for information', key: 'i' },
  { status: 'WONT_FIX', label: 'Decline', key: 'x' },
  { status: 'INVALID', label: 'Invalid', key: 'v' },
] as const;

function InboxEntry({ item, csrf, components }: { item: InboxRow; csrf: string; components: { slug: string; name: string }[] }) {
  const id = `i${item.number}`;
  return (
    <li class="inbox-item" tabIndex={-1} data-inbox-item={String(item.number)} aria-labelledby={`${id}-title`}>
      <h2 class="inbox-title" id={`${id}-title`}>
        <a href={`/items/${item.number}`}>
          #{item.number} {item.title}
        </a>
      </h2>
      <p class="meta">
        {kindWord(item.kind)} · filed {day(item.createdAt)} · {item.component ? item.component.slug : 'no component'}
        {item.route && <> · routed to {item.route.upstream.name}</>}
      </p>
      <form method="post" action={`/items/${item.number}/triage`} class="inbox-form" data-inbox-form="">
        <Csrf token={csrf} />
        <input type="hidden" name="back" value="/inbox" />
        <input type="hidden" name="currentStatus" value={item.status} />
        <input type="hidden" name="currentImportance" value={item.importance} />
        <label for={`${id}-status`}>Status</label>
        <select id={`${id}-status`} name="status" data-field="status">
          <option value={item.status}>{words(item.status)} (undecided)</option>
          {DECISIONS.map((d) => (
            <option key={d.status} value={d.status}>
              {d.label}
            </option>
          ))}
        </select>
        <label for={`${id}-importance`}>Importance</label>
        <select id={`${id}-importance`} name="importance" data-field="importance">
          {IMPORTANCES.map((i) => (
            <option key={i} value={i} selected={i === item.importance}>
              {words(i)}
            </option>
          ))}
        </select>
        <label for={`${id}-component`}>Component</label>
        <select id={`${id}-component`} name="componentSlug" data-field="component">
          <option value="">(keep {item.component?.slug ?? 'none'})</option>
          {components.map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.name}
            </option>
          ))}
        </select>
        <label for={`${id}-comment`}>Note</label>
        <input id={`${id}-comment`} name="comment" data-field="comment" maxLength={2000} />
        <button type="submit" class="primary">
          Save triage
        </button>
        <span class="inbox-result" role="status" />
      </form>
      <form method="post" action={`/items/${item.number}/duplicate`} class="inbox-form">
        <Csrf token={csrf} />
        <input type="hidden" name="back" value="/inbox" />
        <label for={`${id}-dup`}>Duplicate of #</label>
        <input id={`${id}-dup`} name="number" inputMode="numeric" pattern="[0-9]+" size={6} required data-field="duplicate" />
        <button type="submit">Mark duplicate</button>
      </form>
    </li>
  );
}

/** `/inbox`: the maintainer's triage inbox, with keyboard shortcuts. */
export function registerInboxPage(fastify: FastifyInstance, deps: WebDeps): void {
  fastify.get('/inbox', async (request, reply) => {
    const page = new Page(deps, request, reply);
    if (!(await page.actor())) return page.toLogin('/inbox');
    const grants = await page.gql<Grants>(`query { viewer { roles { role upstream { slug name } component { slug name } } } components(first: 100) { nodes { slug name retired } } }`);
    if (!grants.data?.viewer) return page.error(grants.errors[0] ?? { code: 'UNAUTHENTICATED', message: 'Sign in first.' }, '/inbox');
    const queries = inboxQueries(grants.data.viewer.roles);
    const components = grants.data.components.nodes.filter((c) => !c.retired);
    let items: InboxRow[] = [];
    let more = false;
    if (queries.length > 0) {
      const fields = queries.map((_q, i) => `q${i}: search(query: $q${i}, first: ${PAGE}) { pageInfo { hasNextPage } nodes { id ${ITEM_ROW} } }`).join(' ');
      const declared = queries.map((_q, i) => `$q${i}: String!`).join(', ');
      const variables = Object.fromEntries(queries.map((q, i) => [`q${i}`, q]));
      const result = await page.gql<Record<string, { pageInfo: { hasNextPage: boolean }; nodes: InboxRow[] }>>(`query Inbox(${declared}) { ${fields} }`, variables);
      if (!result.data) return page.error(result.errors[0]);
      const seen = new Map<number, InboxRow>();
      for (const list of Object.values(result.data)) {
        more ||= list.pageInfo.hasNextPage;
        for (const item of list.nodes) seen.set(item.number, item);
      }
      const merged = [...seen.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.number - b.number);
      more ||= merged.length > PAGE;
      items = merged.slice(0, PAGE);
    }
    return page.render('Triage inbox', (chrome) => (
      <>
        <h1>Triage inbox</h1>
        {queries.length === 0 ? (
          <p>You maintain nothing yet: an admin grants maintainer rights on an upstream or a component.</p>
        ) : (
          <>
            <p class="lead">
              New items of what you maintain, oldest first: {more ? `the oldest ${items.length} of more` : items.length === 1 ? '1 waiting' : `${items.length} waiting`}.
            </p>
            <details class="shortcuts">
              <summary>Keyboard shortcuts</summary>
              <dl>
                <dt>j / k</dt>
                <dd>next / previous item</dd>
                {DECISIONS.flatMap((d) => [<dt key={`k${d.key}`}>{d.key}</dt>, <dd key={`d${d.key}`}>{d.label.toLowerCase()}</dd>])}
                <dt>1 – 5</dt>
                <dd>importance: critical, high, medium, low, wishlist</dd>
                <dt>m</dt>
                <dd>move to another component</dd>
                <dt>u</dt>
                <dd>mark duplicate</dd>
                <dt>Enter</dt>
                <dd>save the triage · o opens the item</dd>
              </dl>
            </details>
            {items.length === 0 ? (
              <p class="empty">Nothing waits: every new item is triaged.</p>
            ) : (
              <ol class="inbox" data-inbox="">
                {items.map((item) => (
                  <InboxEntry key={item.number} item={item} csrf={chrome.csrf} components={components} />
                ))}
              </ol>
            )}
          </>
        )}
      </>
    ));
  });
}
