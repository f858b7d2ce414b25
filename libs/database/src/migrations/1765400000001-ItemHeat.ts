import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Days over which a quiet item's heat halves; `HEAT_HALF_LIFE_DAYS` of the items lib must be equal. */
const HALF_LIFE_DAYS = 30;
/** Any fixed instant: heat_rank counts half-lives from it. `HEAT_EPOCH` of the items lib must be equal. */
const EPOCH = `timestamptz '2025-01-01 00:00:00+00'`;

/**
 * The heat rank of an item `i`, as the index holds it: lists must sort by exactly this
 * expression (`HEAT_RANK_SQL` of the items lib) for the index to serve them.
 */
const HEAT_RANK = `item_heat_rank(vote_count, follower_count, duplicate_count, coalesce(last_activity_at, updated_at))`;

/**
 * Heat: how much an item is wanted now, in the spirit of Launchpad's bug heat.
 *
 * An item's points are `1 + 4 × votes + 2 × followers + 6 × duplicates`, and its heat halves
 * every 30 days it stays quiet: `heat = points × 2^(−days since last activity / 30)`. Activity is
 * filing, a vote, a follower, a duplicate, a comment, a status change or an edit (`last_activity_at`:
 * set by a trigger when one of those counts or fields changes, and by the comment writer).
 *
 * Sorting by heat needs no periodic decay job, and cursors stay valid as time passes: since
 * `log2(heat) = log2(points) + (last activity − epoch) / half-life − (now − epoch) / half-life`,
 * and the last term is the same for every item, items sort by
 * `item_heat_rank(...) = log2(points) + (last activity − epoch) / half-life` exactly as by heat
 * at any moment. That rank changes only when an item's points or activity change; an index on
 * it serves the ordering, and heat itself is computed when read, from the rank and the time.
 *
 * Existing items need no rewrite: `last_activity_at` stays NULL until an item's next activity,
 * and their last change (`updated_at`) stands for it meanwhile. `duplicate_count` is counted
 * once for the originals that have duplicates, then kept by a trigger on `duplicate_of_id`,
 * whoever writes it; `follower_count` is 0 until items can be followed (whoever adds followers
 * keeps it).
 */
export class ItemHeat1765400000001 implements MigrationInterface {
  name = 'ItemHeat1765400000001';

  async up(db: QueryRunner): Promise<void> {
    // Constant defaults and no default: PostgreSQL adds these without rewriting the table.
    await db.query(`
      ALTER TABLE item
        ADD COLUMN follower_count integer NOT NULL DEFAULT 0 CONSTRAINT item_follower_count_positive CHECK (follower_count >= 0),
        ADD COLUMN duplicate_count integer NOT NULL DEFAULT 0 CONSTRAINT item_duplicate_count_positive CHECK (duplicate_count >= 0),
        ADD COLUMN last_activity_at timestamptz`);
    // New items start active; existing ones keep NULL (their updated_at stands for it).
    await db.query(`ALTER TABLE item ALTER COLUMN last_activity_at SET DEFAULT now()`);
    await db.query(`
      UPDATE item i SET duplicate_count = d.n
        FROM (SELECT duplicate_of_id AS id, count(*)::int AS n FROM item WHERE duplicate_of_id IS NOT NULL GROUP BY 1) d
       WHERE d.id = i.id`);
    await db.query(`
      CREATE FUNCTION item_heat_rank(votes integer, followers integer, duplicates integer, active_at timestamptz) RETURNS double precision
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT ln((1 + 4 * votes + 2 * followers + 6 * duplicates)::double precision) / ln(2)
             + extract(epoch FROM (active_at - ${EPOCH})) / ${HALF_LIFE_DAYS * 86400}
      $$`);
    await db.query(`CREATE INDEX item_heat_idx ON item ((${HEAT_RANK}), id)`);
    await db.query(`
      CREATE FUNCTION item_heat_activity() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.last_activity_at := now();
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER item_heat_activity BEFORE UPDATE OF vote_count, follower_count, duplicate_count, status, title, description
      ON item FOR EACH ROW
      WHEN (NEW.vote_count > OLD.vote_count OR NEW.follower_count > OLD.follower_count OR NEW.duplicate_count > OLD.duplicate_count
            OR NEW.status IS DISTINCT FROM OLD.status OR NEW.title IS DISTINCT FROM OLD.title OR NEW.description IS DISTINCT FROM OLD.description)
      EXECUTE FUNCTION item_heat_activity()`);
    await db.query(`
      CREATE FUNCTION item_duplicate_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.duplicate_of_id IS NOT NULL THEN
          UPDATE item SET duplicate_count = duplicate_count - 1 WHERE id = OLD.duplicate_of_id;
        END IF;
        IF NEW.duplicate_of_id IS NOT NULL THEN
          UPDATE item SET duplicate_count = duplicate_count + 1 WHERE id = NEW.duplicate_of_id;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER item_duplicate_count AFTER UPDATE OF duplicate_of_id ON item FOR EACH ROW
      WHEN (OLD.duplicate_of_id IS DISTINCT FROM NEW.duplicate_of_id)
      EXECUTE FUNCTION item_duplicate_count()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER item_duplicate_count ON item`);
    await db.query(`DROP FUNCTION item_duplicate_count()`);
    await db.query(`DROP TRIGGER item_heat_activity ON item`);
    await db.query(`DROP FUNCTION item_heat_activity()`);
    await db.query(`DROP INDEX item_heat_idx`);
    await db.query(`DROP FUNCTION item_heat_rank(integer, integer, integer, timestamptz)`);
    await db.query(`ALTER TABLE item DROP COLUMN last_activity_at, DROP COLUMN duplicate_count, DROP COLUMN follower_count`);
  }
}
