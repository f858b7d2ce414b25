import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { wantsGraphqlResponse } from './error-formatter';
import { addGraphqlRouteHook } from './graphql-route-hooks';

function badRequest(request: FastifyRequest, reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).type(contentTypeFor(request)).send({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
}

function contentTypeFor(request: FastifyRequest): string {
  return wantsGraphqlResponse(request.headers.accept) ? 'application/graphql-response+json; charset=utf-8' : 'application/json; charset=utf-8';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Makes Mercurius follow the GraphQL-over-HTTP spec: a well-formed request shape (a null
 * `extensions` is allowed, a non-string `query` is a 400), and the
 * `application/graphql-response+json` media type for clients that ask for it.
 */
export function registerGraphqlHttpCompliance(fastify: FastifyInstance, maxBatch: number): void {
  // The hooks are the GraphQL routes' own (see addGraphqlRouteHook) and take callbacks rather than
  // being async: they run for every operation, and a promise each is a cost of its own.
  // Before the body is read: only JSON in UTF-8 is a GraphQL request. A form post is how a
  // page of another site makes a browser send a request without asking first (CSRF), and a body
  // in another charset would be read as UTF-8 and mean something else.
  addGraphqlRouteHook(fastify, 'onRequest', (request, reply, done) => {
    if (request.method !== 'POST') return done();
    const problem = unsupportedMediaType(request.headers['content-type']) ?? unsupportedEncoding(request.headers['content-encoding']);
    if (!problem) return done();
    reply.header('connection', 'close');
    reply.code(415).type(contentTypeFor(request)).send({ errors: [{ message: problem, extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] });
  });

  addGraphqlRouteHook(fastify, 'preValidation', (request, reply, done) => {
    if (requestProblem(request, reply, maxBatch) === undefined) done();
  });

  addGraphqlRouteHook(fastify, 'onSend', (request, reply, payload, done) => {
    if (wantsGraphqlResponse(request.headers.accept)) {
      const type = String(reply.getHeader('content-type') ?? '');
      if (type.startsWith('application/json')) reply.header('content-type', 'application/graphql-response+json; charset=utf-8');
    }
    done(null, payload);
  });
}

/** Answers 400 and returns the reply when the request's shape is wrong; undefined when it may go on. */
function requestProblem(request: FastifyRequest, reply: FastifyReply, maxBatch: number): FastifyReply | undefined {
  if (request.method === 'POST') {
    const body = request.body;
    if (Array.isArray(body)) {
      if (body.length === 0) return badRequest(request, reply, 'A batch must hold at least one operation');
      if (body.length > maxBatch) return badRequest(request, reply, `A batch holds at most ${maxBatch} operations (QUERY_MAX_BATCH); this one holds ${body.length}`);
      for (const [index, operation] of body.entries()) {
        const problem = operationProblem(operation);
        if (problem) return badRequest(request, reply, `Operation ${index} of the batch: ${problem}`);
      }
      return undefined;
    }
    const problem = operationProblem(body);
    if (problem) return badRequest(request, reply, problem);
  } else if (request.method === 'GET' && !isWebSocketUpgrade(request.headers)) {
    const query = request.query as Record<string, unknown>;
    const hashOnly = query.query === undefined && typeof query.extensions === 'string' && query.extensions.includes('persistedQuery');
    if (typeof query.query !== 'string' && !hashOnly) return badRequest(request, reply, 'The "query" parameter must hold a GraphQL document');
    for (const key of ['variables', 'extensions'] as const) {
      if (typeof query[key] !== 'string') continue;
      try {
        const parsed: unknown = JSON.parse(query[key]);
        if (parsed !== null && !isPlainObject(parsed)) return badRequest(request, reply, `"${key}" must be a JSON object`);
        if (parsed === null) delete query[key];
      } catch {
        return badRequest(request, reply, `"${key}" is not valid JSON`);
      }
    }
  }
  return undefined;
}

/** What is wrong with one operation of a POST body (its shape, not its document), or null. */
function operationProblem(body: unknown): string | null {
  if (!isPlainObject(body)) return 'The request body must be a JSON object with a "query"';
  for (const key of ['extensions', 'variables', 'operationName'] as const) {
    if (body[key] === null) delete body[key];
  }
  // A hash-only request (automatic persisted queries) names its document in extensions.
  const hashOnly = body.query === undefined && isPlainObject(body.extensions) && isPlainObject(body.extensions.persistedQuery);
  if (typeof body.query !== 'string' && !hashOnly) return '"query" must be a string holding a GraphQL document';
  if (body.variables !== undefined && !isPlainObject(body.variables)) return '"variables" must be a JSON object';
  if (body.operationName !== undefined && typeof body.operationName !== 'string') return '"operationName" must be a string';
  if (body.extensions !== undefined && !isPlainObject(body.extensions)) return '"extensions" must be a JSON object';
  return null;
}

/** Why a POST body of this Content-Type is not taken, or null when it is (JSON in UTF-8). */
export function unsupportedMediaType(header: string | undefined): string | null {
  if (!header) return 'Send the request as Content-Type: application/json';
  // What nearly every client sends, accepted without taking the header apart.
  if (header === 'application/json' || header === 'application/json; charset=utf-8') return null;
  const [type, ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return `Content-Type ${type || '(none)'} is not accepted: send application/json`;
  for (const parameter of parameters) {
    const [name, value] = parameter.split('=').map((p) => p.trim().replace(/^"(.*)"$/, '$1'));
    if (name === 'charset' && value !== 'utf-8' && value !== 'utf8') return `charset ${value} is not accepted: send the JSON in UTF-8`;
  }
  return null;
}

/** Why a POST body sent with this Content-Encoding is not taken (any but identity), or null when it is. */
export function unsupportedEncoding(header: string | undefined): string | null {
  if (header === undefined) return null;
  const encoding = header.trim().toLowerCase();
  return encoding === '' || encoding === 'identity' ? null : `Content-Encoding ${encoding} is not accepted: send the body uncompressed`;
}

/** A WebSocket handshake at /graphql carries live subscriptions, not a GET query. */
function isWebSocketUpgrade(headers: Record<string, string | string[] | undefined>): boolean {
  const upgrade = headers.upgrade;
  return typeof upgrade === 'string' && upgrade.toLowerCase() === 'websocket';
}
