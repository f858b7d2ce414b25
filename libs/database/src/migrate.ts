import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { MIGRATIONS } from './migrations';

/** The epoch-millisecond timestamp a migration's class name ends with. */
export function migrationTimestamp(migration: { name: string }): number {
  return Number(/(\d{13})$/.exec(migration.name)?.[1]);
}

/** Any constant: the advisory lock that lets only one process migrate a database at a time. */
export const MIGRATION_LOCK = 0x4e_57_41_54;

/**
 * Brings the database at `url` up to date. Safe when several processes start together: they
 * queue on an advisory lock, and the later ones find nothing left to run.
 * `upTo` stops at the migration of that timestamp (an import loads an older file at its own level,
 * then runs the rest).
 * @returns the names of the migrations that ran
 */
export async function migrate(url: string, options: { upTo?: number } = {}): Promise<string[]> {
  const base = dataSourceOptions(url, { poolSize: 1, applicationName: 'headwaters-migrate' });
  const upTo = options.upTo;
  const migrations = upTo === undefined ? MIGRATIONS : MIGRATIONS.filter((m) => migrationTimestamp(m) <= upTo);
  const dataSource = new DataSource({ ...base, migrations });
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
