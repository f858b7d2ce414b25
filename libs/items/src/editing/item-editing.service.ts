import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueReader } from '@headwaters/catalogue';
import { recordEvents, type Actor, type TimelineEventInput } from '@headwaters/core';
import { inTransaction } from '@headwaters/database';
import { authorize } from '@headwaters/identity';
import { ITEM_COLUMNS, itemFromRow, type ItemRecord, type ItemRow } from '../item.record';
import { itemStore, policyTargetOf } from '../item-store';
import { cleanDescription, cleanTitle } from '../item-text';
import { itemsError } from '../items.reasons';

export interface EditItemInput {
  title?: string | null;
  description?: string | null;
}

/**
 * Editing an item's title and description: by its reporter, the maintainers who may triage it,
 * and admins. Each change is a timeline event that keeps what was there before, so an edit
 * never loses text; search follows in the same transaction (the search trigger).
 */
@Injectable()
export class ItemEditingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: CatalogueReader,
  ) {}

  async edit(actor: Actor | null, itemId: number, input: EditItemInput): Promise<ItemRecord> {
    if (!actor) authorize(actor, 'item.edit');
    const hasTitle = input.title !== undefined && input.title !== null;
    const hasDescription = input.description !== undefined && input.description !== null;
    if (!hasTitle && !hasDescription) throw itemsError('NOTHING_TO_EDIT', 'Give a new title, a new description, or both', 'title');
    const title = hasTitle ? cleanTitle(input.title!) : null;
    const description = hasDescription ? cleanDescription(input.description!) : null;
    return inTransaction(this.dataSource, async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const editor = authorize(actor, 'item.edit', policyTargetOf(await this.reader.fresh(tx), item));
      const events: TimelineEventInput[] = [];
      if (title !== null && title !== item.title) {
        events.push({ itemId, type: 'RETITLED', actorId: editor.userId, summary: `${editor.username} changed the title from "${item.title}" to "${title}"`, data: { from: item.title, to: title } });
      }
      if (description !== null && description !== item.description) {
        events.push({ itemId, type: 'DESCRIPTION_EDITED', actorId: editor.userId, summary: `${editor.username} edited the description`, data: { previous: item.description } });
      }
      // The same text again changes nothing and records nothing.
      if (events.length === 0) return item;
      const [row] = await tx.query<ItemRow[]>(
        `WITH changed AS (
           UPDATE item SET title = coalesce($2, title), description = coalesce($3, description), updated_at = now() WHERE id = $1 RETURNING *
         ) SELECT ${ITEM_COLUMNS} FROM changed i`,
        [itemId, title, description],
      );
      await recordEvents(tx, events);
      return itemFromRow(row);
    });
  }
}
