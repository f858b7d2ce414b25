import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A forward's deliveries point at it; a forward that goes (a re-route to an upstream that triages here) leaves its log. */
export class DeliveryForwardKey1765200000003 implements MigrationInterface {
  name = 'DeliveryForwardKey1765200000003';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE delivery ADD CONSTRAINT delivery_forward_fk FOREIGN KEY (forward_id) REFERENCES forward(id) ON DELETE SET NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE delivery DROP CONSTRAINT IF EXISTS delivery_forward_fk`);
  }
}
