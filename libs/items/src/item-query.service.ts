import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TimelineEventType } from '@headwaters/core';
import { CatalogueReader } from '@headwaters/catalogue';
import { keysetSql, prepared, PreparedReads, sliceOf, type PageQuery, type PageSlice } from '@headwaters/database';
import { FORWARD_ORDER, FORWARD_RECORD_COLUMNS, itemFromRow, ITEM_COLUMNS, type ForwardRecord, type ItemRecord, type ItemRow } from './item.record';
import { itemStore } from './item-store';
import { defaultOrder, type ItemFilter, type ItemOrder } from './query/item-query';
import { AppConfig } from '@headwaters/config';
import { ItemShareStats } from './query/item-shares';
import { listItems, type ListedItem, type ListScope } from './query/item-list.query';
import { parseSearch } from './query/search-string.parser';
import { similarItems } from './query/similar-items.query';
import { ItemVisibility } from './visibility/item-visibility';

export interface CommentRecord {
  id: number;
  itemId: number;
  authorId: number;
  body: string;
  createdAt: Date;
  editedAt: Date | null;
  /** Hidden by a maintainer: its body is for its author, maintainers and admins only. */
  hidden: boolean;
}

export interface TimelineEventRecord {
  id: number;
  itemId: number;
  type: TimelineEventType;
  actorId: number | null;
  summary: string;
  createdAt: Date;
  /** The event's own details (its typed `data`): e.g. the text before an edit. */
  data: Record<string, unknown>;
}

/** A page of items, with the order and page query that produced it. */
export interface ItemList extends ListPage<ListedItem> {
  order: ItemOrder;
  page: PageQuery;
}

/** A page of a list plus how to count the whole list. */
export interface ListPage<R> {
  slice: PageSlice<R>;
  count: () => Promise<number>;
}

export const COMMENT_COLUMNS = 'c.id, c.item_id AS "itemId", c.author_id AS "authorId", c.body, c.created_at AS "createdAt", c.edited_at AS "editedAt", c.hidden';
/**
 * The reads every item page and `item(number)` make, prepared: each connection parses them once,
 * and PostgreSQL keeps their generic plan (an index lookup whatever the value) instead of
 * planning them again at each run, which took longer than running them.
 */
const BY_NUMBER_SQL = prepared(`SELECT ${ITEM_COLUMNS} FROM item i WHERE i.number = $1`);
/** The forwards of a page's items: read when a client asks for them (list rows come without). */
const FORWARDS_OF_SQL = prepared(`SELECT ${FORWARD_RECORD_COLUMNS} FROM forward f WHERE f.item_id = ANY($1) ORDER BY f.item_id, ${FORWARD_ORDER}`);
const COUNT_SQL = { comment: prepared(`SELECT count(*)::int AS count FROM comment WHERE item_id = $1`) } as const;

const EVENT_COLUMNS = 'e.id, e.item_id AS "itemId", e.type, e.actor_id AS "actorId", e.summary, e.created_at AS "createdAt", e.data';

/**
 * Events that name another item (a duplicate, an original) are left out of a timeline for a
 * viewer who may not see that item: it does not exist for them.
 */
function eventsNamingHidden(visibility: ItemVisibility, params: unknown[]): string {
  return visibility.eventSql('e', params);
}

/** Everything that reads items, their comments and their timelines. */
@Injectable()
export class ItemQueryService {
  private readonly shareStats: ItemShareStats;

  constructor(
    private readonly dataSource: DataSource,
    private readonly catalogue: CatalogueReader,
    private readonly config: AppConfig,
    private readonly preparedReads: PreparedReads,
  ) {
    this.shareStats = new ItemShareStats(dataSource);
  }

  /** The items with these ids that the viewer may see, in key order (null for the rest). */
  async byIds(ids: readonly number[], visibility: ItemVisibility): Promise<(ItemRecord | null)[]> {
    return visibility.filter(await itemStore.byIds(this.dataSource, ids));
  }

  /** The item with this number, if the viewer may see it. */
  async byNumber(number: number, visibility: ItemVisibility): Promise<ItemRecord | null> {
    const rows = await this.dataSource.query<ItemRow[]>(BY_NUMBER_SQL, [number]);
    const record = rows[0] ? itemFromRow(rows[0]) : null;
    return record && visibility.allows(record) ? record : null;
  }

  /**
   * The forwards of each of these items, in key order, each item's in {@link FORWARD_ORDER}: for
   * items a list read (their rows come without). The caller has checked the viewer sees them.
   */
  async forwardsOf(itemIds: readonly number[]): Promise<ForwardRecord[][]> {
    const byItem = new Map<number, ForwardRecord[]>(itemIds.map((id) => [id, []]));
    for (const forward of await this.dataSource.query<ForwardRecord[]>(FORWARDS_OF_SQL, [itemIds])) byItem.get(forward.itemId)?.push(forward);
    return itemIds.map((id) => byItem.get(id)!);
  }

