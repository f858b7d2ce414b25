import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { AppConfig } from '@headwaters/config';
import { AppModule } from './app.module';
import { registerGraphiql } from './graphql/graphiql';
import { registerCors } from './graphql/cors';
import { registerCompression } from './graphql/compression';
import { registerGraphqlHttpCompliance } from './graphql/http-compliance';
import { GraphqlExceptionFilter } from './graphql/graphql-exception.filter';
import { PinoNestLogger } from './logging/logger';
import { lazyChildLoggerFactory } from './logging/lazy-child-logger';
import { registerQueryScopes } from './graphql/query-scopes';
import { registerGithubHooks } from './watching/github-hooks.route';
import { GithubHookService } from '@headwaters/forwarding';
import { declareRequestNotes } from './metrics/request-notes';
import { registerMetrics } from './metrics/metrics.route';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Builds the API application (not yet listening) over an already migrated database. Used by
 * `main.ts`, the end-to-end tests and the benchmarks alike, so all three run the same server.
 * `withWorker` adds the background work (apps/worker, the job queue's handlers) to the same
 * process: by default unless HEADWATERS_ROLE is `api`.
 */
export async function createApp(config: AppConfig, databaseUrl: string, logger: Logger, options: { withWorker?: boolean } = {}): Promise<NestFastifyApplication> {
  const withWorker = options.withWorker ?? config.HEADWATERS_ROLE !== 'api';
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Per-request log lines only when debugging: at info they would cost more than a cheap query.
    logController: new LogController({ disableRequestLogging: config.LOG_LEVEL !== 'debug' && config.LOG_LEVEL !== 'trace' }),
    // A request's logger (with its id) is made when it first logs: most requests log nothing.
    childLoggerFactory: lazyChildLoggerFactory as never,
    // Reception of a request is bounded whole (a body shorter than its Content-Length is cut
    // off), an idle or stalled connection is closed, and so is a keep-alive one left unused.
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    connectionTimeout: config.HTTP_IDLE_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    http: {
      headersTimeout: Math.min(config.HTTP_REQUEST_TIMEOUT_MS, 10_000),
      // Node checks the request timeout this often (30 s unless told).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(config.HTTP_REQUEST_TIMEOUT_MS / 4))),
    },
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, databaseUrl, logger, { withWorker }), adapter, {
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
    bufferLogs: false,
  });
  app.useGlobalFilters(new GraphqlExceptionFilter(app.getHttpAdapter()));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  declareRequestNotes(fastify);
  if (config.METRICS) registerMetrics(app, config);
  await registerCompression(app, config.COMPRESS_MIN_BYTES);
  await registerCors(app, config.CORS_ORIGINS);
  registerGraphqlHttpCompliance(fastify, config.QUERY_MAX_BATCH);
  registerQueryScopes(fastify);
  if (config.GRAPHIQL) registerGraphiql(fastify);
  registerGithubHooks(fastify, app.get(GithubHookService), config.BODY_LIMIT_BYTES);
  await app.init();
  return app;
}
