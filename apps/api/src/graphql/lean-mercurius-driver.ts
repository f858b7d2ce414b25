import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { routeHooks } from './graphql-route-hooks';
import { dropIdleRequestHooks } from './idle-request-hooks';

/**
 * Mercurius's check of CSRF prevention: an async onRequest hook of its GraphQL routes, which every
 * request runs (a promise and an await through Fastify's hook runner) whether the prevention is on
 * or not. Recognised by its source.
 */
const MERCURIUS_CSRF_CHECK = /csrfConfig\s*&&\s*checkCSRFPrevention\(/;

/**
 * Nest's Mercurius driver, without two per-operation costs of its own that the application does
 * not use:
 * - Nest wraps a context function in an async one that adds `req` to the context it makes: one
 *   more promise and await before every operation. The application's function is handed to
 *   Mercurius as it is: its RequestContext has `req` already (what Nest's GqlExecutionContext
 *   users read), so the wrapper would add nothing.
 * - Nest's request hooks, while none is set, run no hook of Mercurius (see dropIdleRequestHooks).
 * And one of Mercurius's: with `csrfPrevention` unset (the application refuses what a form can
 * post by its Content-Type, see http-compliance), its GraphQL routes go without the hook that
 * would check it.
 */
export class LeanMercuriusDriver extends MercuriusDriver {
  override async mergeDefaultOptions(options: MercuriusDriverConfig): Promise<MercuriusDriverConfig> {
    const given = options.context;
    const merged = await super.mergeDefaultOptions(options);
    if (typeof given === 'function') merged.context = given;
    return merged;
  }

  override async start(options: MercuriusDriverConfig): Promise<void> {
    if (!options.csrfPrevention) dropIdleCsrfCheck(this.instance as unknown as FastifyInstance, options.path ?? '/graphql');
    await super.start(options);
    if (this.resolverDecoratorHost) dropIdleRequestHooks((this.instance as unknown as { graphql: object }).graphql, this.resolverDecoratorHost);
  }
}

/** Takes Mercurius's CSRF check (with the prevention off, a hook that does nothing) out of the routes at `path` as they are added. */
export function dropIdleCsrfCheck(fastify: FastifyInstance, path: string): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (route.url !== path) return;
    const hooks = routeHooks(route, 'onRequest');
    const kept = hooks.filter((hook) => !MERCURIUS_CSRF_CHECK.test(String(hook)));
    if (kept.length !== hooks.length) route.onRequest = kept.length ? (kept as RouteOptions['onRequest']) : undefined;
  });
}