  /** What `actor` may see, from their grants and the catalogue as it is now. */
  async visibilityOf(actor: Parameters<typeof ItemVisibility.of>[0]): Promise<ItemVisibility> {
    return actor ? ItemVisibility.of(actor, await this.catalogue.snapshot()) : ItemVisibility.PUBLIC;
  }

  /**
   * A page of items matching `filter`. The order (given, or the default for the filter) decides
   * how cursors read, so the page comes from `pageFor(order)`; both come back with the rows.
   */
  async list(filter: ItemFilter, order: ItemOrder | null, pageFor: (order: ItemOrder) => PageQuery, visibility: ItemVisibility, scope: ListScope = {}): Promise<ItemList> {
    const used = order ?? defaultOrder(filter);
    const page = pageFor(used);
    const shares = filter.components?.length || filter.upstreams?.length || scope.upstreamId !== undefined ? await this.shareStats.get() : undefined;
    const catalogue = await this.catalogue.snapshot();
    const request = { filter, order: used, page, catalogue, scope, visibility, rankedMatches: this.config.SEARCH_RANKED_MATCHES, shares, prepared: this.preparedReads };
    return { ...(await listItems(this.dataSource, request)), order: used, page };
  }

  /** A page of items for a people's search string (see parseSearch). */
  search(query: string, pageFor: (order: ItemOrder) => PageQuery, visibility: ItemVisibility): Promise<ItemList> {
    const parsed = parseSearch(query);
    return this.list(parsed.filter, parsed.order, pageFor, visibility);
  }

  similar(title: string, description: string | undefined, limit: number, visibility: ItemVisibility): Promise<ItemRecord[]> {
    return similarItems(this.dataSource, title, description, limit, visibility);
  }

  /** An item's comments, oldest first. */
  async comments(itemId: number, page: PageQuery): Promise<ListPage<CommentRecord>> {
    const params: unknown[] = [itemId];
    const keyset = keysetSql(['c.id'], 'ASC', page, params, ['int']);
    const rows = await this.dataSource.query<CommentRecord[]>(
      // Prepared: a few texts in all (the first page, the pages after a cursor), run with every item page.
      prepared(`SELECT ${COMMENT_COLUMNS} FROM comment c WHERE c.item_id = $1 AND ${keyset.where} ORDER BY ${keyset.orderBy} LIMIT ${keyset.limit}`),
      params,
    );
    return { slice: sliceOf(rows, page), count: () => this.count('comment', itemId) };
  }

  /** An item's timeline, oldest first. */
  async timeline(itemId: number, page: PageQuery, visibility: ItemVisibility): Promise<ListPage<TimelineEventRecord>> {
    const params: unknown[] = [itemId];
    const shown = eventsNamingHidden(visibility, params);
    const countParams = [...params];
    const keyset = keysetSql(['e.id'], 'ASC', page, params, ['int']);
    const rows = await this.dataSource.query<TimelineEventRecord[]>(
      prepared(`SELECT ${EVENT_COLUMNS} FROM timeline_event e WHERE e.item_id = $1 AND ${shown} AND ${keyset.where} ORDER BY ${keyset.orderBy} LIMIT ${keyset.limit}`),
      params,
    );
    const count = async () => {
      const [row] = await this.dataSource.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM timeline_event e WHERE e.item_id = $1 AND ${shown}`, countParams);
      return row.count;
    };
    return { slice: sliceOf(rows, page), count };
  }

  /** Each item's affected releases' ids (release order), in key order. */
  async affectedReleaseIds(itemIds: readonly number[]): Promise<number[][]> {
    const rows = await this.dataSource.query<{ item_id: number; release_id: number }[]>(
      `SELECT item_id, release_id FROM item_release WHERE item_id = ANY($1) ORDER BY release_id`,
      [itemIds],
    );
    return itemIds.map((id) => rows.filter((r) => r.item_id === id).map((r) => r.release_id));
  }

  /** Comments by id, on items the viewer may see (null for the rest). */
  async commentsByIds(ids: readonly number[], visibility: ItemVisibility): Promise<(CommentRecord | null)[]> {
    const params: unknown[] = [ids];
    const rows = await this.dataSource.query<CommentRecord[]>(
      `SELECT ${COMMENT_COLUMNS} FROM comment c JOIN item i ON i.id = c.item_id WHERE c.id = ANY($1) AND ${visibility.sql('i', params)}`,
      params,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Timeline events by id, of items the viewer may see and naming none they may not (null for the rest). */
  async eventsByIds(ids: readonly number[], visibility: ItemVisibility): Promise<(TimelineEventRecord | null)[]> {
    const params: unknown[] = [ids];
    const rows = await this.dataSource.query<TimelineEventRecord[]>(
      `SELECT ${EVENT_COLUMNS} FROM timeline_event e JOIN item i ON i.id = e.item_id
        WHERE e.id = ANY($1) AND ${visibility.sql('i', params)} AND ${eventsNamingHidden(visibility, params)}`,
      params,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  private async count(table: 'comment', itemId: number): Promise<number> {
    const [row] = await this.dataSource.query<{ count: number }[]>(COUNT_SQL[table], [itemId]);
    return row.count;
  }
}
