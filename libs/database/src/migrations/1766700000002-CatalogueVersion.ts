import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['upstream', 'component', 'release'];

/**
 * A version of the catalogue, raised by every statement that changes an upstream, a component
 * or a release. A snapshot read with its version lets a write decide from the catalogue kept in
 * memory and check, in its own statement, that the catalogue is still the one it decided from
 * (filing does), instead of reading the whole catalogue again in every transaction. Catalogue
 * edits are rare and are the only writers of its one row.
 */
export class CatalogueVersion1766700000002 implements MigrationInterface {
  name = 'CatalogueVersion1766700000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE catalogue_version (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        version bigint NOT NULL
      )`);
    await db.query(`INSERT INTO catalogue_version (id, version) VALUES (true, 1)`);
    await db.query(`
      CREATE FUNCTION catalogue_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE catalogue_version SET version = version + 1;
        RETURN NULL;
      END $$`);
    for (const table of TABLES) {
      await db.query(`CREATE TRIGGER catalogue_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION catalogue_version_bump()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of TABLES) await db.query(`DROP TRIGGER catalogue_version_bump ON ${table}`);
    await db.query(`DROP FUNCTION catalogue_version_bump()`);
    await db.query(`DROP TABLE catalogue_version`);
  }
}
