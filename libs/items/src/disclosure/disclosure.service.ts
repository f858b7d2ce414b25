import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueReader } from '@headwaters/catalogue';
import { recordEvents, type Actor } from '@headwaters/core';
import { inTransaction } from '@headwaters/database';
import { authorize } from '@headwaters/identity';
import type { ItemRecord } from '../item.record';
import { itemStore, policyTargetOf } from '../item-store';
import { itemsError } from '../items.reasons';
import { ItemWriter } from '../writes/item-writer';

/** Ends an embargo: an embargoed security report becomes PUBLIC, with a DISCLOSED event. */
@Injectable()
export class DisclosureService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: CatalogueReader,
    private readonly writer: ItemWriter,
  ) {}

  /**
   * Makes the report public: its maintainers (of the upstream it is routed to, or of its
   * component) and admins may. An item that is already public is a CONFLICT.
   */
  disclose(actor: Actor | null, itemId: number): Promise<ItemRecord> {
    return inTransaction(this.dataSource, async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const who = authorize(actor, 'item.disclose', policyTargetOf(await this.reader.fresh(tx), item));
      if (item.visibility === 'PUBLIC') throw itemsError('NOT_EMBARGOED', `itemId: #${item.number} is public already`, 'itemId');
      await this.writer.setVisibility(tx, itemId, 'PUBLIC');
      await recordEvents(tx, [{ itemId, type: 'DISCLOSED', actorId: who.userId, summary: `${who.username} disclosed this security report: it is public now`, data: { from: item.visibility, to: 'PUBLIC' } }]);
      return itemStore.get(tx, itemId);
    });
  }
}
