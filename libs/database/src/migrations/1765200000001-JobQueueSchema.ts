import PgBoss from 'pg-boss';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Where the job queue keeps its tables (libs/jobs); its own schema, next to `public`. */
export const JOB_QUEUE_SCHEMA = 'pgboss';

/**
 * The job queue's tables (pg-boss), created here so that a database is complete once migrated
 * and test databases cloned from a template have them. pg-boss brings them to its own later
 * versions itself at start-up. Its plan holds its own transaction and advisory lock.
 */
export class JobQueueSchema1765200000001 implements MigrationInterface {
  name = 'JobQueueSchema1765200000001';
  transaction = false;

  async up(db: QueryRunner): Promise<void> {
    const [{ installed }] = await db.query(`SELECT to_regclass($1) IS NOT NULL AS installed`, [`${JOB_QUEUE_SCHEMA}.version`]);
    if (!installed) await db.query(PgBoss.getConstructionPlans(JOB_QUEUE_SCHEMA));
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP SCHEMA IF EXISTS ${JOB_QUEUE_SCHEMA} CASCADE`);
  }
}
