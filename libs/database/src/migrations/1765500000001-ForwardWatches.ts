import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What reading a forward's upstream record back needs beyond its url and last reading: GitHub's
 * ETag (a 304 costs no rate limit), the recent failures that push the next check out, and when
 * that next check is due. Due checks are found by `forward_next_check_idx`; webhooks find the
 * forwards of an upstream's issue by `forward_upstream_url_idx`.
 */
export class ForwardWatches1765500000001 implements MigrationInterface {
  name = 'ForwardWatches1765500000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE forward
        ADD COLUMN remote_etag text,
        ADD COLUMN check_failures integer NOT NULL DEFAULT 0 CHECK (check_failures >= 0),
        ADD COLUMN next_check_at timestamptz`);
    await db.query(`CREATE INDEX forward_next_check_idx ON forward (next_check_at NULLS FIRST) WHERE url IS NOT NULL`);
    await db.query(`CREATE INDEX forward_upstream_url_idx ON forward (upstream_id, url) WHERE url IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS forward_upstream_url_idx`);
    await db.query(`DROP INDEX IF EXISTS forward_next_check_idx`);
    await db.query(`ALTER TABLE forward DROP COLUMN IF EXISTS next_check_at, DROP COLUMN IF EXISTS check_failures, DROP COLUMN IF EXISTS remote_etag`);
  }
}
