import type { SqlRunner } from '@headwaters/core';
import { ITEM_COLUMNS, itemFromRow, type ItemRecord, type ItemRow } from '../item.record';
import type { ItemVisibility } from '../visibility/item-visibility';

/**
 * Open items likely to be the same as a report being written, best first: trigram similarity
 * of titles (catches "crash" vs "crashes", typos) plus full-text rank over any of the report's
 * words (title and description), so wording does not have to match.
 */
export async function similarItems(db: SqlRunner, title: string, description: string | undefined, limit: number, visibility: ItemVisibility): Promise<ItemRecord[]> {
  const params: unknown[] = [title, description ?? '', limit];
  const visible = visibility.sql('i', params);
  const rows = await db.query<ItemRow[]>(
    `WITH q AS (
       SELECT to_tsquery('simple', coalesce(
                (SELECT string_agg(quote_literal(lexeme), ' | ') FROM unnest(to_tsvector('english', item_search_words($1 || ' ' || $2)))), '')) AS words
     )
     SELECT ${ITEM_COLUMNS}
       FROM item i, q
      WHERE NOT i.closed AND (i.title % $1 OR i.search @@ q.words) AND ${visible}
      ORDER BY similarity(i.title, $1) * 2 + ts_rank_cd(i.search, q.words, 1) DESC, i.id DESC
      LIMIT $3`,
    params,
  );
  return rows.map(itemFromRow);
}
