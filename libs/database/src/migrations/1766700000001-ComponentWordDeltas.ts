import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The trigger as migration ComponentWords wrote it: every filing upserts the shared rows. */
const UPSERTING_TRIGGER = `
  CREATE OR REPLACE FUNCTION item_component_words() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    WITH learned AS (
      SELECT OLD.component_id AS component_id, OLD.title AS title, OLD.description AS description, -1 AS sign
       WHERE TG_OP IN ('UPDATE', 'DELETE') AND OLD.component_id IS NOT NULL AND OLD.visibility = 'PUBLIC'
      UNION ALL
      SELECT NEW.component_id, NEW.title, NEW.description, 1
       WHERE TG_OP IN ('INSERT', 'UPDATE') AND NEW.component_id IS NOT NULL AND NEW.visibility = 'PUBLIC'
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
  END $$`;

const REBUILD = (clearDeltas: boolean) => `
  CREATE OR REPLACE FUNCTION component_words_rebuild() RETURNS void LANGUAGE sql AS $$
    ${clearDeltas ? 'DELETE FROM component_word_delta; DELETE FROM component_word_stats_delta;' : ''}
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
  $$`;

/**
 * What an item teaches component suggestions is appended, not upserted. Every filing on a
 * component used to update that component's `component_word_stats` row and the rows of its
 * common words, and held those row locks until it committed: filings on one component formed a
 * queue behind each other's commits. Now the trigger appends its changes to
 * `component_word_delta` and `component_word_stats_delta` (plain inserts, no row another filing
 * touches), suggestions read the tables and the pending changes together, and
 * `component_words_fold()` moves the pending changes into the tables (the worker runs it every few
 * seconds; one statement, so a reader sees a change either pending or folded, never both or
 * neither). Rows of a component deleted meanwhile are dropped by the fold.
 */
export class ComponentWordDeltas1766700000001 implements MigrationInterface {
  name = 'ComponentWordDeltas1766700000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE component_word_delta (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        word text NOT NULL,
        component_id integer NOT NULL,
        items integer NOT NULL,
        weight integer NOT NULL
      )`);
    await db.query(`CREATE INDEX component_word_delta_word_idx ON component_word_delta (word)`);
    await db.query(`
      CREATE TABLE component_word_stats_delta (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        component_id integer NOT NULL,
        items integer NOT NULL,
        weight bigint NOT NULL
      )`);
    await db.query(`
      CREATE OR REPLACE FUNCTION item_component_words() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        WITH learned AS (
          SELECT OLD.component_id AS component_id, OLD.title AS title, OLD.description AS description, -1 AS sign
           WHERE TG_OP IN ('UPDATE', 'DELETE') AND OLD.component_id IS NOT NULL AND OLD.visibility = 'PUBLIC'
          UNION ALL
          SELECT NEW.component_id, NEW.title, NEW.description, 1
           WHERE TG_OP IN ('INSERT', 'UPDATE') AND NEW.component_id IS NOT NULL AND NEW.visibility = 'PUBLIC'
        ), delta AS (
          SELECT l.component_id, w.word, sum(l.sign)::int AS items, sum(l.sign * w.weight)::int AS weight
            FROM learned l, item_words(l.title, l.description) w
           GROUP BY l.component_id, w.word
          HAVING sum(l.sign) <> 0 OR sum(l.sign * w.weight) <> 0
        ), words AS (
          INSERT INTO component_word_delta (word, component_id, items, weight)
          SELECT word, component_id, items, weight FROM delta
        )
        INSERT INTO component_word_stats_delta (component_id, items, weight)
        SELECT l.component_id, sum(l.sign)::int, coalesce((SELECT sum(d.weight) FROM delta d WHERE d.component_id = l.component_id), 0)
          FROM learned l GROUP BY l.component_id;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE FUNCTION component_words_fold() RETURNS integer LANGUAGE sql AS $$
        WITH words AS (DELETE FROM component_word_delta RETURNING word, component_id, items, weight),
        stats AS (DELETE FROM component_word_stats_delta RETURNING component_id, items, weight),
        folded_words AS (
          INSERT INTO component_word AS cw (word, component_id, items, weight)
          SELECT w.word, w.component_id, sum(w.items)::int, sum(w.weight)::int
            FROM words w WHERE EXISTS (SELECT 1 FROM component c WHERE c.id = w.component_id)
           GROUP BY w.component_id, w.word ORDER BY w.component_id, w.word
          ON CONFLICT (word, component_id) DO UPDATE SET items = cw.items + EXCLUDED.items, weight = cw.weight + EXCLUDED.weight
          RETURNING 1),
        folded_stats AS (
          INSERT INTO component_word_stats AS s (component_id, items, weight)
          SELECT t.component_id, sum(t.items)::int, sum(t.weight)
            FROM stats t WHERE EXISTS (SELECT 1 FROM component c WHERE c.id = t.component_id)
           GROUP BY t.component_id ORDER BY t.component_id
          ON CONFLICT (component_id) DO UPDATE SET items = s.items + EXCLUDED.items, weight = s.weight + EXCLUDED.weight
          RETURNING 1)
        SELECT ((SELECT count(*) FROM words) + (SELECT count(*) FROM stats))::int
      $$`);
    await db.query(REBUILD(true));
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`SELECT component_words_fold()`);
    await db.query(REBUILD(false));
    await db.query(UPSERTING_TRIGGER);
    await db.query(`DROP FUNCTION component_words_fold()`);
    await db.query(`DROP TABLE component_word_stats_delta`);
    await db.query(`DROP TABLE component_word_delta`);
  }
}
