import type { MigrationInterface, QueryRunner } from 'typeorm';

const FORWARD_STATES = `'NOT_NEEDED','PENDING','FORWARDED','UPSTREAM_FIXED','UPSTREAM_REJECTED'`;

/**
 * Forwards get a table of their own, one row per item and upstream: the upstream the item is
 * routed to (kind ROUTED, at most one per item, listed first) and, later, the upstreams it also
 * affects. Each row carries what watching the upstream's own record needs (url, remote status,
 * last check and its error). The item's forward_* columns move here.
 *
 * Lists filter by forward state and upstream: `forward_state_idx` finds an upstream's pending
 * forwards; the (item_id, upstream_id) key serves each item's forwards.
 */
export class ForwardPerUpstream1765000000000 implements MigrationInterface {
  name = 'ForwardPerUpstream1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE forward (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        item_id integer NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        upstream_id integer NOT NULL REFERENCES upstream(id),
        kind text NOT NULL CHECK (kind IN ('ROUTED','ALSO_AFFECTS')),
        state text NOT NULL CHECK (state IN (${FORWARD_STATES})),
        reference text,
        forwarded_at timestamptz,
        url text,
        remote_status text,
        last_checked_at timestamptz,
        check_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT forward_item_upstream_key UNIQUE (item_id, upstream_id)
      )`);
    await db.query(`CREATE UNIQUE INDEX forward_routed_key ON forward (item_id) WHERE kind = 'ROUTED'`);
    await db.query(`CREATE INDEX forward_state_idx ON forward (state, upstream_id, item_id)`);
    await db.query(`
      INSERT INTO forward (item_id, upstream_id, kind, state, reference, forwarded_at, created_at, updated_at)
      SELECT id, forward_upstream_id, 'ROUTED', forward_state, forward_reference, forwarded_at, coalesce(forwarded_at, updated_at), updated_at
        FROM item WHERE forward_state IS NOT NULL AND forward_upstream_id IS NOT NULL
       ORDER BY id`);
    await db.query(`DROP INDEX item_forward_idx`);
    await db.query(`ALTER TABLE item DROP COLUMN forward_state, DROP COLUMN forward_upstream_id, DROP COLUMN forward_reference, DROP COLUMN forwarded_at`);
    await db.query(`ANALYZE forward`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE item ADD COLUMN forward_state text CHECK (forward_state IN (${FORWARD_STATES})),
                       ADD COLUMN forward_upstream_id integer REFERENCES upstream(id),
                       ADD COLUMN forward_reference text,
                       ADD COLUMN forwarded_at timestamptz`);
    await db.query(`
      UPDATE item i SET forward_state = f.state, forward_upstream_id = f.upstream_id, forward_reference = f.reference, forwarded_at = f.forwarded_at
        FROM forward f WHERE f.item_id = i.id AND f.kind = 'ROUTED'`);
    await db.query(`CREATE INDEX item_forward_idx ON item (forward_state, forward_upstream_id) WHERE forward_state IS NOT NULL`);
    await db.query(`DROP TABLE forward`);
  }
}
