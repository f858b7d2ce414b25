import { NestFactory } from '@nestjs/core';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigModule, type AppConfig } from '@headwaters/config';
import { DatabaseModule } from '@headwaters/database';
import { JobsModule } from '@headwaters/jobs';
import { jobQueueOptions } from './jobs/job-queue-options';
import { WorkerModule } from './worker.module';

@Module({})
class WorkerAppModule {
  static forRoot(config: AppConfig, databaseUrl: string, logger: Logger): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot({ url: databaseUrl, poolSize: config.DB_POOL_SIZE, preparedPoolSize: 1 }),
        JobsModule.forRoot(jobQueueOptions(config, databaseUrl)),
        WorkerModule.forRoot(logger),
      ],
    };
  }
}

/** The worker alone (HEADWATERS_ROLE=worker): background jobs over the database, no HTTP. */
export async function createWorker(config: AppConfig, databaseUrl: string, logger: Logger): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(WorkerAppModule.forRoot(config, databaseUrl, logger), { logger: false });
}
