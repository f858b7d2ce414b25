import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox: one row per mail or webhook POST that leaves the process (forwards to upstreams,
 * and later notifications), written in the transaction of the change that causes it and sent by
 * the worker, with its attempts. `message_id` stays the same on every attempt (a mail's
 * Message-ID, a webhook's delivery id) so receivers can tell a retry from a new message.
 */
export class Deliveries1765200000002 implements MigrationInterface {
  name = 'Deliveries1765200000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE delivery (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('MAIL','WEBHOOK')),
        destination text NOT NULL,
        subject text,
        payload text NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        message_id text NOT NULL,
        signing_key text,
        state text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING','DELIVERED','FAILED')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        max_attempts integer NOT NULL CHECK (max_attempts >= 1),
        last_error text,
        next_attempt_at timestamptz DEFAULT now(),
        delivered_at timestamptz,
        response jsonb,
        forward_id integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT delivery_subject_of_mail CHECK (channel <> 'MAIL' OR subject IS NOT NULL)
      )`);
    await db.query(`CREATE INDEX delivery_forward_idx ON delivery (forward_id, id) WHERE forward_id IS NOT NULL`);
    await db.query(`CREATE INDEX delivery_open_idx ON delivery (state, next_attempt_at) WHERE state <> 'DELIVERED'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS delivery`);
  }
}
