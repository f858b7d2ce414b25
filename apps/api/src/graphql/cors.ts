import fastifyCors, { type FastifyCorsOptions } from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

const GRAPHQL_PATH = '/graphql';

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
  const elsewhere: FastifyCorsOptions = { origin: false };
  await app.register(fastifyCors, {
    delegator: (request: FastifyRequest, callback: (error: Error | null, options: FastifyCorsOptions) => void) => {
      const path = request.url.split('?', 1)[0];
      callback(null, path === GRAPHQL_PATH ? forGraphql : elsewhere);
    },
  } as FastifyCorsOptions);
}
