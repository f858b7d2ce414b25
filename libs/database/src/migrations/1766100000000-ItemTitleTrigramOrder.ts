import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A GiST trigram index on item titles: it answers "the titles most like this one" in distance
 * order and stops after a page, where the GIN index (kept for `%` filters and search) has to
 * recheck every title sharing a trigram (a third of the table for common words).
 */
export class ItemTitleTrigramOrder1766100000000 implements MigrationInterface {
  name = 'ItemTitleTrigramOrder1766100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE INDEX item_title_trgm_order_idx ON item USING gist (title gist_trgm_ops)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX item_title_trgm_order_idx');
  }
}
