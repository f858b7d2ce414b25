import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lists people ask of a component most, in order: by importance (triage), newest first (the
 * default) and by votes. With the component first, one component's page is an index range read
 * in order, and a subtree's page merges one short read per component (the item list query does
 * that for subtrees of more than one component). They replace the index on component_id alone,
 * whose lookups they serve as well.
 */
export class ComponentOrderIndexes1764000000003 implements MigrationInterface {
  name = 'ComponentOrderIndexes1764000000003';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX item_component_importance_idx ON item (component_id, importance_rank, id)`);
    await db.query(`CREATE INDEX item_component_created_idx ON item (component_id, created_at, id)`);
    await db.query(`CREATE INDEX item_component_votes_idx ON item (component_id, vote_count, id)`);
    await db.query(`DROP INDEX item_component_idx`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX item_component_idx ON item (component_id)`);
    await db.query(`DROP INDEX item_component_votes_idx`);
    await db.query(`DROP INDEX item_component_created_idx`);
    await db.query(`DROP INDEX item_component_importance_idx`);
  }
}
