import type { CatalogueSnapshot } from '@headwaters/catalogue';
import { itemsError } from '../../items.reasons';
import type { ItemVisibility } from '../../visibility/item-visibility';
import type { ItemFilter } from '../item-query';

/**
 * The query of a placeholder's search text: how every list reads it. Web-search syntax, with
 * identifiers searched by their parts (`item_search_query`, migration SearchIdentifierParts).
 */
export const TEXT_QUERY = (param: string) => `item_search_query(${param})`;

/** Extra narrowing that does not come from users' filters (e.g. `Upstream.items`). */
export interface ListScope {
  upstreamId?: number;
  /** A release's roadmap: bugs fixed in it (`Release.fixedItems`). */
  fixedInId?: number;
  /** A release's roadmap: features planned for it (`Release.plannedItems`). */
  plannedForId?: number;
}

/** The WHERE of a filter, and what building it resolved. */
export interface ItemWhere {
  where: string;
  /** The same without the text condition. */
  others: string;
  /** The placeholder of the search text, if any. */
  textParam: string | null;
  /** The filter's component subtrees and upstreams, as ids (empty when it names none). */
  componentIds: number[];
  upstreamIds: number[];
}

/** What a filter condition may use: a binder for its values, and the slugs resolved to ids. */
export interface ConditionContext {
  /** Adds a parameter and returns its placeholder (`$3`). */
  bind(value: unknown): string;
  catalogue: CatalogueSnapshot;
  componentIds: number[];
  upstreamIds: number[];
}

/** One filter field's SQL condition on `item i`, or null when the value narrows nothing. */
type Condition<V> = (value: NonNullable<V>, context: ConditionContext) => string | null;

/**
 * Every filter field and its condition, in one table: adding a filter is one entry here (and
 * its field in ItemFilter; the mapped type makes forgetting the condition a type error). The
 * text search is not here: read strategies need it apart (see {@link itemWhere}).
 */
const FILTER_CONDITIONS: { [K in Exclude<keyof ItemFilter, 'text'>]-?: Condition<ItemFilter[K]> } = {
  components: (slugs, c) => (slugs.length ? `i.component_id = ANY(${c.bind(c.componentIds)}::int[])` : null),
  upstreams: (slugs, c) => (slugs.length ? `i.route_upstream_id = ANY(${c.bind(c.upstreamIds)}::int[])` : null),
  kind: (kind, c) => (kind ? `i.kind = ${c.bind(kind)}` : null),
  hasComponent: (has) => (has ? 'i.component_id IS NOT NULL' : 'i.component_id IS NULL'),
  status: (statuses, c) => (statuses.length ? `i.status = ANY(${c.bind(statuses)}::text[])` : null),
  closed: (closed, c) => `i.closed = ${c.bind(closed)}`,
  importance: (values, c) => (values.length ? `i.importance = ANY(${c.bind(values)}::text[])` : null),
  forwardState: (states, c) => {
    if (!states.length) return null;
    // The routed upstream's forward; an item without one needs none (NOT_NEEDED).
    const p = c.bind(states);
    return `(EXISTS (SELECT 1 FROM forward f WHERE f.item_id = i.id AND f.kind = 'ROUTED' AND f.state = ANY(${p}::text[]))
       OR ('NOT_NEEDED' = ANY(${p}::text[]) AND NOT EXISTS (SELECT 1 FROM forward f WHERE f.item_id = i.id AND f.kind = 'ROUTED')))`;
  },
  reporter: (username, c) => (username ? `i.reporter_id = (SELECT u.id FROM app_user u WHERE lower(u.username) = lower(${c.bind(username)}))` : null),
  minVotes: (min, c) => `i.vote_count >= ${c.bind(min)}`,
  maxVotes: (max, c) => `i.vote_count <= ${c.bind(max)}`,
  // An unknown username matches nothing, as `reporter` does.
  assignee: (username, c) => (username ? `i.assignee_id = (SELECT u.id FROM app_user u WHERE lower(u.username) = lower(${c.bind(username)}))` : null),
  hasAssignee: (has) => (has ? 'i.assignee_id IS NOT NULL' : 'i.assignee_id IS NULL'),
  tags: (tags, c) => (tags.length ? `i.tags @> ${c.bind([...new Set(tags.map((t) => t.toLowerCase()))])}::text[]` : null),
};

/** Conditions of the scope (narrowing from the API's shape, not from a user's filter). */
const SCOPE_CONDITIONS: { [K in keyof ListScope]-?: Condition<ListScope[K]> } = {
  upstreamId: (id, c) => `i.route_upstream_id = ${c.bind(id)}`,
  fixedInId: (id, c) => `i.fixed_in_id = ${c.bind(id)}`,
  plannedForId: (id, c) => `i.planned_for_id = ${c.bind(id)}`,
};

function conditionsOf<T extends object, K extends keyof T>(table: { [P in K]-?: Condition<T[P]> }, values: T, context: ConditionContext): string[] {
  const sql: string[] = [];
  for (const field of Object.keys(table) as K[]) {
    const value = values[field];
    if (value === undefined || value === null) continue;
    const condition = (table[field] as Condition<T[K]>)(value as NonNullable<T[K]>, context);
    if (condition) sql.push(condition);
  }
  return sql;
}

/**
 * Builds the WHERE of a filter, appending its values to `params`. Component and upstream slugs
 * are resolved from the catalogue (an unknown slug is BAD_USER_INPUT naming the filter field),
 * so the query gets plain ids. Every list keeps to what `visibility` lets its viewer see: there
 * is no list without it.
 */
export function itemWhere(filter: ItemFilter, scope: ListScope, params: unknown[], catalogue: CatalogueSnapshot, visibility: ItemVisibility): ItemWhere {
  const { componentIds, upstreamIds } = slugsFromCatalogue(catalogue, filter.components ?? [], filter.upstreams ?? []);
  const context: ConditionContext = {
    bind: (value) => {
      params.push(value);
      return `$${params.length}`;
    },
    catalogue,
    componentIds,
    upstreamIds,
  };
  const conditions = [...conditionsOf(FILTER_CONDITIONS, filter, context), ...conditionsOf(SCOPE_CONDITIONS, scope, context)];
  const visible = visibility.sql('i', params);
  if (visible !== 'TRUE') conditions.push(visible);
  const others = conditions.length ? conditions.join(' AND ') : 'TRUE';
  if (!filter.text) return { where: others, others, textParam: null, componentIds, upstreamIds };
  const textParam = context.bind(filter.text);
  return { where: `${others} AND i.search @@ ${TEXT_QUERY(textParam)}`, others, textParam, componentIds, upstreamIds };
}

/** Slugs resolved from the catalogue in memory: no round trip. */
function slugsFromCatalogue(catalogue: CatalogueSnapshot, components: string[], upstreams: string[]): { componentIds: number[]; upstreamIds: number[] } {
  const componentIds = components.flatMap((slug) => {
    const component = catalogue.componentBySlug(slug);
    if (!component) throw itemsError('FILTER_UNKNOWN_SLUG', `filter.components: no component has the slug "${slug}"`, 'filter.components');
    return catalogue.subtree(component.id).map((c) => c.id);
  });
  const upstreamIds = upstreams.map((slug) => {
    const upstream = catalogue.upstreamBySlug(slug);
    if (!upstream) throw itemsError('FILTER_UNKNOWN_SLUG', `filter.upstreams: no upstream has the slug "${slug}"`, 'filter.upstreams');
    return upstream.id;
  });
  return { componentIds, upstreamIds };
}
