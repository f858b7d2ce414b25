import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Days over which a quiet item's heat halves; `HEAT_HALF_LIFE_DAYS` of the items lib must be equal. */
const HALF_LIFE_DAYS = 30;
/** Any fixed instant: heat_rank counts half-lives from it. `HEAT_EPOCH` of the items lib must be equal. */
const EPOCH = `timestamptz '2025-01-01 00:00:00+00'`;

/**
 * Heat: how much an item is wanted now, in the spirit of Launchpad's bug heat.
 *
 * An item's points are `1 + 4 × votes + 2 × followers + 6 × duplicates + comments`, and its heat
 * halves every 30 days it stays quiet: `heat = points × 2^(−days since last activity / 30)`.
 * Activity is a vote, a follower, a duplicate, a comment, a status change or an edit
 * (`last_activity_at`, set by a trigger when one of those changes).
 *
 * Sorting by heat needs no periodic decay job, and cursors stay valid as time passes: since
 * `log2(heat) = log2(points) + (last_activity_at − epoch) / half-life − (now − epoch) / half-life`,
 * and the last term is the same for every item, items sort by
 * `heat_rank = log2(points) + (last_activity_at − epoch) / half-life` exactly as by heat at any
 * moment. `heat_rank` is a stored generated column with an index; heat itself is computed when
 * read, from heat_rank and the time.
 *
 * Counters: `duplicate_count` is kept by a trigger on `duplicate_of_id`, whoever writes it;
 * `comment_count` by the comment writer; `follower_count` by whoever adds followers (it is 0 until
 * items can be followed).
 */
export class ItemHeat1765400000001 implements MigrationInterface {
  name = 'ItemHeat1765400000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE item
        ADD COLUMN follower_count integer NOT NULL DEFAULT 0 CHECK (follower_count >= 0),
        ADD COLUMN duplicate_count integer NOT NULL DEFAULT 0 CHECK (duplicate_count >= 0),
        ADD COLUMN comment_count integer NOT NULL DEFAULT 0 CHECK (comment_count >= 0),
        ADD COLUMN last_activity_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN heat_rank double precision GENERATED ALWAYS AS (
          ln((1 + 4 * vote_count + 2 * follower_count + 6 * duplicate_count + comment_count)::double precision) / ln(2)
          + extract(epoch FROM (last_activity_at - ${EPOCH})) / ${HALF_LIFE_DAYS * 86400}) STORED`);
    // What the items already have: counts, and their last activity from their timelines.
    await db.query(`
      UPDATE item i SET duplicate_count = coalesce(d.n, 0), comment_count = coalesce(c.n, 0),
             last_activity_at = greatest(j.created_at, e.last)
        FROM item j
        LEFT JOIN (SELECT duplicate_of_id AS id, count(*)::int AS n FROM item WHERE duplicate_of_id IS NOT NULL GROUP BY 1) d ON d.id = j.id
        LEFT JOIN (SELECT item_id AS id, count(*)::int AS n FROM comment GROUP BY 1) c ON c.id = j.id
        LEFT JOIN (SELECT item_id AS id, max(created_at) AS last FROM timeline_event
                    WHERE type NOT IN ('ROUTED', 'UNVOTED', 'FORWARD_NEEDED') GROUP BY 1) e ON e.id = j.id
       WHERE j.id = i.id`);
    await db.query(`CREATE INDEX item_heat_idx ON item (heat_rank, id)`);
    await db.query(`
      CREATE FUNCTION item_heat_activity() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.last_activity_at := now();
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER item_heat_activity BEFORE UPDATE OF vote_count, follower_count, duplicate_count, comment_count, status, title, description
      ON item FOR EACH ROW
      WHEN (NEW.vote_count > OLD.vote_count OR NEW.follower_count > OLD.follower_count OR NEW.duplicate_count > OLD.duplicate_count
            OR NEW.comment_count > OLD.comment_count OR NEW.status IS DISTINCT FROM OLD.status
            OR NEW.title IS DISTINCT FROM OLD.title OR NEW.description IS DISTINCT FROM OLD.description)
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
    await db.query(`ALTER TABLE item DROP COLUMN heat_rank, DROP COLUMN last_activity_at, DROP COLUMN comment_count, DROP COLUMN duplicate_count, DROP COLUMN follower_count`);
  }
}
