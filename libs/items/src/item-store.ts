import type { CatalogueSnapshot } from '@headwaters/catalogue';
import type { SqlRunner } from '@headwaters/core';
import type { Target } from '@headwaters/identity';
import { ITEM_COLUMNS, itemFromRow, type ItemRecord, type ItemRow } from './item.record';
import { itemsError } from './items.reasons';

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
    if (!item) throw itemNotFound(field);
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
    if (!item) throw itemNotFound(field);
    return item;
  },
};

/** NOT_FOUND: `field` names no item. */
export function itemNotFound(field = 'itemId') {
  return itemsError('ITEM_NOT_FOUND', `${field} names no item`, field);
}

/**
 * What the policy needs to know about an item: the upstream it is routed to, its component's
 * lineage (the component, then its ancestors, from the catalogue as the transaction sees it),
 * so subtree maintainers are recognised, its reporter, and the other upstreams it also affects.
 */
export function policyTargetOf(snapshot: CatalogueSnapshot, item: Pick<ItemRecord, 'componentId' | 'route' | 'reporterId'> & Partial<Pick<ItemRecord, 'forwards'>>): Target {
  const componentLineage = item.componentId === null ? [] : snapshot.lineage(item.componentId).map((c) => c.id);
  // The maintainers of every upstream the item also affects maintain it too.
  const alsoUpstreamIds = (item.forwards ?? []).filter((f) => f.kind === 'ALSO_AFFECTS').map((f) => f.upstreamId);
  return { upstreamId: item.route.upstreamId, alsoUpstreamIds, componentLineage, reporterId: item.reporterId };
}
