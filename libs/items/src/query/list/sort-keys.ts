import { itemsError } from '../../items.reasons';
import type { ItemOrder } from '../item-query';

/** How one order sorts: the expression, its text for cursors, and the cast that reads it back. */
export interface SortKey {
  sort: string;
  key: string;
  cast: string | null;
}

/**
 * The sort key of each order. `hasText` tells whether the filter searches text: RELEVANCE needs
 * it (its key is the rank the relevance strategy computes, as its candidates' `sort_key`).
 */
export function sortKeyOf(order: ItemOrder, hasText: boolean): SortKey {
  switch (order.field) {
    case 'CREATED_AT':
      return { sort: 'i.created_at', key: 'i.created_at::text', cast: 'timestamptz' };
    case 'UPDATED_AT':
      return { sort: 'i.updated_at', key: 'i.updated_at::text', cast: 'timestamptz' };
    case 'VOTES':
      return { sort: 'i.vote_count', key: 'i.vote_count', cast: 'int' };
    case 'IMPORTANCE':
      return { sort: 'i.importance_rank', key: 'i.importance_rank', cast: 'smallint' };
    case 'NUMBER':
      return { sort: 'i.number', key: 'i.number', cast: 'int' };
    case 'HEAT':
      // Sorts as heat does at any moment, and never changes by itself (migration ItemHeat).
      return { sort: 'i.heat_rank', key: 'i.heat_rank', cast: 'float8' };
    case 'RELEVANCE':
      if (!hasText) throw itemsError('INVALID_ORDER', 'orderBy RELEVANCE needs filter.text (words to search for)', 'orderBy');
      return { sort: 'sort_key', key: 'sort_key', cast: 'real' };
  }
}

/** The name of an ordering, for cursors: a cursor of one ordering is refused by another. */
export function orderingName(order: ItemOrder): string {
  return `${order.field}:${order.direction}`;
}

/** How many values a cursor of this ordering holds: its sort key and id; relevance's has three. */
export function cursorSizeOf(order: ItemOrder): number {
  return order.field === 'RELEVANCE' ? 3 : 2;
}
