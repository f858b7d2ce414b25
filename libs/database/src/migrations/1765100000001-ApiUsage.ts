import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Points spent on the API per user or address and hour (the hourly budget of the cost model),
 * shared by every instance: each adds what it charged about once a second.
 */
export class ApiUsage1765100000001 implements MigrationInterface {
  name = 'ApiUsage1765100000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE TABLE api_usage (
        subject text NOT NULL,
        window_start timestamptz NOT NULL,
        points bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (subject, window_start)
      )`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE api_usage`);
  }
}
