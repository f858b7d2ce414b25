import type { MigrationInterface, QueryRunner } from 'typeorm';

const TRACKER_KINDS = `'NONE','GITHUB','DEBBUGS','LAUNCHPAD','BUGZILLA'`;

/** The seeded upstreams' trackers, as forwarded mail and the read-back of upstream records need them. */
const SEEDED_TRACKERS = [
  ['debian', 'DEBBUGS'],
  ['ubuntu', 'LAUNCHPAD'],
  ['xapi-project', 'GITHUB'],
] as const;

/** Debian and Ubuntu call the XCP-XAPI source package xcp-xapi. */
const SEEDED_PACKAGES = [
  ['packaging/debian', 'xcp-xapi'],
  ['packaging/ubuntu', 'xcp-xapi'],
] as const;

/**
 * An upstream's tracker kind and webhook secret, a component's package name. Only seeded rows
 * still as seeded (NONE, no package name) are filled in, so edits made through the API stay.
 */
export class UpstreamTrackersAndPackages1765200000000 implements MigrationInterface {
  name = 'UpstreamTrackersAndPackages1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE upstream ADD COLUMN tracker_kind text NOT NULL DEFAULT 'NONE' CONSTRAINT upstream_tracker_kind CHECK (tracker_kind IN (${TRACKER_KINDS}))`);
    await db.query(`ALTER TABLE upstream ADD COLUMN webhook_secret text CONSTRAINT upstream_webhook_secret_length CHECK (length(webhook_secret) >= 16)`);
    await db.query(`ALTER TABLE component ADD COLUMN package_name text`);
    for (const [slug, kind] of SEEDED_TRACKERS) {
      await db.query(`UPDATE upstream SET tracker_kind = $2 WHERE slug = $1 AND tracker_kind = 'NONE'`, [slug, kind]);
    }
    for (const [slug, name] of SEEDED_PACKAGES) {
      await db.query(`UPDATE component SET package_name = $2 WHERE slug = $1 AND package_name IS NULL`, [slug, name]);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE component DROP COLUMN IF EXISTS package_name`);
    await db.query(`ALTER TABLE upstream DROP COLUMN IF EXISTS webhook_secret`);
    await db.query(`ALTER TABLE upstream DROP COLUMN IF EXISTS tracker_kind`);
  }
}
