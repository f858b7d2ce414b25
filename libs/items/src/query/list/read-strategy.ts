import type { SqlRunner } from '@headwaters/core';
import type { PageQuery } from '@headwaters/database';
import type { ItemSummaryRow } from '../../item.record';
import type { ItemFilter, ItemOrder } from '../item-query';
import type { ItemShares } from '../item-shares';
import type { ItemWhere, ListScope } from './filter-where';
import type { SortKey } from './sort-keys';

/** A row a strategy reads: the item, its sort key, and (relevance) whether it was ranked. */
export type ListedItemRow = ItemSummaryRow & { sort_key: string | number; ranked?: number };

/** Everything a read strategy needs to read one page. */
export interface ListRead {
  db: SqlRunner;
  /** Runs statements with a prepared generic plan (PreparedReads), where a strategy wants it. */
  prepared?: SqlRunner;
  filter: ItemFilter;
  scope: ListScope;
  order: ItemOrder;
  page: PageQuery;
  /** The filter's WHERE; its values are in `params`. */
  where: ItemWhere;
  /** The filter's values; a strategy appends its own to a copy. */
  params: readonly unknown[];
  key: SortKey;
  /** The page's reading direction (the order, reversed for a backward page). */
  readOrder: 'ASC' | 'DESC';
  /** Matches a relevance search ranks (the newest). */
  rankedMatches: number;
  /** Each component's and upstream's share of all items, when known. */
  shares?: ItemShares;
}

/**
 * One way of reading a list page. Which one a list uses is decided in one place,
 * `chooseReadStrategy` (item-list.query.ts); every strategy returns the same rows, in the
 * page's reading order, limit + 1 of them at most.
 */
export interface ItemReadStrategy {
  /** For tests and plans: which strategy read the page. */
  readonly name: string;
  read(request: ListRead): Promise<ListedItemRow[]>;
}
