import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Following and telling: who follows what (items, components, upstreams), the inbox, the work
 * of fanning out an event to a large audience, mail preferences, verified addresses and the
 * one-time tokens that prove them or reset a password, and integrators' webhooks.
 */
export class Notifications1765600000000 implements MigrationInterface {
  name = 'Notifications1765600000000';

  async up(db: QueryRunner): Promise<void> {
    // A component and its ancestors, nearest first: who maintains an item, in SQL, per row.
    await db.query(`
      CREATE FUNCTION component_lineage(start integer) RETURNS integer[] LANGUAGE sql STABLE AS $$
        WITH RECURSIVE up (id, parent_id, depth) AS (
          SELECT id, parent_id, 0 FROM component WHERE id = start
          UNION ALL
          SELECT c.id, c.parent_id, up.depth + 1 FROM component c JOIN up ON c.id = up.parent_id WHERE up.depth < 100
        )
        SELECT coalesce(array_agg(id ORDER BY depth), '{}') FROM up
      $$`);
    await db.query(`
      CREATE TABLE subscription (
        user_id integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        target_kind text NOT NULL CHECK (target_kind IN ('ITEM','COMPONENT','UPSTREAM')),
        target_id integer NOT NULL,
        state text NOT NULL CHECK (state IN ('SUBSCRIBED','UNSUBSCRIBED','IGNORED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, target_kind, target_id)
      )`);
    // Who follows this target: read for every event, so it carries what the fan-out needs.
    await db.query(`CREATE INDEX subscription_target_idx ON subscription (target_kind, target_id) INCLUDE (user_id, state)`);
    await db.query(`
      CREATE TABLE notification (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        item_id integer NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        event_id integer NOT NULL REFERENCES timeline_event(id) ON DELETE CASCADE,
        reason text NOT NULL CHECK (reason IN ('SUBSCRIBED','REPORTER','ASSIGNED','PARTICIPANT','VOTER','MAINTAINER')),
        read_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT notification_once UNIQUE (user_id, event_id)
      )`);
    await db.query(`CREATE INDEX notification_user_idx ON notification (user_id, id)`);
    await db.query(`CREATE INDEX notification_unread_idx ON notification (user_id, id) WHERE read_at IS NULL`);
    // An event whose audience is too large to tell inside its mutation: a job tells it.
    await db.query(`
      CREATE TABLE notification_fanout (
        event_id integer PRIMARY KEY REFERENCES timeline_event(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        done_at timestamptz,
        notified integer
      )`);
    await db.query(`CREATE INDEX notification_fanout_pending_idx ON notification_fanout (created_at) WHERE done_at IS NULL`);
    await db.query(`
      CREATE TABLE notification_setting (
        user_id integer PRIMARY KEY REFERENCES app_user(id) ON DELETE CASCADE,
        mail text NOT NULL DEFAULT 'EACH_EVENT' CHECK (mail IN ('EACH_EVENT','DAILY_DIGEST','NONE')),
        digest_sent_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`ALTER TABLE app_user ADD COLUMN email_verified_at timestamptz`);
    await db.query(`
      CREATE TABLE account_token (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('VERIFY_EMAIL','RESET_PASSWORD')),
        token_hash bytea NOT NULL,
        email text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        CONSTRAINT account_token_hash_unique UNIQUE (token_hash)
      )`);
    await db.query(`CREATE INDEX account_token_user_idx ON account_token (user_id, purpose)`);

    await db.query(`
      CREATE TABLE webhook (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        url text NOT NULL,
        secret text NOT NULL,
        upstream_id integer REFERENCES upstream(id),
        component_id integer REFERENCES component(id),
        created_by_id integer REFERENCES app_user(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT webhook_one_scope CHECK (upstream_id IS NULL OR component_id IS NULL)
      )`);
    // Keys every instance shares (the signing key of unsubscribe links), made once on first use.
    await db.query(`
      CREATE TABLE app_secret (
        name text PRIMARY KEY,
        value bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX webhook_live_idx ON webhook (upstream_id, component_id) WHERE deleted_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['app_secret', 'webhook', 'account_token', 'notification_setting', 'notification_fanout', 'notification', 'subscription']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await db.query(`ALTER TABLE app_user DROP COLUMN IF EXISTS email_verified_at`);
    await db.query(`DROP FUNCTION IF EXISTS component_lineage(integer)`);
  }
}
