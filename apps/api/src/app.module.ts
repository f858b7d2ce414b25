import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig, ConfigModule } from '@headwaters/config';
import { DatabaseModule } from '@headwaters/database';
import { JobsModule } from '@headwaters/jobs';
import { GraphqlSetupModule } from './graphql/graphql-setup.module';
import { HealthModule } from './health/health.module';
import { IdentityApiModule } from './identity/identity-api.module';
import { CatalogueApiModule } from './catalogue/catalogue-api.module';
import { ItemsApiModule } from './items/items-api.module';
import { AttachmentsApiModule } from './attachments/attachments-api.module';
import { TriageApiModule } from './triage/triage-api.module';
import { ForwardingApiModule } from './forwarding/forwarding-api.module';
import { RoutingApiModule } from './routing/routing-api.module';
import { VotingApiModule } from './voting/voting-api.module';
import { LoggingModule } from './logging/logging.module';
import { NodeModule } from './node/node.module';
import { WatchingApiModule } from './watching/watching-api.module';
import { NotificationsApiModule } from './notifications/notifications-api.module';
import { WebModule } from './web/web.module';
import { WorkerModule } from '../../worker/src/worker.module';
import { jobQueueOptions } from '../../worker/src/jobs/job-queue-options';

/**
 * The API: configuration, database, GraphQL and one module per feature; with `withWorker`, the
 * background work too, in the same process (HEADWATERS_ROLE=all).
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string, logger: Logger, options: { withWorker?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(logger),
        DatabaseModule.forRoot({ url: databaseUrl, poolSize: config.DB_POOL_SIZE, preparedPoolSize: config.DB_PREPARED_POOL_SIZE, statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS }),
        JobsModule.forRoot(jobQueueOptions(config, databaseUrl)),
        GraphqlSetupModule,
        HealthModule,
        NodeModule,
        IdentityApiModule,
        ItemsApiModule,
        CatalogueApiModule,
        RoutingApiModule,
        TriageApiModule,
        NotificationsApiModule,
        WebModule,
        VotingApiModule,
        ForwardingApiModule,
        AttachmentsApiModule,
        WatchingApiModule,
        ...(options.withWorker ? [WorkerModule.forRoot(logger)] : []),
      ],
    };
  }
}
