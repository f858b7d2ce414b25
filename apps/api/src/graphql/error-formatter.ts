import { HttpException } from '@nestjs/common';
import { GraphQLError, type ExecutionResult, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { DomainError } from '@headwaters/core';
import { databaseUnavailability, type UnavailableReason } from '@headwaters/database';
import { ERROR_CODES, InputValidationError } from '@headwaters/graphql-kit';

/** Seconds a client is told to wait when the database is away. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

const UNAVAILABLE_MESSAGES: Record<UnavailableReason, string> = {
  DATABASE_UNREACHABLE: 'The database cannot be reached right now: try again in a few seconds',
  DATABASE_READ_ONLY: 'The database takes no changes right now (read-only): try again later',
  DISK_FULL: 'The database is out of disk space: nothing can be written until it has more',
  STATEMENT_TIMEOUT: 'The request took too long in the database and was stopped: try again, or ask for less',
  REQUEST_ABANDONED: 'The request was stopped',
};

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  429: 'RATE_LIMITED',
};

/** Errors of the request itself (not of a resolver): answered 400 under graphql-response+json. */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'QUERY_TOO_COMPLEX', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE']);

/** Request errors whose HTTP status says it whatever the client accepts: the request could not run at all. */
const REQUEST_ERROR_STATUS: Record<string, number> = { RATE_LIMITED: 429, SERVICE_UNAVAILABLE: 503 };

interface Classified {
  formatted: GraphQLFormattedError;
  requestError: boolean;
  httpStatus?: number;
  /** The database was away or unable: SERVICE_UNAVAILABLE. */
  unavailable?: boolean;
}

const PERSISTED_QUERY_CODES: Record<string, string> = {
  MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  MER_ERR_GQL_PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  MER_ERR_GQL_PERSISTED_QUERY_MISMATCH: 'BAD_REQUEST',
};

/**
 * The one mapping from anything thrown to what a client sees: domain errors keep their message
 * and get their `extensions.code`; unexpected errors are logged and hidden.
 */
export function classifyError(error: GraphQLError, log: Logger): Classified {
  const original = error.originalError;
  const base = { locations: error.locations, path: error.path };
  if (original instanceof DomainError) {
    const extensions: Record<string, unknown> = { code: ERROR_CODES[original.kind], reason: original.code };
    if (original.field) extensions.field = original.field;
    if (original instanceof InputValidationError) extensions.fields = original.problems;
    return { formatted: { message: original.message, ...base, extensions }, requestError: false };
  }
  const unavailable = databaseUnavailability(original);
  if (unavailable === 'REQUEST_ABANDONED') {
    // The client went away, and its statements were stopped: nothing is wrong with the database.
    log.debug({ path: error.path, reason: unavailable }, 'a request whose client went away was stopped');
  } else if (unavailable) {
    log.warn({ err: original, path: error.path, reason: unavailable }, 'the database could not serve a request');
  }
  if (unavailable) {
    return { formatted: { message: UNAVAILABLE_MESSAGES[unavailable], ...base, extensions: { code: 'SERVICE_UNAVAILABLE', reason: unavailable } }, requestError: false, unavailable: true };
  }
  if (original instanceof HttpException) {
    const status = original.getStatus();
    const code = HTTP_CODES[status] ?? (status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST');
    if (status >= 500) return hidden(error, base, log);
    return { formatted: { message: original.message, ...base, extensions: { code } }, requestError: false };
  }
  if (original && typeof (original as { statusCode?: unknown }).statusCode === 'number' && !(original instanceof GraphQLError)) {
    // Fastify and Mercurius request errors: bad JSON, too large a body, a GET mutation.
    const status = (original as unknown as { statusCode: number }).statusCode;
    if (status >= 500) return hidden(error, base, log);
    const persisted = PERSISTED_QUERY_CODES[(original as { code?: string }).code ?? ''];
    // Apollo's persisted-queries link looks for this code (or message) to send the document.
    if (persisted) return { formatted: { message: original.message, extensions: { code: persisted } }, requestError: true, httpStatus: 200 };
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 405 ? 'METHOD_NOT_ALLOWED' : 'BAD_REQUEST';
    return { formatted: { message: original.message, extensions: { code } }, requestError: true, httpStatus: status };
  }
  const existing = error.extensions?.code;
  if (typeof existing === 'string' && existing !== 'INTERNAL_SERVER_ERROR' && !original) {
    return {
      formatted: { message: error.message, ...base, extensions: { ...error.extensions } },
      requestError: REQUEST_ERROR_CODES.has(existing),
      httpStatus: error.path ? undefined : REQUEST_ERROR_STATUS[existing],
    };
  }
  if (!original || original instanceof GraphQLError) {
    // graphql-js's own errors: syntax, validation, variable coercion, or a non-null field left null.
    const message = error.message;
    if (error.path) return hidden(error, base, log);
    let code = 'GRAPHQL_VALIDATION_FAILED';
    if (message.startsWith('Syntax Error')) code = 'GRAPHQL_PARSE_FAILED';
    else if (/^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/.test(message)) {
      return { formatted: { message, ...base, extensions: { code: 'BAD_USER_INPUT', field: variableFieldOf(message) } }, requestError: true };
    }
    return { formatted: { message, ...base, extensions: { code } }, requestError: true };
  }
  return hidden(error, base, log);
}

/**
 * The field a variable-coercion message is about: `Variable "$input" got invalid value 5 at
 * "input.title"; ...` names `input.title`; without a position, the variable itself.
 */
export function variableFieldOf(message: string): string {
  const at = /got invalid value .* at "([^"]+)"/.exec(message);
  if (at) return at[1].replace(/\[\d+\]/g, '');
  return /^Variable "\$([^"]+)"/.exec(message)?.[1] ?? 'variables';
}

