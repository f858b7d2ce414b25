import type { FastifyInstance } from 'fastify';
import type { GraphQLFormattedError } from 'graphql';
import type { PageRequestContext } from './page-context';

/** An error as the API reports it, with its `extensions.code` and, for bad input, `field`. */
export interface ApiError {
  message: string;
  code: string;
  field?: string;
}

export interface ApiResult<T> {
  data: T | null;
  errors: ApiError[];
}

type GraphqlExecutor = (source: string, context: unknown, variables?: Record<string, unknown>) => Promise<{ data?: unknown; errors?: readonly GraphQLFormattedError[] }>;

/**
 * Runs one operation through the API's schema in this process (Mercurius's `app.graphql`), so a
 * page has exactly the API's rights, limits and errors; errors come back formatted by the API's
 * one error mapping.
 */
export async function runGraphql<T>(fastify: FastifyInstance, context: PageRequestContext, source: string, variables?: Record<string, unknown>): Promise<ApiResult<T>> {
  const execute = (fastify as unknown as { graphql: GraphqlExecutor }).graphql.bind(fastify);
  try {
    const result = await execute(source, context, variables);
    return { data: (result.data ?? null) as T | null, errors: (result.errors ?? []).map(toApiError) };
  } catch (error) {
    // Mercurius throws on validation problems, e.g. a variable of the wrong shape from a URL.
    const inner = (error as { errors?: { message: string }[] }).errors;
    if (Array.isArray(inner)) return { data: null, errors: inner.map((e) => ({ message: e.message, code: 'BAD_USER_INPUT' })) };
    throw error;
  }
}

function toApiError(error: GraphQLFormattedError): ApiError {
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
  const field = typeof error.extensions?.field === 'string' ? error.extensions.field : undefined;
  return { message: error.message, code, ...(field ? { field } : {}) };
}

/** The HTTP status a page answers for an API error. */
export function statusOf(code: string): number {
  switch (code) {
    case 'BAD_USER_INPUT':
      return 400;
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'RATE_LIMITED':
      return 429;
    case 'SERVICE_UNAVAILABLE':
      return 503;
    default:
      return 500;
  }
}
