import type { SqlRunner } from '@headwaters/core';
import { ITEM_COLUMNS, itemFromRow, type ItemRecord, type ItemRow } from '../item.record';
import type { ItemVisibility } from '../visibility/item-visibility';

/**
 * How many candidates are ranked: the open items whose titles are most like the report's (in
 * trigram distance order, from the GiST index) and the newest open items sharing a word with it.
 * Common words match a third of all items, and ranking every match read the whole table
 * (seconds at 100,000 items).
 */
export const SIMILAR_TITLE_CANDIDATES = 200;
export const SIMILAR_WORD_CANDIDATES = 500;

/**
 * Open items likely to be the same as a report being written, best first: trigram similarity
 * of titles (catches "crash" vs "crashes", typos) plus full-text rank over any of the report's
 * words (title and description), so wording does not have to match. The words are looked up
 * first, so that the planner sees them: for common ones it walks the newest items and stops.
 */
export async function similarItems(db: SqlRunner, title: string, description: string | undefined, limit: number, visibility: ItemVisibility): Promise<ItemRecord[]> {
  const [{ words }] = await db.query<{ words: string }[]>(
    `SELECT to_tsquery('simple', coalesce(
              (SELECT string_agg(quote_literal(lexeme), ' | ') FROM unnest(to_tsvector('english', item_search_words($1 || ' ' || $2)))), ''))::text AS words`,
    [title, description ?? ''],
  );
  const params: unknown[] = [title, words, limit];
  const rows = await db.query<ItemRow[]>(
    `WITH candidates AS MATERIALIZED (
       (SELECT i.id FROM item i WHERE NOT i.closed AND i.title % $1 AND ${visibility.sql('i', params)}
         ORDER BY i.title <-> $1 LIMIT ${SIMILAR_TITLE_CANDIDATES})
       UNION
       (SELECT i.id FROM item i
         WHERE NOT i.closed AND i.search @@ $2::tsquery AND ${visibility.sql('i', params)}
         ORDER BY i.id DESC LIMIT ${SIMILAR_WORD_CANDIDATES})
     )
     SELECT ${ITEM_COLUMNS}
       FROM item i JOIN candidates c ON c.id = i.id
      ORDER BY similarity(i.title, $1) * 2 + ts_rank_cd(i.search, $2::tsquery, 1) DESC, i.id DESC
      LIMIT $3`,
    params,
  );
  return rows.map(itemFromRow);
}
