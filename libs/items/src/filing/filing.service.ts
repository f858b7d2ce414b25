import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueReader, type CatalogueSnapshot } from '@headwaters/catalogue';
import { announceEvents, DomainError, type Actor, type SqlRunner, type TimelineEventData } from '@headwaters/core';
import { inTransaction, prepared } from '@headwaters/database';
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

/** The two events every filing records, in this order. */
type FilingEvent =
  | { type: 'FILED'; actorId: number; summary: string; data: TimelineEventData['FILED'] }
  | { type: 'ROUTED'; actorId: null; summary: string; data: TimelineEventData['ROUTED'] };

/**
 * The item, its affected releases and its events, written by one statement. The number is the
 * column's default, `nextval('item_number_seq')`: unique and increasing, taken without a lock,
 * so filings do not wait for each other's commits (a filing that fails leaves a gap). Events get
 * their identities in the order of the arrays. With a catalogue version ($16), nothing is written
 * unless the catalogue is still at that version (no number is taken either).
 */
const FILE_SQL = prepared(`
  WITH filed AS (
    INSERT INTO item AS i (kind, title, description, component_id, reporter_id, route_upstream_id, route_component_id, route_reason, visibility, tags)
    SELECT $1, $2, $3, $4::int, $5, $6, $7::int, $8, $9, $10::text[]
     WHERE $16::bigint IS NULL OR (SELECT version FROM catalogue_version) = $16::bigint
    RETURNING ${ITEM_COLUMNS}
  ), releases AS (
    INSERT INTO item_release (item_id, release_id) SELECT filed.id, unnest($11::int[]) FROM filed
  ), events AS (
    INSERT INTO timeline_event (item_id, type, actor_id, summary, data)
    SELECT filed.id, e.type, e.actor_id, e.summary, e.data
      FROM filed, unnest($12::text[], $13::int[], $14::text[], $15::jsonb[]) WITH ORDINALITY AS e (type, actor_id, summary, data, n)
     ORDER BY e.n
    RETURNING id, type
  )
  SELECT filed.*, (SELECT json_agg(json_build_object('id', events.id, 'type', events.type) ORDER BY events.id) FROM events) AS events FROM filed`);

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
    const what = input.kind === 'FEATURE' ? 'suggested this feature' : visibility === 'SECURITY' ? 'reported this security issue (embargoed)' : 'reported this bug';
    const file = async (tx: SqlRunner, snapshot: CatalogueSnapshot, version: number | null): Promise<ItemRecord | null> => {
      const componentId = input.componentSlug ? snapshot.usableComponent(input.componentSlug, 'componentSlug').id : null;
      const releaseIds = snapshot.releasesBySlugs(input.affectedReleaseSlugs ?? [], 'affectedReleaseSlugs').map((r) => r.id);
      const route = decideRoute(snapshot, componentId);
      const events: FilingEvent[] = [
        { type: 'FILED', actorId: reporter.userId, summary: `${reporter.username} ${what}`, data: {} },
        { type: 'ROUTED', actorId: null, summary: `Routed: ${route.reason}`, data: { upstreamId: route.upstreamId, componentId: route.componentId } },
      ];
      // One statement: the item (numbered by the sequence, which holds no lock until commit), its
      // releases and its first events.
      const [row] = await tx.query<(ItemRow & { events: { id: number; type: FilingEvent['type'] }[] })[]>(FILE_SQL, [
        input.kind, title, description, componentId, reporter.userId, route.upstreamId, route.componentId, route.reason, visibility, tags, releaseIds,
        events.map((e) => e.type), events.map((e) => e.actorId), events.map((e) => e.summary), events.map((e) => JSON.stringify(e.data)), version,
      ]);
      if (!row) return null;
      await announceEvents(tx, row.events.map((e, i) => ({ id: e.id, itemId: row.id, type: e.type, actorId: events[i].actorId })));
      return itemFromRow(row);
    };
    // Decided from the catalogue in memory, written only if it is still current; otherwise (an
    // edit since, or a slug it does not know yet) decided again from the catalogue as the
    // transaction sees it, as every write did before. The copy in memory is taken before the
    // transaction: loading it takes a connection of its own, which a transaction holding one must
    // never wait for (with every connection in a filing, none would be left).
    const cached = await this.reader.snapshot();
    return inTransaction(this.dataSource, async (tx) => {
      if (cached.version !== null) {
        try {
          const filed = await file(tx, cached, cached.version);
          if (filed) return filed;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
        }
        this.reader.invalidate();
      }
      const filed = await file(tx, await this.reader.fresh(tx), null);
      return filed!;
    });
  }
}
