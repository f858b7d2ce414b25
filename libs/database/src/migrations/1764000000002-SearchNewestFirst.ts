import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The search trigger of InitialSchema, plus `extra` statements after `search` is set. */
const searchRefresh = (extra: string) => `
  CREATE OR REPLACE FUNCTION item_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    NEW.search := setweight(to_tsvector('english', NEW.title), 'A')
               || setweight(to_tsvector('english', NEW.description), 'B')
               || setweight(NEW.comments_tsv, 'C');
    ${extra}
    RETURN NEW;
  END $$`;

/**
 * Full-text search that finds the newest matches without reading every match.
 *
 * A relevance search ranks the newest matches (a common phrase can match a tenth of a tracker, and
 * ranking them all would take seconds). Finding the newest matches through the search index alone
 * is not cheap either: GIN cannot return matches newest first, and it reads a word's whole posting
 * list on every scan, so asking it for "the newest block of items that match" costs as much as
 * asking for all of them.
 *
 * So the words are also indexed per block of 4,096 item ids: `search_blocks` holds each of the
 * item's words suffixed with its block (`migrat@244`), without positions or weights. The posting
 * list of `migrat@244` holds only block 244's items, so a search reads the newest block, then the
 * one before, each scan costing what that block's matches cost, and stops when it has enough.
 * The words themselves are still checked against `search` (phrases, negations, weights).
 *
 * Both search indexes take new entries straight into their trees (`fastupdate = off`). With GIN's
 * default, new entries wait in a pending list that every scan reads in full until a vacuum merges
 * them; a relevance search scans the block index up to 64 times, and a few thousand fresh items
 * made it ten to fifty times slower. Filing pays a little more instead.
 *
 * `item_search_blocks(search, id)` builds the column (the search trigger calls it);
 * `item_block_query(words, block)` builds the query of one block: every word, suffixed, ANDed.
 * The block size (`id >> 12`) must equal `SEARCH_BLOCK_BITS` of the item list query.
 */
export class SearchNewestFirst1764000000002 implements MigrationInterface {
  name = 'SearchNewestFirst1764000000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION item_search_blocks(search tsvector, id integer) RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT array_to_tsvector(coalesce(array_agg(word || '@' || (id >> 12)), '{}')) FROM unnest(tsvector_to_array(search)) AS word
      $$`);
    await db.query(`
      CREATE FUNCTION item_block_query(words text[], block integer) RETURNS tsquery
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT string_agg('''' || replace(replace(word, '\\', '\\\\'), '''', '''''') || '@' || block || '''', ' & ')::tsquery FROM unnest(words) AS word
      $$`);
    await db.query(searchRefresh(`NEW.search_blocks := item_search_blocks(NEW.search, NEW.id);`));
    await db.query(`ALTER TABLE item ADD COLUMN search_blocks tsvector NOT NULL DEFAULT ''::tsvector`);
    await db.query(`UPDATE item SET search_blocks = item_search_blocks(search, id)`);
    await db.query(`CREATE INDEX item_search_blocks_idx ON item USING gin (search_blocks) WITH (fastupdate = off)`);
    await db.query(`ALTER INDEX item_search_idx SET (fastupdate = off)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER INDEX item_search_idx RESET (fastupdate)`);
    await db.query(`DROP INDEX item_search_blocks_idx`);
    await db.query(`ALTER TABLE item DROP COLUMN search_blocks`);
    await db.query(searchRefresh(''));
    await db.query(`DROP FUNCTION item_block_query(text[], integer)`);
    await db.query(`DROP FUNCTION item_search_blocks(tsvector, integer)`);
  }
}
