import { keysetSql, preparedShape } from '@headwaters/database';
import { ITEM_OWN_COLUMNS } from '../../item.record';
import type { ItemReadStrategy, ListedItemRow, ListRead } from './read-strategy';

/** The whole list in its order, one keyset read: the default. */
export const orderedRead: ItemReadStrategy = {
  name: 'ordered',
  read({ db, where, key, order, page, params: filterParams }: ListRead): Promise<ListedItemRow[]> {
    const params = [...filterParams];
    const keyset = keysetSql([key.sort, 'i.id'], order.direction, page, params, [key.cast, 'int']);
    return db.query<ListedItemRow[]>(
      preparedShape(`SELECT ${ITEM_OWN_COLUMNS}, ${key.key} AS sort_key
         FROM item i
        WHERE ${where.where} AND ${keyset.where}
        ORDER BY ${keyset.orderBy}
        LIMIT ${keyset.limit}`),
      params,
    );
  },
};
