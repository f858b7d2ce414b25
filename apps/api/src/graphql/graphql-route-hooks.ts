import type { FastifyInstance, RouteOptions } from 'fastify';

/** The path of the GraphQL endpoint (its GET, POST and OPTIONS routes). */
export const GRAPHQL_PATH = '/graphql';

type RouteHookName = 'onRequest' | 'preValidation' | 'onSend' | 'onResponse';

/**
 * Adds `hook` to the routes of the GraphQL endpoint only, ahead of the route's own hooks (where a
 * hook of the whole server would run, before any route's). A hook of the whole server that
 * asks each request for its route (`request.routeOptions.url`) costs every request that question:
 * Fastify builds `routeOptions` afresh at each read, a dozen fields and a lookup of the
 * server's constraint strategies, and four such hooks read it four times a request.
 *
 * Must be called before the routes are added (before the application is initialised).
 */
export function addGraphqlRouteHook<Name extends RouteHookName>(fastify: FastifyInstance, name: Name, hook: NonNullable<RouteOptions[Name]> extends (infer H)[] | infer H ? H : never): void {
  fastify.addHook('onRoute', (route) => {
    if (route.url !== GRAPHQL_PATH) return;
    const own = route[name] as unknown;
    const hooks: unknown[] = own === undefined || own === null ? [] : Array.isArray(own) ? own : [own];
    (route as unknown as Record<RouteHookName, unknown[]>)[name] = [hook, ...hooks];
  });
}
