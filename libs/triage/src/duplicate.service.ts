import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueReader } from '@headwaters/catalogue';
import { DomainError, type Actor, type SqlRunner, type TimelineEventDataOf } from '@headwaters/core';
import { inTransaction } from '@headwaters/database';
import { authorize, authorizeAny } from '@headwaters/identity';
import { itemNotFound, itemStore, ItemWriter, policyTargetOf, type ItemRecord, type ItemStatus } from '@headwaters/items';
import { triageError } from './triage.reasons';

/** What a MARKED_DUPLICATE event on the duplicate keeps, so that unmarking undoes the marking exactly. */
type MarkedData = Extract<TimelineEventDataOf<'MARKED_DUPLICATE'>, { previousStatus: string }>;

const sameSet = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((id) => b.includes(id));

/**
 * Duplicates: closing an item as the same as another, voters merged (as Fider does), and undoing it.
 *
 * Each use case first reads which items it touches (the item, its original, the item's own
 * duplicates), locks them all in one statement in id order (the one global order every use case
 * of a duplicate group keeps, votes included), then checks that the group did not change
 * meanwhile; if it did, the attempt is rolled back and run again (DomainError.busy), so no lock
 * is ever taken out of order and concurrent markings, unmarkings and votes cannot deadlock.
 *
 * Across upstreams: marking A a duplicate of B needs triage rights over A (the item it closes);
 * the marking also changes B (voters counted, an event), so B's maintainers may undo it too.
 */
@Injectable()
export class DuplicateService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: CatalogueReader,
    private readonly writer: ItemWriter,
  ) {}

  /**
   * Closes the item as a DUPLICATE of the original's root (chains collapse), re-points the item's
   * own duplicates there too, and counts its voters on the original, each person once.
   */
  markDuplicate(actor: Actor | null, itemId: number, duplicateOfId: number): Promise<{ item: ItemRecord; original: ItemRecord }> {
    return inTransaction(this.dataSource, async (tx) => {
      // Rights first: who may not mark learns nothing about the items.
      const seen = await itemStore.get(tx, itemId);
      const who = authorize(actor, 'item.markDuplicate', policyTargetOf(await this.reader.fresh(tx), seen));
      if (itemId === duplicateOfId) throw triageError('SELF_DUPLICATE', 'duplicateOfId: an item cannot duplicate itself', 'duplicateOfId');
      const named = await itemStore.get(tx, duplicateOfId, 'duplicateOfId');
      const rootId = named.duplicateOfId ?? named.id;
      if (rootId === itemId) {
        throw triageError('DUPLICATE_CYCLE', `duplicateOfId: #${named.number} is itself a duplicate of this item; marking this one would make a cycle`, 'duplicateOfId');
      }
      const own = await ownDuplicates(tx, itemId);
      const [item, root] = await itemStore.lock(tx, [itemId, rootId, ...own]);
      // Under the locks: the group must be the one read, else another use case moved it first.
      if (!item) throw itemNotFound();
      if (!root || root.duplicateOfId !== null || !sameSet(await ownDuplicates(tx, itemId), own)) throw busy('duplicateOfId');
      if (item.duplicateOfId === root.id) return { item, original: root };
      if (item.status === 'DUPLICATE') {
        throw triageError('ALREADY_DUPLICATE', `itemId: #${item.number} is already a duplicate of another item; unmark it first`, 'itemId');
      }
      const data: MarkedData = { previousStatus: item.status, originalId: root.id, repointed: own };
      await this.writer.setStatus(tx, item, 'DUPLICATE', {
        by: 'markDuplicate',
        duplicateOfId: root.id,
        events: [
          { itemId: item.id, type: 'MARKED_DUPLICATE', actorId: who.userId, summary: `${who.username} marked this as a duplicate of #${root.number}`, data },
          { itemId: root.id, type: 'MARKED_DUPLICATE', actorId: who.userId, summary: `${who.username} marked #${item.number} as a duplicate of this`, data: { duplicateId: item.id } },
          ...own.map((id) => ({ itemId: id, type: 'MARKED_DUPLICATE' as const, actorId: who.userId, summary: `Now a duplicate of #${root.number}, as #${item.number} is`, data: { originalId: root.id, via: item.id } })),
        ],
      });
      await this.writer.repointDuplicates(tx, own, root.id);
      await this.writer.recountVotes(tx, [item.id, root.id]);
      const [updatedItem, updatedRoot] = await itemStore.byIds(tx, [item.id, root.id]);
      return { item: updatedItem!, original: updatedRoot! };
    });
  }

  /**
   * Undoes markDuplicate exactly: the status it had, its own duplicates back, votes recounted.
   * The duplicate's maintainers may, and so may the original's (see the class).
   */
  unmarkDuplicate(actor: Actor | null, itemId: number): Promise<{ item: ItemRecord; original: ItemRecord }> {
    return inTransaction(this.dataSource, async (tx) => {
      const seen = await itemStore.get(tx, itemId);
      const snapshot = await this.reader.fresh(tx);
      const [seenOriginal] = seen.duplicateOfId === null ? [null] : await itemStore.byIds(tx, [seen.duplicateOfId]);
      const who = authorizeAny(actor, 'item.markDuplicate', [seen, ...(seenOriginal ? [seenOriginal] : [])].map((i) => policyTargetOf(snapshot, i)));
      if (seen.status !== 'DUPLICATE' || seen.duplicateOfId === null) {
        throw triageError('NOT_DUPLICATE', `itemId: #${seen.number} is not a duplicate`, 'itemId');
      }
      const [marked] = await tx.query<{ data: Partial<MarkedData> }[]>(
        `SELECT data FROM timeline_event WHERE item_id = $1 AND type = 'MARKED_DUPLICATE' AND data ? 'previousStatus' ORDER BY id DESC LIMIT 1`,
        [itemId],
      );
      const previousStatus = (marked?.data.previousStatus ?? 'NEW') as ItemStatus;
      const repointed = marked?.data.originalId === seen.duplicateOfId ? (marked.data.repointed ?? []) : [];
      const [item, original] = await itemStore.lock(tx, [itemId, seen.duplicateOfId, ...repointed]);
      if (!item || item.duplicateOfId !== seen.duplicateOfId || !original) throw busy('itemId');
      const back = await this.writer.repointDuplicates(tx, repointed, item.id, original.id);
      await this.writer.setStatus(tx, item, previousStatus, {
        by: 'unmarkDuplicate',
        events: [
          { itemId: item.id, type: 'UNMARKED_DUPLICATE', actorId: who.userId, summary: `${who.username} unmarked this as a duplicate of #${original.number}`, data: { originalId: original.id, restoredStatus: previousStatus, repointed: back } },
          { itemId: original.id, type: 'UNMARKED_DUPLICATE', actorId: who.userId, summary: `${who.username} unmarked #${item.number} as a duplicate of this`, data: { duplicateId: item.id } },
        ],
      });
      await this.writer.recountVotes(tx, [item.id, original.id]);
      const [updatedItem, updatedOriginal] = await itemStore.byIds(tx, [item.id, original.id]);
      return { item: updatedItem!, original: updatedOriginal! };
    });
  }
}

async function ownDuplicates(tx: SqlRunner, itemId: number): Promise<number[]> {
  return (await tx.query<{ id: number }[]>(`SELECT id FROM item WHERE duplicate_of_id = $1 ORDER BY id`, [itemId])).map((r) => r.id);
}

function busy(field: string): DomainError {
  return DomainError.busy('BUSY', 'The item changed meanwhile; try again', field);
}
