import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A transaction may ask for its recorded events to be announced after its commit, not within it:
 * `SET LOCAL headwaters.announce = 'after_commit'`. The timeline's trigger then keeps the ids in
 * the session's `headwaters.unannounced` (chunks of up to 500 ids, `;` between chunks), a setting
 * that a rollback (of the transaction, or to a savepoint) takes back with the events; the
 * connection sends them with `pg_notify` once its COMMIT has returned, in the same round trip
 * (see `announce-after-commit.ts`).
 *
 * Why: PostgreSQL commits a transaction that has sent a NOTIFY under one lock for the whole
 * database, held until its commit record is flushed, so every filing and vote committed one after
 * the other, each waiting for its own flush. A notification sent by a transaction of its own
 * after the commit writes no WAL and waits for no flush: it holds that lock for microseconds, and
 * the commits of concurrent writers share their flushes again.
 *
 * A transaction that does not ask (a tool's own connection, an import) announces at commit as
 * before.
 */
export class AnnounceAfterCommit1766800000002 implements MigrationInterface {
  name = 'AnnounceAfterCommit1766800000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION timeline_event_announce() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        chunks text[];
        pending text;
        chunk text;
      BEGIN
        SELECT array_agg(ids ORDER BY part) INTO chunks
          FROM (SELECT part, string_agg(id::text, ',' ORDER BY id) AS ids
                  FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1) / 500 AS part FROM recorded) numbered
                 GROUP BY part) parts;
        IF chunks IS NULL THEN
          RETURN NULL;
        END IF;
        IF current_setting('headwaters.announce', true) = 'after_commit' THEN
          pending := nullif(current_setting('headwaters.unannounced', true), '');
          PERFORM set_config('headwaters.unannounced', concat_ws(';', pending, array_to_string(chunks, ';')), false);
          RETURN NULL;
        END IF;
        FOREACH chunk IN ARRAY chunks LOOP
          PERFORM pg_notify('headwaters_events', chunk);
        END LOOP;
        RETURN NULL;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION timeline_event_announce() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        chunk text;
      BEGIN
        FOR chunk IN
          SELECT string_agg(id::text, ',' ORDER BY id)
            FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1) / 500 AS part FROM recorded) numbered
           GROUP BY part ORDER BY part
        LOOP
          PERFORM pg_notify('headwaters_events', chunk);
        END LOOP;
        RETURN NULL;
      END $$`);
  }
}
