import type { CatalogueSnapshot } from '@headwaters/catalogue';
import { DomainError, type SqlRunner } from '@headwaters/core';
import { keysetSql, readOrderOf, sliceOf, type PageQuery, type PageSlice } from '@headwaters/database';
import { ITEM_COLUMNS, itemFromRow, type ItemRecord, type ItemRow } from '../item.record';
import type { ItemFilter, ItemOrder } from './item-query';
import { shareOf, type ItemShares } from './item-shares';

/** The SQL pieces keysetSql gives. */
type KeysetSql = ReturnType<typeof keysetSql>;

/** How one order sorts: the expression, its text for cursors, and the cast that reads it back. */
interface SortKey {
  sort: string;
  key: string;
  cast: string | null;
}

/** The query of a search text: web-search syntax, identifiers searched by their parts (migration SearchIdentifierParts). */
const TEXT_QUERY = (param: string) => `item_search_query(${param})`;

/**
 * Relevance ranks the newest matches, this many unless configured (SEARCH_RANKED_MATCHES), and
 * lists the older ones after them, newest first. Ranking reads every match it ranks, and a common
 * phrase matches a large part of a tracker (a tenth of a million items in the benchmark), so
 * ranking them all would cost seconds. The newest matches are the ones people look for most, and
 * finding them is cheap (see {@link relevanceSql}); rarer words are ranked over all their matches.
 * Every match is listed, and totalCount counts them all.
 */
export const RELEVANCE_CANDIDATES = 100;

/** How a list is read, beyond its filter and order. */
export interface ListOptions {
  /** Matches a relevance search ranks (the newest); {@link RELEVANCE_CANDIDATES} by default. */
  rankedMatches?: number;
  /** Each component's and upstream's share of all items (see ItemShareStats), to choose how to read. */
  shares?: ItemShares;
  /**
   * Runs the statements whose plan does not depend on their values with a prepared generic plan
   * (PreparedReads): a relevance search read by blocks, whose planning costs as much as its run.
   */
  prepared?: SqlRunner;
}

/** Items in blocks of 2^12 ids, as `search_blocks` indexes them (migration SearchNewestFirst). */
const SEARCH_BLOCK_BITS = 12;

/** Blocks searched one at a time, newest first, before the search reads all older matches at once. */
const RECENT_BLOCKS = 64;

function sortKeyOf(order: ItemOrder, textParam: string | null): SortKey {
  switch (order.field) {
    case 'CREATED_AT':
      return { sort: 'i.created_at', key: 'i.created_at::text', cast: 'timestamptz' };
    case 'UPDATED_AT':
      return { sort: 'i.updated_at', key: 'i.updated_at::text', cast: 'timestamptz' };
    case 'VOTES':
      return { sort: 'i.vote_count', key: 'i.vote_count', cast: 'int' };
    case 'IMPORTANCE':
      return { sort: 'i.importance_rank', key: 'i.importance_rank', cast: 'smallint' };
    case 'NUMBER':
      return { sort: 'i.number', key: 'i.number', cast: 'int' };
    case 'RELEVANCE':
      if (!textParam) throw DomainError.invalid('INVALID_ORDER', 'orderBy RELEVANCE needs filter.text (words to search for)', 'orderBy');
      // The rank is computed by relevanceSql, as its candidates' sort_key.
      return { sort: 'sort_key', key: 'sort_key', cast: 'real' };
  }
}

/** The name of an ordering, for cursors: a cursor of one ordering is refused by another. */
export function orderingName(order: ItemOrder): string {
  return `${order.field}:${order.direction}`;
}

/** How many values a cursor of this ordering holds: its sort key and id; relevance's has three. */
export function cursorSizeOf(order: ItemOrder): number {
  return order.field === 'RELEVANCE' ? 3 : 2;
}

type ListedItemRow = ItemRow & { sort_key: string | number; ranked?: number };

/** An item of a list page, with its sort-key values (for its cursor). */
export interface ListedItem {
  record: ItemRecord;
  key: (string | number)[];
}

/** Extra narrowing that does not come from users' filters (e.g. `Upstream.items`). */
export interface ListScope {
  upstreamId?: number;
}

/** The WHERE of a filter, and what building it resolved. */
export interface ItemWhere {
  where: string;
  /** The same without the text condition. */
  others: string;
  /** The placeholder of the search text, if any. */
  textParam: string | null;
  /** The filter's component subtrees and upstreams, as ids (empty when it names none). */
  componentIds: number[];
  upstreamIds: number[];
}