function hidden(error: GraphQLError, base: Pick<GraphQLFormattedError, 'locations' | 'path'>, log: Logger): Classified {
  log.error({ err: error.originalError ?? error, path: error.path }, 'unexpected error while resolving a request');
  return { formatted: { message: 'Internal server error', ...base, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, requestError: false };
}

/** Flattens Mercurius's wrapped validation errors into the graphql errors they carry. */
export function flattenErrors(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.flatMap((error) => {
    const inner = (error.originalError as { errors?: unknown } | undefined)?.errors;
    if (Array.isArray(inner)) {
      const status = (error.originalError as { statusCode?: unknown }).statusCode;
      return inner.map((e) => {
        if (e instanceof GraphQLError) return e;
        // e.g. "Operation cannot be performed via a GET request" inside a 405: keep the status.
        const wrapped = Object.assign(new Error(String((e as Error).message ?? e)), { statusCode: status });
        return new GraphQLError(wrapped.message, { originalError: wrapped });
      });
    }
    return [error];
  });
}

/** Whether the client asked for the GraphQL-over-HTTP media type. */
export function wantsGraphqlResponse(accept: string | undefined): boolean {
  if (!accept || accept === 'application/json') return false;
  const graphqlResponse = /application\/graphql-response\+json/i.test(accept);
  const json = /application\/json|\*\/\*/i.test(accept);
  return graphqlResponse && !(json && accept.toLowerCase().indexOf('application/json') < accept.toLowerCase().indexOf('application/graphql-response+json'));
}

/** Mercurius's `errorFormatter`: status code and body for a result with errors. */
export function formatExecution(
  execution: ExecutionResult & { errors: readonly GraphQLError[] },
  accept: string | undefined,
  log: Logger,
): { statusCode: number; response: FormattedExecutionResult; retryAfter?: number } {
  const classified = flattenErrors(execution.errors).map((e) => classifyError(e, log));
  const errors = classified.map((c) => c.formatted);
  const executed = execution.data !== undefined && execution.data !== null;
  // Nothing could run for want of the database: the request as a whole is unavailable (503).
  const nothingRan = !executed || Object.values(execution.data as Record<string, unknown>).every((v) => v === null);
  if (nothingRan && classified.every((c) => c.unavailable)) {
    return { statusCode: 503, response: { data: (execution.data ?? null) as FormattedExecutionResult['data'], errors }, retryAfter: UNAVAILABLE_RETRY_AFTER_SECONDS };
  }
  if (executed || !classified.every((c) => c.requestError)) {
    return { statusCode: 200, response: { data: (execution.data ?? null) as FormattedExecutionResult['data'], errors } };
  }
  const explicit = classified.find((c) => c.httpStatus)?.httpStatus;
  const statusCode = explicit ?? (wantsGraphqlResponse(accept) ? 400 : 200);
  return { statusCode, response: { errors } };
}
