import { NestFactory } from '@nestjs/core';
import { Module, type DynamicModule, type INestApplicationContext, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigModule, type AppConfig } from '@headwaters/config';
import { DatabaseModule } from '@headwaters/database';
import { JobQueue, JobsModule } from '@headwaters/jobs';
import { WorkerModule } from './worker.module';

/** Runs the handlers of every declared job queue (checks of upstream records, webhook deliveries, ...). */
@Module({})
class JobHandlersModule implements OnApplicationBootstrap {
  constructor(private readonly queue: JobQueue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.startWorkers();
  }
}

@Module({})
class WorkerAppModule {
  static forRoot(config: AppConfig, databaseUrl: string, logger: Logger): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot({ url: databaseUrl, poolSize: config.DB_POOL_SIZE, preparedPoolSize: 1 }),
        JobsModule.forRoot({
          url: databaseUrl,
          poolSize: config.JOBS_POOL_SIZE,
          pollingIntervalSeconds: config.JOBS_POLL_SECONDS,
          maintenanceIntervalSeconds: config.JOBS_MAINTENANCE_SECONDS,
          stopTimeoutMs: Math.max(200, Math.floor(config.SHUTDOWN_TIMEOUT_MS / 2)),
        }),
        WorkerModule.forRoot(logger),
        JobHandlersModule,
      ],
    };
  }
}

/** The worker alone (HEADWATERS_ROLE=worker): background jobs over the database, no HTTP. */
export async function createWorker(config: AppConfig, databaseUrl: string, logger: Logger): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(WorkerAppModule.forRoot(config, databaseUrl, logger), { logger: false });
}
