import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueReader } from '@headwaters/catalogue';
import { recordEvents, type Actor } from '@headwaters/core';
import { inTransaction } from '@headwaters/database';
import { authorize } from '@headwaters/identity';
import { decideRoute } from '@headwaters/routing';
import { itemFromRow, ITEM_COLUMNS, type ItemKind, type ItemRecord, type ItemRow } from '../item.record';
import { cleanDescription, cleanTitle } from '../item-text';
import { itemsError } from '../items.reasons';

export interface FileItemInput {
  kind: ItemKind;
  title: string;
  description: string;
  componentSlug?: string | null;
  affectedReleaseSlugs?: string[] | null;
}

/** Filing bugs and suggesting features: numbered, routed and recorded in one transaction. */
@Injectable()
export class FilingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: CatalogueReader,
  ) {}

  async file(actor: Actor | null, input: FileItemInput): Promise<ItemRecord> {
    const reporter = authorize(actor, 'item.file');
    const title = cleanTitle(input.title);
    const description = cleanDescription(input.description);
    if (input.kind === 'FEATURE' && input.affectedReleaseSlugs?.length) {
      throw itemsError('NOT_FOR_FEATURES', 'affectedReleaseSlugs are for bugs only', 'affectedReleaseSlugs');
    }
    return inTransaction(this.dataSource, async (tx) => {
      const snapshot = await this.reader.fresh(tx);
      const componentId = input.componentSlug ? snapshot.usableComponent(input.componentSlug, 'componentSlug').id : null;
      const releaseIds = snapshot.releasesBySlugs(input.affectedReleaseSlugs ?? [], 'affectedReleaseSlugs').map((r) => r.id);
      const route = decideRoute(snapshot, componentId);
      // The counter row stays locked until commit: numbers come without gaps, even under races.
      const [{ last_number: number }] = await tx.query<{ last_number: number }[]>(
        `WITH next AS (UPDATE item_counter SET last_number = last_number + 1 RETURNING last_number) SELECT last_number FROM next`,
      );
      const [row] = await tx.query<ItemRow[]>(
        `INSERT INTO item AS i (number, kind, title, description, component_id, reporter_id, route_upstream_id, route_component_id, route_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING ${ITEM_COLUMNS}`,
        [number, input.kind, title, description, componentId, reporter.userId, route.upstreamId, route.componentId, route.reason],
      );
      if (releaseIds.length > 0) {
        await tx.query(`INSERT INTO item_release (item_id, release_id) SELECT $1, unnest($2::int[])`, [row.id, releaseIds]);
      }
      const what = input.kind === 'BUG' ? 'reported this bug' : 'suggested this feature';
      await recordEvents(tx, [
        { itemId: row.id, type: 'FILED', actorId: reporter.userId, summary: `${reporter.username} ${what}` },
        { itemId: row.id, type: 'ROUTED', actorId: null, summary: `Routed: ${route.reason}`, data: { upstreamId: route.upstreamId, componentId: route.componentId } },
      ]);
      return itemFromRow(row);
    });
  }
}
