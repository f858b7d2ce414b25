import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What watching upstreams keeps besides forwards: replies by mail from people the tracker does
 * not know, held until a maintainer approves or drops them, and the GitHub webhook deliveries
 * already taken (GitHub retries a delivery with the same X-GitHub-Delivery id).
 */
export class MailRepliesAndHookDeliveries1765500000000 implements MigrationInterface {
  name = 'MailRepliesAndHookDeliveries1765500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE held_mail (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        item_id integer NOT NULL REFERENCES item(id) ON DELETE CASCADE,
        sender text NOT NULL,
        sender_name text NOT NULL DEFAULT '',
        subject text NOT NULL DEFAULT '',
        body text NOT NULL,
        message_id text,
        state text NOT NULL DEFAULT 'HELD' CHECK (state IN ('HELD','APPROVED','DROPPED')),
        decided_by integer REFERENCES app_user(id),
        decided_at timestamptz,
        comment_id integer REFERENCES comment(id) ON DELETE SET NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX held_mail_item_idx ON held_mail (item_id, id) WHERE state = 'HELD'`);
    await db.query(`CREATE UNIQUE INDEX held_mail_message_key ON held_mail (item_id, message_id) WHERE message_id IS NOT NULL`);
    await db.query(`
      CREATE TABLE github_hook_delivery (
        delivery_id text PRIMARY KEY,
        upstream_id integer NOT NULL REFERENCES upstream(id),
        event text NOT NULL,
        payload jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        outcome text
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS github_hook_delivery`);
    await db.query(`DROP TABLE IF EXISTS held_mail`);
  }
}
