import type { MigrationInterface, QueryRunner } from 'typeorm';

const SLUG = `'^[a-z0-9][a-z0-9-]*$'`;
const PATH_SLUG = `'^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$'`;
const STATUSES = `'NEW','INCOMPLETE','CONFIRMED','TRIAGED','PLANNED','IN_PROGRESS','FIX_COMMITTED','FIX_RELEASED','WONT_FIX','INVALID','DUPLICATE','EXPIRED'`;
const CLOSED = `'FIX_RELEASED','WONT_FIX','INVALID','DUPLICATE','EXPIRED'`;
const IMPORTANCES = `'UNDECIDED','CRITICAL','HIGH','MEDIUM','LOW','WISHLIST'`;
const FORWARD_STATES = `'NOT_NEEDED','PENDING','FORWARDED','UPSTREAM_FIXED','UPSTREAM_REJECTED'`;

/** The whole domain model: catalogue, people, items, votes, comments, timeline. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    // ------------------------------------------------------------------ catalogue
    await db.query(`
      CREATE TABLE upstream (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        slug text NOT NULL CONSTRAINT upstream_slug_format CHECK (slug ~ ${SLUG}),
        name text NOT NULL,
        homepage text,
        mailing_list text,
        irc_channel text,
        tracker_url text,
        webhook_url text,
        forwarding text NOT NULL CHECK (forwarding IN ('HANDLED_HERE','MAILING_LIST','WEBHOOK','MANUAL')),
        retired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT upstream_slug_unique UNIQUE (slug)
      )`);
    await db.query(`
      CREATE TABLE component (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        slug text NOT NULL CONSTRAINT component_slug_format CHECK (slug ~ ${PATH_SLUG}),
        name text NOT NULL,
        description text,
        parent_id integer REFERENCES component(id),
        owner_id integer REFERENCES upstream(id),
        retired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT component_slug_unique UNIQUE (slug),
        CONSTRAINT component_root_has_owner CHECK (parent_id IS NOT NULL OR owner_id IS NOT NULL),
        CONSTRAINT component_not_own_parent CHECK (parent_id IS DISTINCT FROM id)
      )`);
    await db.query(`CREATE INDEX component_parent_idx ON component (parent_id)`);
    await db.query(`CREATE INDEX component_owner_idx ON component (owner_id)`);
    await db.query(`
      CREATE TABLE release (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        slug text NOT NULL CONSTRAINT release_slug_format CHECK (slug ~ '^[a-z0-9][a-z0-9.-]*$'),
        name text NOT NULL,
        released_at timestamptz,
        retired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT release_slug_unique UNIQUE (slug)
      )`);

    // ------------------------------------------------------------------ people
    await db.query(`
      CREATE TABLE app_user (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        username text NOT NULL,
        email text NOT NULL,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX app_user_username_unique ON app_user (lower(username))`);
    await db.query(`
      CREATE TABLE access_token (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('SESSION','PERSONAL')),
        name text,
        token_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        expires_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT access_token_hash_unique UNIQUE (token_hash)
      )`);
    await db.query(`CREATE INDEX access_token_user_idx ON access_token (user_id)`);
    await db.query(`
      CREATE TABLE role_grant (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('ADMIN','MAINTAINER')),
        upstream_id integer REFERENCES upstream(id),
        component_id integer REFERENCES component(id),
        granted_by_id integer REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT role_grant_scope CHECK (
          (role = 'ADMIN' AND upstream_id IS NULL AND component_id IS NULL)
          OR (role = 'MAINTAINER' AND (upstream_id IS NULL) <> (component_id IS NULL)))
      )`);
    await db.query(`CREATE UNIQUE INDEX role_grant_unique ON role_grant (user_id, role, coalesce(upstream_id, 0), coalesce(component_id, 0))`);
    await db.query(`
      CREATE TABLE login_failure (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        username_lower text NOT NULL,
        address text NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX login_failure_username_idx ON login_failure (username_lower, failed_at)`);
    await db.query(`CREATE INDEX login_failure_address_idx ON login_failure (address, failed_at)`);

    // ------------------------------------------------------------------ items
    // One row holds the last number given out: taking the next one locks it until the filing
    // commits, so numbers have no gaps even when a filing fails.
    await db.query(`
      CREATE TABLE item_counter (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        last_number integer NOT NULL
      )`);
    await db.query(`INSERT INTO item_counter (id, last_number) VALUES (true, 0)`);
    await db.query(`
      CREATE TABLE item (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        number integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('BUG','FEATURE')),
        title text NOT NULL,
        description text NOT NULL,
        status text NOT NULL DEFAULT 'NEW' CHECK (status IN (${STATUSES})),
        closed boolean GENERATED ALWAYS AS (status IN (${CLOSED})) STORED,
        importance text NOT NULL DEFAULT 'UNDECIDED' CHECK (importance IN (${IMPORTANCES})),
        importance_rank smallint GENERATED ALWAYS AS (CASE importance
          WHEN 'CRITICAL' THEN 5 WHEN 'HIGH' THEN 4 WHEN 'MEDIUM' THEN 3
          WHEN 'LOW' THEN 2 WHEN 'WISHLIST' THEN 1 ELSE 0 END) STORED,
        component_id integer REFERENCES component(id),
        reporter_id integer NOT NULL REFERENCES app_user(id),
        duplicate_of_id integer REFERENCES item(id),
        vote_count integer NOT NULL DEFAULT 0 CHECK (vote_count >= 0),
        route_upstream_id integer NOT NULL REFERENCES upstream(id),
        route_component_id integer REFERENCES component(id),
        route_reason text NOT NULL,
        route_manual boolean NOT NULL DEFAULT false,
        route_decided_at timestamptz NOT NULL DEFAULT now(),
        forward_state text CHECK (forward_state IN (${FORWARD_STATES})),
        forward_upstream_id integer REFERENCES upstream(id),
        forward_reference text,
        forwarded_at timestamptz,
        fixed_in_id integer REFERENCES release(id),
        planned_for_id integer REFERENCES release(id),
        incomplete_since timestamptz,
        comments_tsv tsvector NOT NULL DEFAULT ''::tsvector,
        search tsvector NOT NULL DEFAULT ''::tsvector,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT item_number_unique UNIQUE (number),
        CONSTRAINT item_not_own_duplicate CHECK (duplicate_of_id IS DISTINCT FROM id),
        CONSTRAINT item_duplicate_status CHECK ((status = 'DUPLICATE') = (duplicate_of_id IS NOT NULL))
      )`);
    // Search text: title over description over comments, kept current by the row's own writes.
    await db.query(`
      CREATE FUNCTION item_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search := setweight(to_tsvector('english', NEW.title), 'A')
                   || setweight(to_tsvector('english', NEW.description), 'B')
                   || setweight(NEW.comments_tsv, 'C');
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER item_search_refresh BEFORE INSERT OR UPDATE OF title, description, comments_tsv
      ON item FOR EACH ROW EXECUTE FUNCTION item_search_refresh()`);
    await db.query(`CREATE INDEX item_search_idx ON item USING gin (search)`);
    await db.query(`CREATE INDEX item_title_trgm_idx ON item USING gin (title gin_trgm_ops)`);
    await db.query(`CREATE INDEX item_component_idx ON item (component_id)`);
    await db.query(`CREATE INDEX item_reporter_idx ON item (reporter_id)`);
    await db.query(`CREATE INDEX item_route_upstream_idx ON item (route_upstream_id)`);
    await db.query(`CREATE INDEX item_duplicate_of_idx ON item (duplicate_of_id) WHERE duplicate_of_id IS NOT NULL`);
    await db.query(`CREATE INDEX item_forward_idx ON item (forward_state, forward_upstream_id) WHERE forward_state IS NOT NULL`);
    await db.query(`CREATE INDEX item_incomplete_idx ON item (incomplete_since) WHERE status = 'INCOMPLETE'`);
    await db.query(`CREATE INDEX item_created_idx ON item (created_at, id)`);
    await db.query(`CREATE INDEX item_updated_idx ON item (updated_at, id)`);
    await db.query(`CREATE INDEX item_votes_idx ON item (vote_count, id)`);
    await db.query(`CREATE INDEX item_importance_idx ON item (importance_rank, id)`);
    await db.query(`
      CREATE TABLE item_release (
        item_id integer NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        release_id integer NOT NULL REFERENCES release(id),
        PRIMARY KEY (item_id, release_id)
      )`);
    await db.query(`CREATE INDEX item_release_release_idx ON item_release (release_id)`);
    await db.query(`
      CREATE TABLE vote (
        item_id integer NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        user_id integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (item_id, user_id)
      )`);
    await db.query(`CREATE INDEX vote_user_idx ON vote (user_id)`);
    await db.query(`
      CREATE TABLE comment (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        item_id integer NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        author_id integer NOT NULL REFERENCES app_user(id),
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX comment_item_idx ON comment (item_id, id)`);
    await db.query(`
      CREATE TABLE timeline_event (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        item_id integer NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        type text NOT NULL,
        actor_id integer REFERENCES app_user(id),
        summary text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX timeline_event_item_idx ON timeline_event (item_id, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['timeline_event', 'comment', 'vote', 'item_release', 'item', 'item_counter', 'login_failure', 'role_grant', 'access_token', 'app_user', 'release', 'component', 'upstream']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await db.query(`DROP FUNCTION IF EXISTS item_search_refresh()`);
  }
}
