import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Automatic persisted queries: the documents clients registered by their SHA-256, shared by
 * every instance on this database.
 */
export class PersistedQueries1765800000000 implements MigrationInterface {
  name = 'PersistedQueries1765800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE persisted_query (
        hash char(64) PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'),
        query text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE persisted_query');
  }
}
