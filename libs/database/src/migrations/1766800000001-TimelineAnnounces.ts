import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recorded timeline events announce themselves: a statement trigger on `timeline_event` sends
 * their ids on the `headwaters_events` channel (in chunks of 500, under NOTIFY's 8000-byte payload
 * limit), which every instance LISTENs on for live events. It used to be a `pg_notify` statement
 * of its own in every transaction that recorded events, one round trip more per filing or vote;
 * as before, the notification leaves only when the transaction commits.
 */
export class TimelineAnnounces1766800000001 implements MigrationInterface {
  name = 'TimelineAnnounces1766800000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION timeline_event_announce() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await db.query(`
      CREATE TRIGGER timeline_event_announce AFTER INSERT ON timeline_event
        REFERENCING NEW TABLE AS recorded FOR EACH STATEMENT EXECUTE FUNCTION timeline_event_announce()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER timeline_event_announce ON timeline_event`);
    await db.query(`DROP FUNCTION timeline_event_announce()`);
  }
}
