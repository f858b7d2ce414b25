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
    if (host.getType<string>() === 'graphql') return asError(exception);
    return super.catch(exception, host);
  }
}

/**
 * The resolver's result is the error itself, and GraphQL tells an error from a value with
 * `instanceof Error`: anything thrown that fails that test (a value that is no Error, or an Error
 * of another realm, as Node's own socket errors are inside jest's sandbox) would be taken for the
 * field's value. It is wrapped, keeping its code and message for the error formatter.
 */
export function asError(exception: unknown): Error {
  if (exception instanceof Error) return exception;
  const { message, code } = (exception ?? {}) as { message?: unknown; code?: unknown };
  return Object.assign(new Error(typeof message === 'string' ? message : String(exception)), { code, cause: exception });
}
