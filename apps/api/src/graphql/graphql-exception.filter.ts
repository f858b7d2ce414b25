import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { GqlExceptionFilter } from '@nestjs/graphql';

/**
 * Hands errors of GraphQL resolvers straight to the GraphQL error formatter (the one place that
 * maps and logs them) instead of letting Nest log every expected refusal as an error. HTTP
 * routes keep Nest's usual handling.
 */
@Catch()
export class GraphqlExceptionFilter extends BaseExceptionFilter implements GqlExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return exception;
    return super.catch(exception, host);
  }
}
