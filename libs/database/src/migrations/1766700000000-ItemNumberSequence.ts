import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Item numbers come from a sequence, as Launchpad's, Bugzilla's and the Debian BTS's do: taking
 * the next number no longer locks a row until the filing commits, so filings do not queue behind
 * each other's commits. Numbers stay unique and increasing; a filing that fails after taking its
 * number leaves a gap. Existing numbers are kept, and the sequence starts past the highest one
 * given out (or the old counter, whichever is higher).
 */
export class ItemNumberSequence1766700000000 implements MigrationInterface {
  name = 'ItemNumberSequence1766700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE SEQUENCE item_number_seq AS integer OWNED BY item.number`);
    await db.query(`
      SELECT CASE WHEN last > 0 THEN setval('item_number_seq', last, true) ELSE setval('item_number_seq', 1, false) END
        FROM (SELECT greatest((SELECT coalesce(max(number), 0) FROM item), (SELECT coalesce(max(last_number), 0) FROM item_counter)) AS last) l`);
    await db.query(`ALTER TABLE item ALTER COLUMN number SET DEFAULT nextval('item_number_seq')`);
    await db.query(`DROP TABLE item_counter`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE item_counter (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        last_number integer NOT NULL
      )`);
    await db.query(`
      INSERT INTO item_counter (id, last_number)
      SELECT true, greatest((SELECT coalesce(max(number), 0) FROM item), (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM item_number_seq))`);
    await db.query(`ALTER TABLE item ALTER COLUMN number DROP DEFAULT`);
    await db.query(`DROP SEQUENCE item_number_seq`);
  }
}
