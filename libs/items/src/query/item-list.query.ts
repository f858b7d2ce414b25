import type { CatalogueSnapshot } from '@headwaters/catalogue';
import type { SqlRunner } from '@headwaters/core';
import { readOrderOf, sliceOf, type PageQuery, type PageSlice } from '@headwaters/database';
import { itemSummaryFromRow, type ItemSummary } from '../item.record';
import type { ItemFilter, ItemOrder } from './item-query';
import { shareOf, type ItemShares } from './item-shares';
import { itemWhere, type ItemWhere, type ListScope } from './list/filter-where';
import { orderedRead } from './list/ordered-read.strategy';
import { MAX_MERGED_COMPONENTS, PER_COMPONENT_ORDERS, perComponentMerge } from './list/per-component-merge.strategy';
import type { ItemReadStrategy } from './list/read-strategy';
import { relevanceSearch } from './list/relevance-search.strategy';
import { sortKeyOf } from './list/sort-keys';
import type { ItemVisibility } from '../visibility/item-visibility';

export { itemWhere, type ItemWhere, type ListScope } from './list/filter-where';
export { cursorSizeOf, orderingName } from './list/sort-keys';
export type { ItemReadStrategy, ListRead } from './list/read-strategy';

/**
 * Relevance ranks the newest matches, this many unless configured (SEARCH_RANKED_MATCHES), and
 * lists the older ones after them, newest first. Ranking reads every match it ranks, and a common
 * phrase matches a large part of a tracker (a tenth of a million items in the benchmark), so
 * ranking them all would cost seconds. The newest matches are the ones people look for most, and
 * finding them is cheap (see the relevance strategy); rarer words are ranked over all their matches.
 * Every match is listed, and totalCount counts them all.
 */
export const RELEVANCE_CANDIDATES = 100;

/** How a list is read, beyond its filter and order. */
export interface ListOptions {
  /** Matches a relevance search ranks (the newest); {@link RELEVANCE_CANDIDATES} by default. */
  rankedMatches?: number;
  /** Each component's and upstream's share of all items (see ItemShareStats), to choose how to read. */
  shares?: ItemShares;
  /**
   * Runs the statements whose plan does not depend on their values with a prepared generic plan
   * (PreparedReads): a relevance search read by blocks, whose planning costs as much as its run.
   */
  prepared?: SqlRunner;
}

/** One list page asked for: what, in which order, which page, read how. */
export interface ListRequest extends ListOptions {
  filter: ItemFilter;
  order: ItemOrder;
  page: PageQuery;
  catalogue: CatalogueSnapshot;
  scope?: ListScope;
  /** What the viewer may see (ItemVisibility.PUBLIC for anonymous viewers). */
  visibility: ItemVisibility;
}

/** An item of a list page, with its sort-key values (for its cursor). */
export interface ListedItem {
  record: ItemSummary;
  key: (string | number)[];
}

/**
 * Below this share of all items, a subtree, upstream or reporter is a small part of the tracker:
 * its page is cheaper found through its own index than by walking the whole order (or the
 * newest search blocks) and skipping everything else. At or above it, walking finds a page
 * within a few dozen rows.
 */
const SMALL_SHARE = 0.05;

const relevanceByBlocks = relevanceSearch({ byBlocks: true });
const relevanceDirect = relevanceSearch({ byBlocks: false });

/**
 * The one place that chooses how a page is read: a relevance search (by blocks, or straight to
 * a small filter's items), a per-component merge for a small subtree in an order that has a
 * per-component index, or one ordered read of the whole list.
 */
export function chooseReadStrategy(filter: ItemFilter, order: ItemOrder, scope: ListScope, where: ItemWhere, shares: ItemShares | undefined): ItemReadStrategy {
  if (order.field === 'RELEVANCE') return readsByBlocks(filter, scope, where, shares) ? relevanceByBlocks : relevanceDirect;
  const components = where.componentIds;
  const share = shares ? shareOf(shares.components, components) : undefined;
  const sparse = share === undefined || share < SMALL_SHARE;
  if (PER_COMPONENT_ORDERS.has(order.field) && components.length > 1 && components.length <= MAX_MERGED_COMPONENTS && sparse) return perComponentMerge;
  return orderedRead;
}

/**
 * Whether a relevance search reads the newest blocks one by one. Each block's scan uses the block
 * index alone, the other filters checked on its rows (written so the planner cannot intersect
 * each block with, say, a component's whole index range, which costs more at every block than
 * the block itself). So when a filter keeps only a small part of the tracker (a reporter; a
 * component subtree or upstream, or the upstream of `Upstream.items`, with under
 * {@link SMALL_SHARE} of the items, by PostgreSQL's statistics), most of each block would be
 * read for nothing: those searches go straight to the
 * filter's items and the words, as do texts whose matches need not contain every word.
 */
function readsByBlocks(filter: ItemFilter, scope: ListScope, resolved: ItemWhere, shares: ItemShares | undefined): boolean {
  if (!everyWordRequired(filter.text ?? '') || filter.reporter) return false;
  if (!shares) return true;
  const small = (share: number | undefined) => share !== undefined && share < SMALL_SHARE;
  if (resolved.componentIds.length && small(shareOf(shares.components, resolved.componentIds))) return false;
  if (resolved.upstreamIds.length && small(shareOf(shares.upstreams, resolved.upstreamIds))) return false;
  return !(scope.upstreamId !== undefined && small(shareOf(shares.upstreams, [scope.upstreamId])));
}

/**
 * Whether every match of a search text contains all its words, as `websearch_to_tsquery` reads
 * it: true unless the text has `or` between words or a word or phrase negated with `-`.
 */
export function everyWordRequired(text: string): boolean {
  return !/(^|\s)-\S/.test(text) && !/(^|\s)or(\s|$)/i.test(text);
}

/**
 * One keyset page of items matching `filter` in `order`, ties broken by id; `count` gives the
 * exact number of matches when a client asks for it.
 */
export async function listItems(db: SqlRunner, request: ListRequest): Promise<{ slice: PageSlice<ListedItem>; count: () => Promise<number> }> {
  const { filter, order, page, catalogue, scope = {} } = request;
  const params: unknown[] = [];
  const where = itemWhere(filter, scope, params, catalogue, request.visibility);
  const key = sortKeyOf(order, where.textParam !== null);
  const strategy = chooseReadStrategy(filter, order, scope, where, request.shares);
  const rows = await strategy.read({
    db,
    prepared: request.prepared,
    filter,
    scope,
    order,
    page,
    where,
    params,
    key,
    readOrder: readOrderOf(order.direction, page),
    rankedMatches: request.rankedMatches ?? RELEVANCE_CANDIDATES,
    shares: request.shares,
  });
  return {
    slice: sliceOf(rows.map((row) => ({ record: itemSummaryFromRow(row), key: row.ranked === undefined ? [row.sort_key, row.id] : [row.ranked, row.sort_key, row.id] })), page),
    count: async () => {
      const [row] = await db.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM item i WHERE ${where.where}`, params);
      return row.count;
    },
  };
}
