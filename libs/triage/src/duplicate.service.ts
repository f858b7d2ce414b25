import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, recordEvents, type Actor, type SqlRunner } from '@headwaters/core';
import { authorize } from '@headwaters/identity';
import { itemStore, policyTargetOf, type ItemRecord, type ItemStatus } from '@headwaters/items';
import { checkTransition } from './status-rules';

/** What a MARKED_DUPLICATE event keeps, so that unmarking undoes the marking exactly. */
interface MarkedData {
  previousStatus: ItemStatus;
  originalId: number;
  repointed: number[];
}

/**
 * Recounts votes of these items exactly: an original counts the distinct voters of itself and
 * its duplicates, a duplicate its own. Callers hold the rows' locks.
 */
async function recount(tx: SqlRunner, ids: readonly number[]): Promise<void> {
  await tx.query(
    `UPDATE item i SET vote_count = CASE
        WHEN i.duplicate_of_id IS NULL THEN (SELECT count(DISTINCT v.user_id) FROM vote v JOIN item g ON g.id = v.item_id WHERE g.id = i.id OR g.duplicate_of_id = i.id)
        ELSE (SELECT count(*) FROM vote v WHERE v.item_id = i.id) END
      WHERE i.id = ANY($1)`,
    [ids],
  );
}

/** Duplicates: closing an item as the same as another, voters merged (as Fider does), and undoing it. */
@Injectable()
export class DuplicateService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Closes the item as a DUPLICATE of the original's root (chains collapse), re-points the item's
   * own duplicates there too, and counts its voters on the original, each person once.
   */
  markDuplicate(actor: Actor | null, itemId: number, duplicateOfId: number): Promise<{ item: ItemRecord; original: ItemRecord }> {
    return this.dataSource.transaction(async (tx) => {
      // Rights first: who may not mark learns nothing about the items.
      const who = authorize(actor, 'item.markDuplicate', await policyTargetOf(tx, await itemStore.get(tx, itemId)));
      if (itemId === duplicateOfId) throw DomainError.invalid('SELF_DUPLICATE', 'duplicateOfId: an item cannot duplicate itself', 'duplicateOfId');
      const named = await itemStore.get(tx, duplicateOfId, 'duplicateOfId');
      const rootId = named.duplicateOfId ?? named.id;
      if (rootId === itemId) {
        throw DomainError.conflict('DUPLICATE_CYCLE', `duplicateOfId: #${named.number} is itself a duplicate of this item; marking this one would make a cycle`, 'duplicateOfId');
      }
      const ownDuplicates = async () => (await tx.query<{ id: number }[]>(`SELECT id FROM item WHERE duplicate_of_id = $1 ORDER BY id`, [itemId])).map((r) => r.id);
      const [item, root] = await itemStore.lock(tx, [itemId, rootId, ...(await ownDuplicates())]);
      // Read again under the item's lock: no new duplicate of it can appear while we hold it.
      const repointed = await ownDuplicates();
      if (!item) throw DomainError.notFound('ITEM_NOT_FOUND', 'itemId names no item', 'itemId');
      if (!root || root.duplicateOfId !== null) throw DomainError.conflict('BUSY', 'The original changed meanwhile; try again', 'duplicateOfId');
      if (item.duplicateOfId === root.id) return { item, original: root };
      if (item.status === 'DUPLICATE') {
        throw DomainError.conflict('ALREADY_DUPLICATE', `itemId: #${item.number} is already a duplicate of another item; unmark it first`, 'itemId');
      }
      checkTransition(item.kind, item.status, 'DUPLICATE', 'markDuplicate');
      if (repointed.length > 0) await tx.query(`UPDATE item SET duplicate_of_id = $2, updated_at = now() WHERE id = ANY($1)`, [repointed, root.id]);
      await tx.query(`UPDATE item SET status = 'DUPLICATE', duplicate_of_id = $2, incomplete_since = NULL, updated_at = now() WHERE id = $1`, [item.id, root.id]);
      await recount(tx, [item.id, root.id]);
      const data: MarkedData = { previousStatus: item.status, originalId: root.id, repointed };
      await recordEvents(tx, [
        { itemId: item.id, type: 'MARKED_DUPLICATE', actorId: who.userId, summary: `${who.username} marked this as a duplicate of #${root.number}`, data: { ...data } },
        { itemId: root.id, type: 'MARKED_DUPLICATE', actorId: who.userId, summary: `${who.username} marked #${item.number} as a duplicate of this`, data: { duplicateId: item.id } },
        ...repointed.map((id) => ({ itemId: id, type: 'MARKED_DUPLICATE' as const, actorId: who.userId, summary: `Now a duplicate of #${root.number}, as #${item.number} is`, data: { originalId: root.id, via: item.id } })),
      ]);
      const [updatedItem, updatedRoot] = await itemStore.byIds(tx, [item.id, root.id]);
      return { item: updatedItem!, original: updatedRoot! };
    });
  }

  /** Undoes markDuplicate exactly: the status it had, its own duplicates back, votes recounted. */
  unmarkDuplicate(actor: Actor | null, itemId: number): Promise<{ item: ItemRecord; original: ItemRecord }> {
    return this.dataSource.transaction(async (tx) => {
      const seen = await itemStore.get(tx, itemId);
      const who = authorize(actor, 'item.markDuplicate', await policyTargetOf(tx, seen));
      if (seen.status !== 'DUPLICATE' || seen.duplicateOfId === null) {
        throw DomainError.conflict('NOT_DUPLICATE', `itemId: #${seen.number} is not a duplicate`, 'itemId');
      }
      const [marked] = await tx.query<{ data: Partial<MarkedData> }[]>(
        `SELECT data FROM timeline_event WHERE item_id = $1 AND type = 'MARKED_DUPLICATE' AND data ? 'previousStatus' ORDER BY id DESC LIMIT 1`,
        [itemId],
      );
      const previousStatus = marked?.data.previousStatus ?? 'NEW';
      const repointed = marked?.data.originalId === seen.duplicateOfId ? (marked.data.repointed ?? []) : [];
      const [item, original] = await itemStore.lock(tx, [itemId, seen.duplicateOfId, ...repointed]);
      if (!item || item.duplicateOfId !== seen.duplicateOfId || !original) throw DomainError.conflict('BUSY', 'The item changed meanwhile; try again', 'itemId');
      await tx.query(
        `UPDATE item SET status = $2, duplicate_of_id = NULL, incomplete_since = CASE WHEN $2 = 'INCOMPLETE' THEN now() ELSE NULL END, updated_at = now() WHERE id = $1`,
        [item.id, previousStatus],
      );
      const back = repointed.length
        ? (await tx.query<{ id: number }[]>(`WITH moved AS (UPDATE item SET duplicate_of_id = $2, updated_at = now() WHERE id = ANY($1) AND duplicate_of_id = $3 RETURNING id) SELECT id FROM moved`, [repointed, item.id, original.id])).map((r) => r.id)
        : [];
      await recount(tx, [item.id, original.id]);
      await recordEvents(tx, [
        { itemId: item.id, type: 'UNMARKED_DUPLICATE', actorId: who.userId, summary: `${who.username} unmarked this as a duplicate of #${original.number}`, data: { originalId: original.id, restoredStatus: previousStatus, repointed: back } },
        { itemId: original.id, type: 'UNMARKED_DUPLICATE', actorId: who.userId, summary: `${who.username} unmarked #${item.number} as a duplicate of this`, data: { duplicateId: item.id } },
      ]);
      const [updatedItem, updatedOriginal] = await itemStore.byIds(tx, [item.id, original.id]);
      return { item: updatedItem!, original: updatedOriginal! };
    });
  }
}
