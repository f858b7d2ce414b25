import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The search trigger, with `words(column)` around each text it indexes. */
const searchRefresh = (words: (column: string) => string) => `
  CREATE OR REPLACE FUNCTION item_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    NEW.search := setweight(to_tsvector('english', ${words('NEW.title')}), 'A')
               || setweight(to_tsvector('english', ${words('NEW.description')}), 'B')
               || setweight(NEW.comments_tsv, 'C');
    NEW.search_blocks := item_search_blocks(NEW.search, NEW.id);
    RETURN NEW;
  END $$`;

/**
 * Rebuilds every item's search text, set-based: the comments' words from their bodies (one
 * statement over all items; the trigger then rebuilds `search` and `search_blocks`), with the
 * search indexes dropped first and built again after, which costs far less than updating them
 * row by row. A discussion's first 200,000 characters are indexed, as the comment writer caps
 * what it appends.
 */
async function reindex(db: QueryRunner, words: (column: string) => string): Promise<void> {
  await db.query(`DROP INDEX item_search_idx`);
  await db.query(`DROP INDEX item_search_blocks_idx`);
  await db.query(`
    UPDATE item i SET comments_tsv = coalesce(c.tsv, ''::tsvector)
      FROM item j LEFT JOIN (
             SELECT item_id, to_tsvector('english', ${words(`left(string_agg(body, E'\\n' ORDER BY id), 200000)`)}) AS tsv
               FROM comment GROUP BY item_id) c ON c.item_id = j.id
     WHERE j.id = i.id`);
  await db.query(`SET LOCAL maintenance_work_mem = '256MB'`);
  await db.query(`CREATE INDEX item_search_idx ON item USING gin (search) WITH (fastupdate = off)`);
  await db.query(`CREATE INDEX item_search_blocks_idx ON item USING gin (search_blocks) WITH (fastupdate = off)`);
  await db.query(`ANALYZE item`);
}

/**
 * Search finds identifiers as people type them, by their parts, in any case.
 *
 * PostgreSQL's parser keeps some identifiers whole (`CentOS-Base.repo` is one "host" word, so
 * `Base.repo` is not found), splits others with a sign left on (`XSA-300` gives `xsa` and `-300`,
 * so `xsa 300` is not found) and versions stay one word (`8.2.2.200`). So both what is indexed and
 * what is searched for go through `item_search_words` first: every run of `-`, `_`, `.` or `:`
 * between two letters or digits, and every `/` or `\`, becomes a space. `CentOS-Base.repo` is
 * indexed as the words `cento base repo`, in that order, so `base repo`, `centos` and `Base.repo`
 * find it. On the query side, `item_search_query` turns each identifier typed outside quotes into
 * a quoted phrase of its parts before `websearch_to_tsquery` reads it: `XSA-300` searches for
 * the phrase `xsa 300` (not for `xsa` and `300` anywhere), `-vm-start` excludes the phrase
 * `vm start`; words typed apart (`xsa 300`) match as separate words, as any words do.
 *
 * The block index (`search_blocks`) keeps being built from `search`, so it holds the parts too,
 * and the query words the block search asks for are the parts of the query.
 */
export class SearchIdentifierParts1765400000000 implements MigrationInterface {
  name = 'SearchIdentifierParts1765400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION item_search_words(t text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
        SELECT regexp_replace(regexp_replace(t, '[/\\\\]+', ' ', 'g'), '([[:alnum:]])[-_.:]+(?=[[:alnum:]])', '\\1 ', 'g')
      $$`);
    // Outside quotes (odd parts of the split on "), each identifier becomes a quoted phrase.
    await db.query(`
      CREATE FUNCTION item_search_query_text(q text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
        SELECT coalesce(string_agg(CASE WHEN n % 2 = 1
                 THEN item_search_words(regexp_replace(part, '(^|[[:space:]]|-)([[:alnum:]]+([-_.:/\\\\]+[[:alnum:]]+)+)', '\\1"\\2"', 'g'))
                 ELSE item_search_words(part) END, '"' ORDER BY n), '')
          FROM unnest(string_to_array(q, '"')) WITH ORDINALITY AS t(part, n)
      $$`);
    await db.query(`
      CREATE FUNCTION item_search_query(q text) RETURNS tsquery
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
        SELECT websearch_to_tsquery('english', item_search_query_text(q))
      $$`);
    await db.query(searchRefresh((column) => `item_search_words(${column})`));
    await reindex(db, (column) => `item_search_words(${column})`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(searchRefresh((column) => column));
    await reindex(db, (column) => column);
    await db.query(`DROP FUNCTION item_search_query(text)`);
    await db.query(`DROP FUNCTION item_search_query_text(text)`);
    await db.query(`DROP FUNCTION item_search_words(text)`);
  }
}
