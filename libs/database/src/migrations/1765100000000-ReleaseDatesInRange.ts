import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A release date is the one instant people type in. The API once took any date JavaScript could
 * read (`+275760-09-13`), and PostgreSQL stored it, after which every read of the releases failed.
 * Dates outside 1970 to 9999 are brought to the nearest end of that range, and a CHECK keeps them
 * there whatever writes them next.
 */
export class ReleaseDatesInRange1765100000000 implements MigrationInterface {
  name = 'ReleaseDatesInRange1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `UPDATE release SET released_at = CASE WHEN released_at < '1970-01-01T00:00:00Z' THEN '1970-01-01T00:00:00Z'::timestamptz
                                            ELSE '9999-12-31T23:59:59.999Z'::timestamptz END,
                          updated_at = now()
        WHERE released_at < '1970-01-01T00:00:00Z' OR released_at > '9999-12-31T23:59:59.999Z'`,
    );
    await db.query(
      `ALTER TABLE release ADD CONSTRAINT release_released_at_in_range
         CHECK (released_at BETWEEN '1970-01-01T00:00:00Z' AND '9999-12-31T23:59:59.999Z')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE release DROP CONSTRAINT release_released_at_in_range`);
  }
}
