import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueReader } from '@headwaters/catalogue';
import { recordEvents, type Actor } from '@headwaters/core';
import { inTransaction } from '@headwaters/database';
import { authorize } from '@headwaters/identity';
import { decideRoute } from '@headwaters/routing';
import { itemFromRow, ITEM_COLUMNS, type ItemKind, type ItemRecord, type ItemRow, type Visibility } from '../item.record';
import { checkTagCount, cleanTags } from '../tags';
import { cleanDescription, cleanTitle } from '../item-text';
import { itemsError } from '../items.reasons';

export interface FileItemInput {
  kind: ItemKind;
  title: string;
  description: string;
  componentSlug?: string | null;
  affectedReleaseSlugs?: string[] | null;
  /** SECURITY files an embargoed report (bugs only). */
  visibility?: Visibility | null;
  tags?: string[] | null;
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
    const visibility = input.visibility ?? 'PUBLIC';
    if (input.kind === 'FEATURE' && visibility !== 'PUBLIC') throw itemsError('NOT_FOR_FEATURES', 'visibility: only bugs are filed as embargoed security reports', 'visibility');
    const tags = cleanTags(input.tags ?? [], 'tags');
    checkTagCount(tags, 'tags');
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
        `INSERT INTO item AS i (number, kind, title, description, component_id, reporter_id, route_upstream_id, route_component_id, route_reason, visibility, tags)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         RETURNING ${ITEM_COLUMNS}`,
        [number, input.kind, title, description, componentId, reporter.userId, route.upstreamId, route.componentId, route.reason, visibility, tags],
      );
      if (releaseIds.length > 0) {
        await tx.query(`INSERT INTO item_release (item_id, release_id) SELECT $1, unnest($2::int[])`, [row.id, releaseIds]);
      }
      const what = input.kind === 'FEATURE' ? 'suggested this feature' : visibility === 'SECURITY' ? 'reported this security issue (embargoed)' : 'reported this bug';
      await recordEvents(tx, [
        { itemId: row.id, type: 'FILED', actorId: reporter.userId, summary: `${reporter.username} ${what}` },
        { itemId: row.id, type: 'ROUTED', actorId: null, summary: `Routed: ${route.reason}`, data: { upstreamId: route.upstreamId, componentId: route.componentId } },
      ]);
      return itemFromRow(row);
    });
  }
}
