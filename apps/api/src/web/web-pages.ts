import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { databaseUnavailability } from '@headwaters/database';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../graphql/error-formatter';
import type { Authenticator } from '../graphql/request-context';
import { registerAssets } from './assets';
import { securityHeaders, type WebDeps } from './page';
import { registerAccountPages } from './pages/account-pages';
import { registerAuthPages } from './pages/auth-pages';
import { registerBrowsePages } from './pages/browse-pages';
import { registerCataloguePages } from './pages/catalogue-pages';
import { registerInboxPage } from './pages/inbox-page';
import { registerItemPages } from './pages/item-pages';
import { registerNewPage } from './pages/new-page';
import { PublicCache } from './public-cache';
import { SchemaFeatures } from './schema-features';
import { validPost } from './session';

/**
 * The web pages, as a Fastify plugin of the API's own instance: rendered on the server, reading
 * and writing through the API's schema in process. Every form post must carry the CSRF token.
 */
export function webPages(authenticator: Authenticator) {
  return async function plugin(fastify: FastifyInstance): Promise<void> {
    const root = fastify as unknown as { graphql?: { schema?: GraphQLSchema } };
    const deps: WebDeps = { fastify, authenticator, features: new SchemaFeatures(() => root.graphql?.schema), cache: new PublicCache(15_000) };
    fastify.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.method !== 'POST') return;
      if (!validPost(request)) {
        return securityHeaders(reply)
          .code(403)
          .type('text/html; charset=utf-8')
          .send('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Form expired · Headwaters</title></head><body><main><h1>This form has expired</h1><p>Go back, reload the page and send it again.</p></main></body></html>');
      }
      return undefined;
    });
    // What a page reads outside the schema (the session's viewer) can meet the database away too:
    // that is a 503 to try again, as the API says it, not an internal error.
    fastify.setErrorHandler((error, _request, reply) => {
      if (!databaseUnavailability(error)) throw error;
      return securityHeaders(reply)
        .code(503)
        .header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS))
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Try again shortly · Headwaters</title></head><body><main><h1>Try again shortly</h1><p role="alert">The database cannot serve this page right now. Reload in a few seconds.</p></main></body></html>');
    });
    registerAssets(fastify);
    registerAuthPages(fastify, deps);
    registerBrowsePages(fastify, deps);
    registerItemPages(fastify, deps);
    registerNewPage(fastify, deps);
    registerInboxPage(fastify, deps);
    registerCataloguePages(fastify, deps);
    registerAccountPages(fastify, deps);
  };
}
