import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per API instance, rewritten by its readiness probe: reading is not enough to be ready
 * (a full disk or a read-only server still answers SELECT 1), so the probe writes.
 */
export class HealthProbe1765100000002 implements MigrationInterface {
  name = 'HealthProbe1765100000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE health_probe (instance text PRIMARY KEY, checked_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE health_probe`);
  }
}
