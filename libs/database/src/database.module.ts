import { DynamicModule, Module, type OnModuleDestroy } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { PreparedReads } from './prepared-reads';

/**
 * The application's one data source, plus the small pool of {@link PreparedReads}. Migrations
 * run before the app is built (see `migrate`), so this module only connects. There are no
 * entities: every library reads and writes its tables with SQL, in use cases run through
 * `inTransaction`.
 */
@Module({})
export class DatabaseModule implements OnModuleDestroy {
  constructor(private readonly preparedReads: PreparedReads) {}

  static forRoot(options: { url: string; poolSize?: number; preparedPoolSize?: number }): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(options.url, { poolSize: options.poolSize }),
          retryAttempts: 3,
          retryDelay: 500,
        }),
      ],
      providers: [
        {
          provide: PreparedReads,
          useFactory: (dataSource: DataSource) => new PreparedReads(options.url, options.preparedPoolSize ?? 4, dataSource),
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
