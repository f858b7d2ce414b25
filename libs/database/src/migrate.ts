import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/** Any constant: the advisory lock that lets only one process migrate a database at a time. */
const MIGRATION_LOCK = 0x4e_57_41_54;

/**
 * Brings the database at `url` up to date. Safe when several processes start together: they
 * queue on an advisory lock, and the later ones find nothing left to run.
 * @returns the names of the migrations that ran
 */
export async function migrate(url: string): Promise<string[]> {
  const dataSource = new DataSource({ ...dataSourceOptions(url, { poolSize: 1, applicationName: 'headwaters-migrate' }) });
  await dataSource.initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const ran = await dataSource.runMigrations({ transaction: 'each' });
      return ran.map((m) => m.name);
    } finally {
      await dataSource.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await dataSource.destroy();
  }
}
