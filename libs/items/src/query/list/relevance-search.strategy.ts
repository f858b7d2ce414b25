import { keysetSql } from '@headwaters/database';
import { ITEM_OWN_COLUMNS } from '../../item.record';
import { TEXT_QUERY } from './filter-where';
import type { ItemReadStrategy, ListedItemRow, ListRead } from './read-strategy';

/** The SQL pieces keysetSql gives. */
type KeysetSql = ReturnType<typeof keysetSql>;

/** Items in blocks of 2^12 ids, as `search_blocks` indexes them (migration SearchNewestFirst). */
const SEARCH_BLOCK_BITS = 12;

/** Blocks searched one at a time, newest first, before the search reads all older matches at once. */
const RECENT_BLOCKS = 64;

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
 * each row is then checked against the real query and the other filters (see `readsByBlocks` in item-list.query.ts).
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

/** What {@link relevanceSql} builds a page from. */
interface RelevanceSqlOptions {
  /** How many of the newest matches are ranked. */
  rankedMatches: number;
  /** The filter's conditions without the text. */
  others: string;
  /** The placeholder of the search text. */
  textParam: string;
  /** Read the newest blocks one by one (the statement then runs with a generic plan). */
  byBlocks: boolean;
  keyset: KeysetSql;
  readOrder: 'ASC' | 'DESC';
  /** The placeholder of a cursor's id among the unranked rest (reading on from it), else null. */
  restCursor: string | null;
  /** Whether the page may reach the unranked rest at all. */
  readsRest: boolean;
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
 * See {@link RelevanceSqlOptions} for what it takes.
 */
function relevanceSql(options: RelevanceSqlOptions): string {
  const { rankedMatches: k, others, textParam, byBlocks, keyset, readOrder, restCursor, readsRest: rest } = options;
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
  SELECT ${ITEM_OWN_COLUMNS}, page.ranked, page.sort_key FROM page JOIN item i ON i.id = page.candidate_id ORDER BY ${keyset.orderBy}`;
}

/**
 * A relevance search: the newest matches ranked, then the older ones newest first (see
 * {@link relevanceSql}). `byBlocks` reads the newest search blocks one by one on the prepared
 * pool; otherwise the statement goes straight to the filter's items and the words, planned for
 * its values.
 */
export function relevanceSearch(options: { byBlocks: boolean }): ItemReadStrategy {
  return {
    name: options.byBlocks ? 'relevance-by-blocks' : 'relevance-direct',
    read({ db, prepared, where, key, order, page, readOrder, rankedMatches, params: filterParams }: ListRead): Promise<ListedItemRow[]> {
      const params = [...filterParams];
      const keyset = keysetSql(['ranked', key.sort, 'candidate_id'], order.direction, page, params, ['int', key.cast, 'int']);
      // A cursor among the unranked rest reads on from its id; one among the ranked, read towards
      // the rest's side (oldest first), has nothing of the rest beyond it.
      const cursorRanked = page.after ? Number(page.after[0]) === 1 : null;
      let restCursor: string | null = null;
      if (cursorRanked === false) {
        params.push(page.after![2]);
        restCursor = `$${params.length}`;
      }
      const runner = options.byBlocks ? (prepared ?? db) : db;
      const sql = relevanceSql({
        rankedMatches: Math.trunc(rankedMatches),
        others: where.others,
        textParam: where.textParam!,
        byBlocks: options.byBlocks,
        keyset,
        readOrder,
        restCursor,
        readsRest: !(cursorRanked === true && readOrder === 'ASC'),
      });
      return runner.query<ListedItemRow[]>(sql, params);
    },
  };
}
