import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { registerTypeParsers } from './timestamps';

/** Options every Headwaters data source shares: PostgreSQL, migrations only, never synchronize. */
export function dataSourceOptions(url: string, extra: { poolSize?: number; applicationName?: string; statementTimeoutMs?: number } = {}): DataSourceOptions {
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
    // The API's statements are bounded (a request's runaway statement is cancelled by the server);
    // migrations run on a data source of their own, without.
    ...(extra.statementTimeoutMs ? { extra: { statement_timeout: extra.statementTimeoutMs, idle_in_transaction_session_timeout: extra.statementTimeoutMs * 2 } } : {}),
  } as DataSourceOptions;
}
