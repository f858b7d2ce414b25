import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices are asked again just before they leave: a delivery the recipient may no longer have
 * (an item embargoed since, a role lost, an account deactivated) is not sent and says why
 * (`skip_reason`); every such skip, of mail, webhook POST, digest entry or live event, is kept in
 * `notice_skip`. Notification mails and integrators' POSTs name what they carry, so the check
 * can find it. Daily digests: one row per user and day, taken before the mail is queued, so two
 * workers or a retry send one. Accounts can be deactivated.
 */
export class NoticesCheckedAtSend1766300000000 implements MigrationInterface {
  name = 'NoticesCheckedAtSend1766300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE app_user ADD COLUMN deactivated_at timestamptz`);
    await db.query(`ALTER TABLE delivery ADD COLUMN skip_reason text`);
    await db.query(`ALTER TABLE webhook_delivery ADD COLUMN event_id integer`);
    await db.query(`CREATE INDEX webhook_delivery_newest_idx ON webhook_delivery (webhook_id, delivery_id DESC)`);
    await db.query(`
      CREATE TABLE notification_mail (
        delivery_id bigint PRIMARY KEY REFERENCES delivery(id) ON DELETE CASCADE,
        notification_id bigint NOT NULL REFERENCES notification(id) ON DELETE CASCADE
      )`);
    await db.query(`
      CREATE TABLE notification_digest (
        user_id integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        day date NOT NULL,
        until timestamptz NOT NULL,
        entries integer NOT NULL DEFAULT 0,
        skipped integer NOT NULL DEFAULT 0,
        delivery_id bigint REFERENCES delivery(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, day)
      )`);
    await db.query(`
      CREATE TABLE notice_skip (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        channel text NOT NULL CHECK (channel IN ('MAIL','WEBHOOK','DIGEST','LIVE')),
        reason text NOT NULL,
        event_id integer,
        item_id integer,
        user_id integer,
        webhook_id integer,
        delivery_id bigint,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX notice_skip_created_idx ON notice_skip (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS notice_skip`);
    await db.query(`DROP TABLE IF EXISTS notification_digest`);
    await db.query(`DROP TABLE IF EXISTS notification_mail`);
    await db.query(`DROP INDEX IF EXISTS webhook_delivery_newest_idx`);
    await db.query(`ALTER TABLE webhook_delivery DROP COLUMN IF EXISTS event_id`);
    await db.query(`ALTER TABLE delivery DROP COLUMN IF EXISTS skip_reason`);
    await db.query(`ALTER TABLE app_user DROP COLUMN IF EXISTS deactivated_at`);
  }
}
