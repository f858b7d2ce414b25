import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, recordEvents, type Actor } from '@headwaters/core';
import { authorize } from '@headwaters/identity';
import { ITEM_COLUMNS, itemFromRow, type ItemRecord, type ItemRow } from '../item.record';
import { itemStore, policyTargetOf } from '../item-store';

/** Ends an embargo: an embargoed security report becomes PUBLIC, with a DISCLOSED event. */
@Injectable()
export class DisclosureService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Makes the report public: its maintainers (of the upstream it is routed to, or of its
   * component) and admins may. An item that is already public is a CONFLICT.
   */
  disclose(actor: Actor | null, itemId: number): Promise<ItemRecord> {
    return this.dataSource.transaction(async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const who = authorize(actor, 'item.disclose', await policyTargetOf(tx, item));
      if (item.visibility === 'PUBLIC') throw DomainError.conflict('NOT_EMBARGOED', `itemId: #${item.number} is public already`, 'itemId');
      const [row] = await tx.query<ItemRow[]>(
        `WITH changed AS (UPDATE item SET visibility = 'PUBLIC', updated_at = now() WHERE id = $1 RETURNING *) SELECT ${ITEM_COLUMNS} FROM changed i`,
        [itemId],
      );
      await recordEvents(tx, [{ itemId, type: 'DISCLOSED', actorId: who.userId, summary: `${who.username} disclosed this security report: it is public now`, data: { from: item.visibility } }]);
      return itemFromRow(row);
    });
  }
}
