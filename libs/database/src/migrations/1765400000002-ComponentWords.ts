import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What component suggestions learn from: the words of the items filed on each component.
 *
 * `component_word` holds, per component and word (an 'english' lexeme of the identifier-split
 * text, as search indexes it), how many items on the component use it (`items`) and its weight
 * (3 for each item whose title has it, 1 for each whose description alone has it: titles say
 * most). `component_word_stats` holds per component its item count and total weight.
 *
 * A trigger keeps both current as items are filed, edited, moved to another component by
 * triage, or disclosed: the item's words leave the component it was on and join the one it is
 * on now, in one upsert ordered by (component, word), so concurrent changes lock rows in the same
 * order. Only PUBLIC items are learned from: an embargoed SECURITY report teaches nothing until
 * it is disclosed. Rows whose counts fall back to 0 stay (at most one per component and word).
 * A description's first 2,000 characters are read, so a pasted log cannot flood a component.
 *
 * `component_words_rebuild()` computes both tables from the items at once, set-based.
 */
export class ComponentWords1765400000002 implements MigrationInterface {
  name = 'ComponentWords1765400000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION item_words(title text, description text) RETURNS TABLE (word text, weight integer)
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT word, max(weight)::int FROM (
          SELECT unnest(tsvector_to_array(to_tsvector('english', item_search_words(coalesce(title, ''))))) AS word, 3 AS weight
          UNION ALL
          SELECT unnest(tsvector_to_array(to_tsvector('english', item_search_words(left(coalesce(description, ''), 2000))))), 1) w
        GROUP BY word
      $$`);
    await db.query(`
      CREATE TABLE component_word (
        word text NOT NULL,
        component_id integer NOT NULL REFERENCES component(id) ON DELETE CASCADE,
        items integer NOT NULL,
        weight integer NOT NULL,
        PRIMARY KEY (word, component_id)
      )`);
    await db.query(`
      CREATE TABLE component_word_stats (
        component_id integer PRIMARY KEY REFERENCES component(id) ON DELETE CASCADE,
        items integer NOT NULL,
        weight bigint NOT NULL
      )`);
    await db.query(`
      CREATE FUNCTION item_component_words() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        WITH learned AS (
          SELECT OLD.component_id AS component_id, OLD.title AS title, OLD.description AS description, -1 AS sign
           WHERE TG_OP = 'UPDATE' AND OLD.component_id IS NOT NULL AND OLD.visibility = 'PUBLIC'
          UNION ALL
          SELECT NEW.component_id, NEW.title, NEW.description, 1
           WHERE NEW.component_id IS NOT NULL AND NEW.visibility = 'PUBLIC'
        ), delta AS (
          SELECT l.component_id, w.word, sum(l.sign)::int AS items, sum(l.sign * w.weight)::int AS weight
            FROM learned l, item_words(l.title, l.description) w
           GROUP BY l.component_id, w.word
          HAVING sum(l.sign) <> 0 OR sum(l.sign * w.weight) <> 0
        ), words AS (
          INSERT INTO component_word AS cw (word, component_id, items, weight)
          SELECT word, component_id, items, weight FROM delta ORDER BY component_id, word
          ON CONFLICT (word, component_id) DO UPDATE SET items = cw.items + EXCLUDED.items, weight = cw.weight + EXCLUDED.weight
        )
        INSERT INTO component_word_stats AS s (component_id, items, weight)
        SELECT l.component_id, sum(l.sign)::int, coalesce((SELECT sum(d.weight) FROM delta d WHERE d.component_id = l.component_id), 0)
          FROM learned l GROUP BY l.component_id ORDER BY l.component_id
        ON CONFLICT (component_id) DO UPDATE SET items = s.items + EXCLUDED.items, weight = s.weight + EXCLUDED.weight;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER item_component_words_insert AFTER INSERT ON item FOR EACH ROW WHEN (NEW.component_id IS NOT NULL) EXECUTE FUNCTION item_component_words()`);
    await db.query(`
      CREATE TRIGGER item_component_words_update AFTER UPDATE OF component_id, title, description, visibility ON item FOR EACH ROW
      WHEN (OLD.component_id IS DISTINCT FROM NEW.component_id OR OLD.title IS DISTINCT FROM NEW.title
            OR OLD.description IS DISTINCT FROM NEW.description OR OLD.visibility IS DISTINCT FROM NEW.visibility)
      EXECUTE FUNCTION item_component_words()`);
    await db.query(`
      CREATE FUNCTION component_words_rebuild() RETURNS void LANGUAGE sql AS $$
        DELETE FROM component_word;
        DELETE FROM component_word_stats;
        INSERT INTO component_word (word, component_id, items, weight)
        SELECT w.word, i.component_id, count(*), sum(w.weight)
          FROM item i, item_words(i.title, i.description) w
         WHERE i.component_id IS NOT NULL AND i.visibility = 'PUBLIC'
         GROUP BY w.word, i.component_id;
        INSERT INTO component_word_stats (component_id, items, weight)
        SELECT s.component_id, s.items, coalesce(w.weight, 0)
          FROM (SELECT component_id, count(*)::int AS items FROM item WHERE component_id IS NOT NULL AND visibility = 'PUBLIC' GROUP BY 1) s
          LEFT JOIN (SELECT component_id, sum(weight) AS weight FROM component_word GROUP BY 1) w ON w.component_id = s.component_id;
      $$`);
    await db.query(`SELECT component_words_rebuild()`);
    await db.query(`ANALYZE component_word`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION component_words_rebuild()`);
    await db.query(`DROP TRIGGER item_component_words_update ON item`);
    await db.query(`DROP TRIGGER item_component_words_insert ON item`);
    await db.query(`DROP FUNCTION item_component_words()`);
    await db.query(`DROP TABLE component_word_stats`);
    await db.query(`DROP TABLE component_word`);
    await db.query(`DROP FUNCTION item_words(text, text)`);
  }
}
