import { DomainError, type SqlRunner } from '@headwaters/core';
import type { Target } from '@headwaters/identity';
import { ITEM_COLUMNS, itemFromRow, type ItemRecord, type ItemRow } from './item.record';

/**
 * Reads items inside a use case's transaction. The `forUpdate` variants lock the rows (in id
 * order, so concurrent use cases never deadlock on each other) until the transaction ends.
 */
export const itemStore = {
  /** The items with these ids, in key order (null where none). */
  async byIds(tx: SqlRunner, ids: readonly number[]): Promise<(ItemRecord | null)[]> {
    const rows = await tx.query<ItemRow[]>(`SELECT ${ITEM_COLUMNS} FROM item i WHERE i.id = ANY($1)`, [ids]);
    const byId = new Map(rows.map((r) => [r.id, itemFromRow(r)]));
    return ids.map((id) => byId.get(id) ?? null);
  },

  /** The item, or NOT_FOUND naming `field`. */
  async get(tx: SqlRunner, id: number, field = 'itemId'): Promise<ItemRecord> {
    const [item] = await itemStore.byIds(tx, [id]);
    if (!item) throw DomainError.notFound('ITEM_NOT_FOUND', `${field} names no item`, field);
    return item;
  },

  /** Locks the items and returns them in key order (null where none). */
  async lock(tx: SqlRunner, ids: readonly number[]): Promise<(ItemRecord | null)[]> {
    const unique = [...new Set(ids)].sort((a, b) => a - b);
    const rows = await tx.query<ItemRow[]>(`SELECT ${ITEM_COLUMNS} FROM item i WHERE i.id = ANY($1) ORDER BY i.id FOR UPDATE`, [unique]);
    const byId = new Map(rows.map((r) => [r.id, itemFromRow(r)]));
    return ids.map((id) => byId.get(id) ?? null);
  },

  /** Locks one item, or NOT_FOUND naming `field`. */
  async lockOne(tx: SqlRunner, id: number, field = 'itemId'): Promise<ItemRecord> {
    const [item] = await itemStore.lock(tx, [id]);
    if (!item) throw DomainError.notFound('ITEM_NOT_FOUND', `${field} names no item`, field);
    return item;
  },
};

/**
 * What the policy needs to know about an item: the upstream it is routed to, its component's
 * lineage (the component, then its ancestors), so subtree maintainers are recognised, and its
 * reporter.
 */
export async function policyTargetOf(tx: SqlRunner, item: Pick<ItemRecord, 'componentId' | 'route' | 'reporterId'>): Promise<Target> {
  if (item.componentId === null) return { upstreamId: item.route.upstreamId, componentLineage: [], reporterId: item.reporterId };
  const rows = await tx.query<{ id: number }[]>(
    `WITH RECURSIVE up(id, parent_id, depth) AS (
       SELECT id, parent_id, 0 FROM component WHERE id = $1
       UNION ALL
       SELECT c.id, c.parent_id, up.depth + 1 FROM component c JOIN up ON c.id = up.parent_id WHERE up.depth < 64
     ) SELECT id FROM up ORDER BY depth`,
    [item.componentId],
  );
  return { upstreamId: item.route.upstreamId, componentLineage: rows.map((r) => r.id), reporterId: item.reporterId };
}
