import { Global, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import type { DocumentNode } from 'graphql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AppConfig } from '@headwaters/config';
import { DateTimeScalar, NodeRegistry } from '@headwaters/graphql-kit';
import { LOGGER } from '../logging/logger.token';
import { formatExecution } from './error-formatter';
import { ExpensiveRequests } from './expensive-gate';
import { RateBudget } from './rate-budget';
import { RateLimitResolver } from './rate-limit.resolver';
import { RequestContext } from './request-context';
import { RequestGuards, operationNameOf } from './request-guards';
import { noteErrors, noteOperation } from '../metrics/request-notes';
import { nameActiveSpan, tracingInstalled } from '@headwaters/core';
import { AuthenticatorHolder } from './authenticator-holder';
import { DirectFields } from './direct-fields';
import { connectLive } from './live-context';
import { persistedQueryProvider } from './persisted-queries';
import { DataSource } from 'typeorm';
import { ExternalContextCreator } from '@nestjs/core';
import { installLeanResolvers } from './lean-resolvers';
import { argumentsValidation } from './args.decorator';
import { LeanMercuriusDriver } from './lean-mercurius-driver';

/**
 * GraphQL over Mercurius (JIT-compiled resolvers) on Fastify, code-first. The schema lives in
 * memory; `schema.gql` at the root is its committed print (see test/schema.e2e-spec.ts).
 */
@Global()
@Module({
  imports: [
    GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: LeanMercuriusDriver,
      inject: [AppConfig, LOGGER, AuthenticatorHolder, DirectFields, RateBudget, DataSource, ExpensiveRequests, ExternalContextCreator],
      useFactory: (config: AppConfig, logger: Logger, authenticator: AuthenticatorHolder, directFields: DirectFields, budget: RateBudget, dataSource: DataSource, gate: ExpensiveRequests, contexts: ExternalContextCreator) => {
        const guards = new RequestGuards(config, budget, gate);
        // Before the module explores the resolvers: each is wrapped when it is found.
        installLeanResolvers(contexts, argumentsValidation);
        return {
          autoSchemaFile: true,
          transformSchema: (schema) => directFields.apply(schema),
          sortSchema: true,
          path: '/graphql',
          graphiql: false,
          jit: 1,
          // A JSON array of operations, at most QUERY_MAX_BATCH (checked in http-compliance.ts).
          allowBatchedQueries: true,
          // Apollo's automatic persisted queries, known to every instance (see persisted-queries.ts).
          persistedQueryProvider: persistedQueryProvider(dataSource),
          buildSchemaOptions: { dateScalarMode: 'isoDate', numberScalarMode: 'integer', scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
          context: (request: FastifyRequest, reply: FastifyReply) => new RequestContext(request, reply, authenticator),
          // Live events: WebSocket at the same path (graphql-transport-ws), signed in at connection_init.
          subscription: {
            onConnect: ({ payload }: { payload?: unknown }) => connectLive(authenticator, payload, ''),
            keepAlive: 30_000,
          },
          // Logged through the request's own logger, so every line carries its request id.
          errorFormatter: (execution, context) => {
            const reply = (context as unknown as { reply?: FastifyReply }).reply;
            const formatted = formatExecution(execution as never, reply?.request.headers.accept, (reply?.log as Logger | undefined) ?? logger);
            if (formatted.retryAfter) reply?.header('retry-after', String(formatted.retryAfter));
            noteErrors(reply?.request, formatted.response.errors);
            return formatted;
          },
          hooks: {
            preValidation: (_schema, document: DocumentNode) => guards.beforeValidation(document),
            preExecution: (schema, document: DocumentNode, context, variables) => {
              const request = context as unknown as RequestContext;
              // Noted for the request's metrics; with tracing on, the request's span takes the operation's name.
              const note = noteOperation(request.request, document, request.request ? operationNameOf(request) : undefined);
              if (note?.operations === 1 && tracingInstalled()) nameActiveSpan(`${note.type} ${note.name ?? 'unnamed'}`, { 'graphql.operation.type': note.type, 'graphql.operation.name': note.name ?? '' });
              return guards.beforeExecution(schema, document, request, variables as Record<string, unknown> | undefined);
            },
          },
        };
      },
    }),
  ],
  providers: [NodeRegistry, AuthenticatorHolder, DirectFields, RateBudget, RateLimitResolver, ExpensiveRequests],
  exports: [NodeRegistry, AuthenticatorHolder, DirectFields, RateBudget, ExpensiveRequests],
})
export class GraphqlSetupModule {}
