import { keysetSql, preparedShape } from '@headwaters/database';
import { ITEM_OWN_COLUMNS } from '../../item.record';
import type { ItemOrder } from '../item-query';
import type { ItemReadStrategy, ListedItemRow, ListRead } from './read-strategy';

/** Orders with an index led by component_id (migration ComponentOrderIndexes). */
export const PER_COMPONENT_ORDERS: ReadonlySet<ItemOrder['field']> = new Set<ItemOrder['field']>(['IMPORTANCE', 'CREATED_AT', 'VOTES']);

/** Past this many components a subtree is read as one list (its page is dense enough anyway). */
export const MAX_MERGED_COMPONENTS = 32;

/**
 * A page of a subtree of several components: one short, ordered index read per component (at
 * most a page each), merged. The one list over `component_id = ANY(...)` would walk the whole
 * order skipping other components' items, which costs most for small subtrees.
 */
export const perComponentMerge: ItemReadStrategy = {
  name: 'per-component',
  read({ db, where, key, order, page, readOrder, params: filterParams }: ListRead): Promise<ListedItemRow[]> {
    const params = [...filterParams];
    const keyset = keysetSql([key.sort, 'i.id'], order.direction, page, params, [key.cast, 'int']);
    params.push([...new Set(where.componentIds)]);
    const componentsParam = `$${params.length}`;
    return db.query<ListedItemRow[]>(
      preparedShape(`SELECT c.* FROM unnest(${componentsParam}::int[]) AS s(component_id),
    LATERAL (SELECT ${ITEM_OWN_COLUMNS}, ${key.key} AS sort_key, ${key.sort} AS sort_raw
               FROM item i
              WHERE i.component_id = s.component_id AND ${where.where} AND ${keyset.where}
              ORDER BY ${keyset.orderBy}
              LIMIT ${keyset.limit}) c
   ORDER BY c.sort_raw ${readOrder}, c.id ${readOrder}
   LIMIT ${keyset.limit}`),
      params,
    );
  },
};
