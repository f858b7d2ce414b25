import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What every tracker has: an assignee, tags, embargoed security reports (visibility), the
 * release lists' indexes, moderated comments (edited, hidden) and attachments stored in
 * PostgreSQL in chunks (one store that every instance shares and one backup covers).
 */
export class ItemFields1765300000000 implements MigrationInterface {
  name = 'ItemFields1765300000000';

  async up(db: QueryRunner): Promise<void> {
    // A constant default: PostgreSQL adds these columns without rewriting the table.
    await db.query(`ALTER TABLE item ADD COLUMN visibility text NOT NULL DEFAULT 'PUBLIC' CONSTRAINT item_visibility_known CHECK (visibility IN ('PUBLIC','SECURITY'))`);
    await db.query(`ALTER TABLE item ADD COLUMN assignee_id integer REFERENCES app_user(id)`);
    await db.query(`
      ALTER TABLE item ADD COLUMN tags text[] NOT NULL DEFAULT '{}'
        CONSTRAINT item_tags_format CHECK (cardinality(tags) <= 20 AND array_to_string(tags, ',') ~ '^([a-z0-9-]{1,50}(,[a-z0-9-]{1,50})*)?$')`);
    await db.query(`CREATE INDEX item_assignee_idx ON item (assignee_id) WHERE assignee_id IS NOT NULL`);
    await db.query(`CREATE INDEX item_tags_idx ON item USING gin (tags)`);
    // Embargoed reports are few: who may see them is found through this small index.
    await db.query(`CREATE INDEX item_embargoed_idx ON item (route_upstream_id, component_id) WHERE visibility <> 'PUBLIC'`);
    await db.query(`CREATE INDEX item_fixed_in_idx ON item (fixed_in_id, id) WHERE fixed_in_id IS NOT NULL`);
    await db.query(`CREATE INDEX item_planned_for_idx ON item (planned_for_id, id) WHERE planned_for_id IS NOT NULL`);

    await db.query(`ALTER TABLE comment ADD COLUMN edited_at timestamptz`);
    await db.query(`ALTER TABLE comment ADD COLUMN hidden boolean NOT NULL DEFAULT false`);
    await db.query(`ALTER TABLE comment ADD COLUMN hidden_by_id integer REFERENCES app_user(id)`);
    await db.query(`ALTER TABLE comment ADD COLUMN hidden_reason text`);

    await db.query(`
      CREATE TABLE attachment (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        item_id integer NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        uploader_id integer NOT NULL REFERENCES app_user(id),
        filename text NOT NULL CONSTRAINT attachment_filename_length CHECK (length(filename) BETWEEN 1 AND 255),
        content_type text NOT NULL,
        size bigint NOT NULL CHECK (size >= 0),
        sha256 bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX attachment_item_idx ON attachment (item_id, id)`);
    await db.query(`
      CREATE TABLE attachment_chunk (
        attachment_id integer NOT NULL REFERENCES attachment(id) ON DELETE CASCADE,
        seq integer NOT NULL CHECK (seq >= 0),
        data bytea NOT NULL,
        PRIMARY KEY (attachment_id, seq)
      )`);
    // The chunks are already compressed or binary more often than not: do not try again.
    await db.query(`ALTER TABLE attachment_chunk ALTER COLUMN data SET STORAGE EXTERNAL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS attachment_chunk`);
    await db.query(`DROP TABLE IF EXISTS attachment`);
    for (const column of ['hidden_reason', 'hidden_by_id', 'hidden', 'edited_at']) await db.query(`ALTER TABLE comment DROP COLUMN IF EXISTS ${column}`);
    for (const index of ['item_planned_for_idx', 'item_fixed_in_idx', 'item_embargoed_idx', 'item_tags_idx', 'item_assignee_idx']) await db.query(`DROP INDEX IF EXISTS ${index}`);
    for (const column of ['tags', 'assignee_id', 'visibility']) await db.query(`ALTER TABLE item DROP COLUMN IF EXISTS ${column}`);
  }
}
