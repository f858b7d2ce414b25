import fastifyCors, { type FastifyCorsOptions } from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GRAPHQL_PATH } from './graphql-route-hooks';

/** The origins CORS_ORIGINS names: `*` for any, else the exact list. */
export function parseCorsOrigins(value: string): '*' | string[] {
  const trimmed = value.trim();
  if (trimmed === '*') return '*';
  return trimmed.split(',').map((origin) => origin.trim().replace(/\/+$/, '').toLowerCase());
}

/**
 * Lets pages of other origins call /graphql: any origin (or CORS_ORIGINS' list), GET and POST,
 * the preflight answered before anything else runs. Never `Access-Control-Allow-Credentials`: a
 * browser then neither sends this site's session cookie cross-origin through a preflighted request
 * nor lets the page read an answer given to a cookie, so other sites authenticate with a bearer
 * token. The web pages and the webhook receivers stay same-origin.
 *
 * CORS is off for the server as a whole and on for the /graphql routes through their own route
 * options, set once when the routes are declared: a request then costs no options resolved for it
 * (a per-request delegator normalized a fresh options object on every request).
 */
export async function registerCors(app: NestFastifyApplication, corsOrigins: string): Promise<void> {
  const origins = parseCorsOrigins(corsOrigins);
  const forGraphql: FastifyCorsOptions = {
    origin: origins === '*' ? '*' : (origin, callback) => callback(null, origin !== undefined && origins.includes(origin.toLowerCase())),
    methods: ['GET', 'POST'],
    credentials: false,
    allowedHeaders: ['content-type', 'authorization', 'accept', 'x-request-id', 'apollo-require-preflight', 'traceparent'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
    strictPreflight: true,
  };
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  fastify.addHook('onRoute', (route) => {
    if (route.url === GRAPHQL_PATH) route.config = { ...route.config, cors: forGraphql };
  });
  await app.register(fastifyCors, { origin: false });
  // The preflight of /graphql: answered by the CORS hook when the origin may call; a 404 (as on
  // every other path) when it may not.
  fastify.options(GRAPHQL_PATH, (request: FastifyRequest & { corsPreflightEnabled?: boolean }, reply) => {
    if (request.corsPreflightEnabled !== true) return reply.callNotFound();
    return reply.send();
  });
}