/**
 * Builds the WHERE of a filter. Component and upstream slugs are resolved from the catalogue (an
 * unknown slug is BAD_USER_INPUT naming the filter field), so the query gets plain ids.
 */
export function itemWhere(filter: ItemFilter, scope: ListScope, params: unknown[], catalogue: CatalogueSnapshot): ItemWhere {
  const conditions: string[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  const { componentIds, upstreamIds } = slugsFromCatalogue(catalogue, filter.components ?? [], filter.upstreams ?? []);
  if (filter.components?.length) add((p) => `i.component_id = ANY(${p}::int[])`, componentIds);
  if (filter.upstreams?.length) add((p) => `i.route_upstream_id = ANY(${p}::int[])`, upstreamIds);
  if (scope.upstreamId !== undefined) add((p) => `i.route_upstream_id = ${p}`, scope.upstreamId);
  if (filter.kind) add((p) => `i.kind = ${p}`, filter.kind);
  if (filter.hasComponent !== undefined && filter.hasComponent !== null) conditions.push(filter.hasComponent ? 'i.component_id IS NOT NULL' : 'i.component_id IS NULL');
  if (filter.status?.length) add((p) => `i.status = ANY(${p}::text[])`, filter.status);
  if (filter.closed !== undefined && filter.closed !== null) add((p) => `i.closed = ${p}`, filter.closed);
  if (filter.importance?.length) add((p) => `i.importance = ANY(${p}::text[])`, filter.importance);
  if (filter.forwardState?.length) {
    add((p) => `(i.forward_state = ANY(${p}::text[]) OR (i.forward_state IS NULL AND 'NOT_NEEDED' = ANY(${p}::text[])))`, filter.forwardState);
  }
  if (filter.reporter) add((p) => `i.reporter_id = (SELECT u.id FROM app_user u WHERE lower(u.username) = lower(${p}))`, filter.reporter);
  if (filter.minVotes !== undefined && filter.minVotes !== null) add((p) => `i.vote_count >= ${p}`, filter.minVotes);
  if (filter.maxVotes !== undefined && filter.maxVotes !== null) add((p) => `i.vote_count <= ${p}`, filter.maxVotes);
  const others = conditions.length ? conditions.join(' AND ') : 'TRUE';
  if (!filter.text) return { where: others, others, textParam: null, componentIds, upstreamIds };
  params.push(filter.text);
  const textParam = `$${params.length}`;
  return { where: `${others} AND i.search @@ ${TEXT_QUERY(textParam)}`, others, textParam, componentIds, upstreamIds };
}

function unknownComponent(slug: string): DomainError {
  return DomainError.invalid('UNKNOWN_COMPONENT', `filter.components: no component has the slug "${slug}"`, 'filter.components');
}

function unknownUpstream(slug: string): DomainError {
  return DomainError.invalid('UNKNOWN_UPSTREAM', `filter.upstreams: no upstream has the slug "${slug}"`, 'filter.upstreams');
}

/** The same resolution from the catalogue in memory: no round trip. */
function slugsFromCatalogue(catalogue: CatalogueSnapshot, components: string[], upstreams: string[]): { componentIds: number[]; upstreamIds: number[] } {
  const componentIds = components.flatMap((slug) => {
    const component = catalogue.componentBySlug(slug);
    if (!component) throw unknownComponent(slug);
    return catalogue.subtree(component.id).map((c) => c.id);
  });
  const upstreamIds = upstreams.map((slug) => {
    const upstream = catalogue.upstreamBySlug(slug);
    if (!upstream) throw unknownUpstream(slug);
    return upstream.id;
  });
  return { componentIds, upstreamIds };
}

/** Orders with an index led by component_id (migration ComponentOrderIndexes). */
const PER_COMPONENT_ORDERS = new Set<ItemOrder['field']>(['IMPORTANCE', 'CREATED_AT', 'VOTES']);

/** Past this many components a subtree is read as one list (its page is dense enough anyway). */
const MAX_MERGED_COMPONENTS = 32;

/**
 * Below this share of all items, a subtree, upstream or reporter is a small part of the tracker:
 * its page is cheaper found through its own index than by walking the whole order (or the
 * newest search blocks) and skipping everything else. At or above it, walking finds a page
 * within a few dozen rows.
 */
const SMALL_SHARE = 0.05;

/**
 * A page of a subtree of several components: one short, ordered index read per component (at
 * most a page each), merged. The one list over `component_id = ANY(...)` would walk the whole
 * order skipping other components' items, which costs most for small subtrees.
 */
function perComponentSql(where: string, key: SortKey, keyset: KeysetSql, componentsParam: string, readOrder: 'ASC' | 'DESC'): string {
  return `SELECT c.* FROM unnest(${componentsParam}::int[]) AS s(component_id),
    LATERAL (SELECT ${ITEM_COLUMNS}, ${key.key} AS sort_key, ${key.sort} AS sort_raw
               FROM item i
              WHERE i.component_id = s.component_id AND ${where} AND ${keyset.where}
              ORDER BY ${keyset.orderBy}
              LIMIT ${keyset.limit}) c
   ORDER BY c.sort_raw ${readOrder}, c.id ${readOrder}
   LIMIT ${keyset.limit}`;
}

/** How {@link matchesInIdOrderSql} reads: which way, and from where. */
interface IdOrderRead {
  /** The CTE's name; `${name}_recent` and `${name}_older` hold its two parts. */
  name: string;
  /** Newest first (`DESC`) or oldest first (`ASC`). */
  order: 'ASC' | 'DESC';
  /** A relation with `below` (exclusive; and `above`, for `ASC`) and the `block` to start at. */
  start: string;
  /** A condition under which to read at all. */
  gate: string;
  limit: string;
}

/**
 * Matches in id order, between bounds, at most `limit` of them, as a CTE named `read.name`.
 *
 * They come block by block through `search_blocks` (every word of an item suffixed with its
 * block of ids), from the start block on: a block's scan reads only that block's postings and
 * rows, and the nested loop stops once it has enough. A common phrase is done within a block or
 * two. The block query asks for every word of the text (a phrase's words, without their order);
 * each row is then checked against the real query and the other filters (see {@link readsByBlocks}).
 * When {@link RECENT_BLOCKS} blocks hold too few matches (rare words), the rest are read at once
 * through `search`; there are few by then. `id + 0` keeps the planner from intersecting with an
 * id range, which costs more than it saves, and, in a generic plan (which cannot know that the
 * words are rare), from walking the primary key in order and filtering, which costs a whole
 * table's read when they are.
 */
function matchesInIdOrderSql(read: IdOrderRead, others: string, matches: string, olderMatches: string, recentBlocks: number): string {
  const { name, start, gate, limit } = read;
  const from = start === 'newest' ? 'newest' : `newest, ${start}`;
  const asc = read.order === 'ASC';
  const blocks = asc
    ? `generate_series(${start}.block, ${start}.block + ${recentBlocks - 1})`
    : `generate_series(${start}.block, ${start}.block - ${recentBlocks - 1}, -1)`;
  const within = (id: string) => (asc ? `${id} > ${start}.above AND ${id} < ${start}.below` : `${id} < ${start}.below`);
  const beyondBlocks = asc
    ? `i.id + 0 >= (${start}.block + ${recentBlocks}) << ${SEARCH_BLOCK_BITS}`
    : `i.id + 0 < (${start}.block - ${recentBlocks - 1}) << ${SEARCH_BLOCK_BITS}`;
  // Planned for its values (no blocks), the planner knows how common the words are: let it choose.
  const idOrder = recentBlocks ? 'i.id + 0' : 'i.id';
  return `${name}_recent AS MATERIALIZED (
      SELECT m.id, m.search
        FROM ${from}, ${blocks} AS b(block),
        LATERAL (SELECT i.id, i.search FROM item i
                  WHERE i.search_blocks @@ item_block_query(newest.words, b.block) AND (${within('i.id')} AND ${others} AND ${matches}) IS TRUE
                  ORDER BY i.id ${read.order}) m
       WHERE ${gate}
       LIMIT ${limit}),
    ${name}_older AS (
      SELECT i.id, i.search FROM item i, ${from}
       WHERE ${within('i.id + 0')} AND ${beyondBlocks} AND ${others} AND ${olderMatches}
         AND ${gate} AND (SELECT count(*) FROM ${name}_recent) < ${limit}
       ORDER BY ${idOrder} ${read.order} LIMIT ${limit}),
    ${name} AS (SELECT * FROM ${name}_recent UNION ALL SELECT * FROM ${name}_older LIMIT ${limit})`;
}

/**
 * The page of a relevance search: the newest `k` matches ranked, then every older match, newest
 * first. Its sort key is (ranked, rank, id): 1 and the rank for the ranked, 0 and 0 for the rest.
 *
 * Ranking reads each ranked match, so a common phrase ranks only its newest matches (a phrase can
 * match a tenth of a tracker); the rest stay reachable, page after page, in a cheap order. The
 * ranked window comes from {@link matchesInIdOrderSql}, its rows carrying only id and search
 * text, ranked once chosen; the rest are read only when a page reaches them, from the window's
 * oldest match (or the cursor) on, the same way (oldest first when read backwards). Just the
 * page's items are fetched whole.
 *
 * `restCursor` is the id of a cursor among the rest (reading on from it), else null.
 */
function relevanceSql(k: number, others: string, textParam: string, byBlocks: boolean, keyset: KeysetSql, readOrder: 'ASC' | 'DESC', restCursor: string | null, rest: boolean): string {
  const recentBlocks = byBlocks ? RECENT_BLOCKS : 0;
  // Read by blocks, the statement runs with a generic plan (see listItems): the text's query is
  // parsed once, in `newest`, and used by reference, as a generic plan would parse it again for
  // every row read were it written out in each condition. Otherwise the statement is planned for
  // its values, and the older matches' read is planned knowing the words (how common they are).
  const matches = '(i.search @@ newest.query)';
  const olderMatches = byBlocks ? matches : `(i.search @@ ${TEXT_QUERY(textParam)})`;
  const read = (r: IdOrderRead) => matchesInIdOrderSql(r, others, matches, olderMatches, recentBlocks);
  const window = read({ name: 'ranked_window', order: 'DESC', start: 'newest', gate: 'TRUE', limit: String(k) });
  // The rest lie below the window's oldest match, if the window is full.
  const bound = `bound AS MATERIALIZED (SELECT CASE WHEN count(*) = ${k} THEN min(id) END AS below FROM ranked_window)`;
  let restSql = `rest AS (SELECT 0 AS ranked, 0::real AS sort_key, 0 AS candidate_id WHERE FALSE)`;
  if (rest) {
    const hasRest = '(SELECT below FROM bound) IS NOT NULL';
    let start: string;
    let rows: string;
    if (readOrder === 'DESC') {
      // Newest first from the bound (or the cursor), only when the ranked rows do not fill the page.
      const below = restCursor ? `LEAST(bound.below, ${restCursor}::int)` : 'bound.below';
      start = `rest_start AS MATERIALIZED (SELECT ${below} AS below, (${below} - 1) >> ${SEARCH_BLOCK_BITS} AS block FROM bound)`;
      rows = read({ name: 'rest_rows', order: 'DESC', start: 'rest_start', gate: `(SELECT count(*) FROM ranked_page) < ${keyset.limit} AND ${hasRest}`, limit: keyset.limit });
    } else {
      // Oldest first from the cursor (or the oldest match): the rest come before the ranked rows.
      const above = restCursor ? `${restCursor}::int` : '0';
      start = `rest_start AS MATERIALIZED (SELECT bound.below, ${above} AS above, (${above} + 1) >> ${SEARCH_BLOCK_BITS} AS block FROM bound)`;
      rows = read({ name: 'rest_rows', order: 'ASC', start: 'rest_start', gate: hasRest, limit: keyset.limit });
    }
    restSql = `${start},
    ${rows},
    rest AS (SELECT 0 AS ranked, 0::real AS sort_key, r.id AS candidate_id FROM rest_rows r)`;
  }
  return `WITH newest AS MATERIALIZED (
      SELECT coalesce(max(id), 0) + 1 AS below, coalesce(max(id), 0) >> ${SEARCH_BLOCK_BITS} AS block,
             tsvector_to_array(to_tsvector('english', item_search_words(${textParam}))) AS words, ${TEXT_QUERY(textParam)} AS query FROM item),
    ${window},
    candidates AS (SELECT 1 AS ranked, ts_rank(m.search, newest.query) AS sort_key, m.id AS candidate_id FROM ranked_window m, newest),
    ranked_page AS MATERIALIZED (SELECT ranked, sort_key, candidate_id FROM candidates WHERE ${keyset.where} ORDER BY ${keyset.orderBy} LIMIT ${keyset.limit}),
    ${bound},
    ${restSql},
    page AS (SELECT * FROM ranked_page UNION ALL SELECT * FROM rest WHERE ${keyset.where} ORDER BY ${keyset.orderBy} LIMIT ${keyset.limit})
  SELECT ${ITEM_COLUMNS}, page.ranked, page.sort_key FROM page JOIN item i ON i.id = page.candidate_id ORDER BY ${keyset.orderBy}`;
}

/**
 * Whether a relevance search reads the newest blocks one by one. Each block's scan uses the block
 * index alone, the other filters checked on its rows (written so the planner cannot intersect
 * each block with, say, a component's whole index range, which costs more at every block than
 * the block itself). So when a filter keeps only a small part of the tracker (a reporter; a
 * component subtree or upstream, or the upstream of `Upstream.items`, with under
 * {@link SMALL_SHARE} of the items, by PostgreSQL's statistics), most of each block would be
 * read for nothing: those searches go straight to the
 * filter's items and the words, as do texts whose matches need not contain every word.
 */
function readsByBlocks(filter: ItemFilter, scope: ListScope, resolved: ItemWhere, shares: ItemShares | undefined): boolean {
  if (!everyWordRequired(filter.text ?? '') || filter.reporter) return false;
  if (!shares) return true;
  const small = (share: number | undefined) => share !== undefined && share < SMALL_SHARE;
  if (resolved.componentIds.length && small(shareOf(shares.components, resolved.componentIds))) return false;
  if (resolved.upstreamIds.length && small(shareOf(shares.upstreams, resolved.upstreamIds))) return false;
  return !(scope.upstreamId !== undefined && small(shareOf(shares.upstreams, [scope.upstreamId])));
}

/**
 * Whether every match of a search text contains all its words, as `websearch_to_tsquery` reads
 * it: true unless the text has `or` between words or a word or phrase negated with `-`.
 */
export function everyWordRequired(text: string): boolean {
  return !/(^|\s)-\S/.test(text) && !/(^|\s)or(\s|$)/i.test(text);
}

/**
 * One keyset page of items matching `filter` in `order`, ties broken by id; `count` gives the
 * exact number of matches when a client asks for it.
 */
export async function listItems(
  db: SqlRunner,
  filter: ItemFilter,
  order: ItemOrder,
  page: PageQuery,
  catalogue: CatalogueSnapshot,
  scope: ListScope = {},
  options: ListOptions = {},
): Promise<{ slice: PageSlice<ListedItem>; count: () => Promise<number> }> {
  const params: unknown[] = [];
  const resolved = itemWhere(filter, scope, params, catalogue);
  const { where, others, textParam } = resolved;
  const countParams = [...params];
  const key = sortKeyOf(order, textParam);
  const readOrder = readOrderOf(order.direction, page);
  let rows: ListedItemRow[];
  if (order.field === 'RELEVANCE') {
    const keyset = keysetSql(['ranked', key.sort, 'candidate_id'], order.direction, page, params, ['int', key.cast, 'int']);
    // A cursor among the unranked rest reads on from its id; one among the ranked, read towards
    // the rest's side (oldest first), has nothing of the rest beyond it.
    const cursorRanked = page.after ? Number(page.after[0]) === 1 : null;
    let restCursor: string | null = null;
    if (cursorRanked === false) {
      params.push(page.after![2]);
      restCursor = `$${params.length}`;
    }
    const byBlocks = readsByBlocks(filter, scope, resolved, options.shares);
    const runner = byBlocks ? (options.prepared ?? db) : db;
    const k = Math.trunc(options.rankedMatches ?? RELEVANCE_CANDIDATES);
    const sql = relevanceSql(k, others, textParam!, byBlocks, keyset, readOrder, restCursor, !(cursorRanked === true && readOrder === 'ASC'));
    rows = await runner.query<ListedItemRow[]>(sql, params);
  } else {
    const keyset = keysetSql([key.sort, 'i.id'], order.direction, page, params, [key.cast, 'int']);
    const components = resolved.componentIds;
    const share = options.shares ? shareOf(options.shares.components, components) : undefined;
    const sparse = share === undefined || share < SMALL_SHARE;
    if (PER_COMPONENT_ORDERS.has(order.field) && components.length > 1 && components.length <= MAX_MERGED_COMPONENTS && sparse) {
      params.push([...new Set(components)]);
      rows = await db.query<ListedItemRow[]>(perComponentSql(where, key, keyset, `$${params.length}`, readOrder), params);
    } else {
      rows = await db.query<ListedItemRow[]>(
        `SELECT ${ITEM_COLUMNS}, ${key.key} AS sort_key
           FROM item i
          WHERE ${where} AND ${keyset.where}
          ORDER BY ${keyset.orderBy}
          LIMIT ${keyset.limit}`,
        params,
      );
    }
  }
  return {
    slice: sliceOf(rows.map((row) => ({ record: itemFromRow(row), key: row.ranked === undefined ? [row.sort_key, row.id] : [row.ranked, row.sort_key, row.id] })), page),
    count: async () => {
      const [row] = await db.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM item i WHERE ${where}`, countParams);
      return row.count;
    },
  };
}
