import type { CatalogueSnapshot } from '@headwaters/catalogue';
import type { SqlRunner } from '@headwaters/core';
import { prepared } from '@headwaters/database';
import type { Target } from '@headwaters/identity';
import { ITEM_COLUMNS, itemFromRow, type ItemRecord, type ItemRow } from './item.record';
import { itemsError } from './items.reasons';

/** The item and its original, locked in id order (a vote's first statement: prepared). */
/** Items by id: every page of items with their relations reads them (prepared). */
const BY_IDS_SQL = prepared(`SELECT ${ITEM_COLUMNS} FROM item i WHERE i.id = ANY($1)`);

const LOCK_WITH_ORIGINAL_SQL = prepared(
  `SELECT ${ITEM_COLUMNS} FROM item i WHERE i.id = $1 OR i.id = (SELECT d.duplicate_of_id FROM item d WHERE d.id = $1) ORDER BY i.id FOR UPDATE`,
);

/**
 * Reads items inside a use case's transaction. The `forUpdate` variants lock the rows (in id
 * order, so concurrent use cases never deadlock on each other) until the transaction ends.
 */
export const itemStore = {
  /** The items with these ids, in key order (null where none). */
  async byIds(tx: SqlRunner, ids: readonly number[]): Promise<(ItemRecord | null)[]> {
    const rows = await tx.query<ItemRow[]>(BY_IDS_SQL, [ids]);
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

  /**
   * Locks an item and the original it is a duplicate of (itself when it is none), in one
   * statement, in id order. Returns the item and the original as locked, or null for the
   * original when the item's link changed after the statement's snapshot was taken (the caller
   * runs again); NOT_FOUND naming `field` when there is no such item.
   */
  async lockWithOriginal(tx: SqlRunner, id: number, field = 'itemId'): Promise<{ item: ItemRecord; original: ItemRecord | null }> {
    const rows = await tx.query<ItemRow[]>(LOCK_WITH_ORIGINAL_SQL, [id]);
    const items = rows.map(itemFromRow);
    const item = items.find((r) => r.id === id);
    if (!item) throw itemNotFound(field);
    const originalId = item.duplicateOfId ?? item.id;
    const original = items.find((r) => r.id === originalId) ?? null;
    // Both as locked: the item still points at this original, and the original at none.
    const settled = original !== null && original.duplicateOfId === null && items.length === (originalId === id ? 1 : 2);
    return { item, original: settled ? original : null };
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
