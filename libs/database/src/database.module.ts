import { DynamicModule, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { queryThroughPool } from './pool-queries';
import { PreparedReads } from './prepared-reads';
import { watchPool } from './query-scope';

/**
 * The application's one data source, plus the small pool of {@link PreparedReads}. Migrations
 * run before the app is built (see `migrate`), so this module only connects. There are no
 * entities: every library reads and writes its tables with SQL, in use cases run through
 * `inTransaction`.
 */
@Module({})
export class DatabaseModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly preparedReads: PreparedReads,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * The data source's statements answer to their request's QueryScope (stopped when its client
   * goes), and those outside a transaction go straight to the pool (see queryThroughPool).
   */
  onModuleInit(): void {
    const pool = (this.dataSource.driver as unknown as { master?: Pool }).master;
    if (!pool) return;
    watchPool(pool);
    queryThroughPool(this.dataSource, pool);
  }

  static forRoot(options: { url: string; poolSize?: number; preparedPoolSize?: number; statementTimeoutMs?: number }): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(options.url, { poolSize: options.poolSize, statementTimeoutMs: options.statementTimeoutMs }),
          retryAttempts: 3,
          retryDelay: 500,
        }),
      ],
      providers: [
        {
          provide: PreparedReads,
          useFactory: (dataSource: DataSource) => new PreparedReads(options.url, options.preparedPoolSize ?? 4, dataSource, options.statementTimeoutMs),
          inject: [DataSource],
        },
      ],
      exports: [PreparedReads],
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.preparedReads.close();
  }
}
