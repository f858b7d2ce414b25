import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source-options';

/**
 * The application's one data source. Migrations run before the app is built (see `migrate`),
 * so this module only connects. Entities come from each library's `TypeOrmModule.forFeature`.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: { url: string; poolSize?: number }): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(options.url, { poolSize: options.poolSize }),
          autoLoadEntities: true,
          retryAttempts: 3,
          retryDelay: 500,
        }),
      ],
    };
  }
}
