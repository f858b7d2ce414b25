import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications meet the outbox: which deliveries carried which integrator webhook's POSTs; and
 * a notification no longer holds a key-share lock on its item (a fan-out of thousands of rows
 * kept it until it committed, and every triage, which locks the item, waited for it). The
 * event's key, whose rows nobody updates, still deletes a notification with its item.
 */
export class NotificationDeliveries1765600000001 implements MigrationInterface {
  name = 'NotificationDeliveries1765600000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE notification DROP CONSTRAINT IF EXISTS notification_item_id_fkey`);
    await db.query(`
      CREATE TABLE webhook_delivery (
        webhook_id integer NOT NULL REFERENCES webhook(id),
        delivery_id bigint NOT NULL REFERENCES delivery(id) ON DELETE CASCADE,
        PRIMARY KEY (webhook_id, delivery_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS webhook_delivery`);
    await db.query(`DELETE FROM notification n WHERE NOT EXISTS (SELECT 1 FROM item i WHERE i.id = n.item_id)`);
    await db.query(`ALTER TABLE notification ADD CONSTRAINT notification_item_id_fkey FOREIGN KEY (item_id) REFERENCES item(id) ON DELETE CASCADE`);
  }
}
