import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { registerTypeParsers } from './timestamps';

/** Options every Headwaters data source shares: PostgreSQL, migrations only, never synchronize. */
export function dataSourceOptions(url: string, extra: { poolSize?: number; applicationName?: string } = {}): DataSourceOptions {
  registerTypeParsers();
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    poolSize: extra.poolSize ?? 10,
    applicationName: extra.applicationName ?? 'headwaters',
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
  } as DataSourceOptions;
}
