import type { FastifyInstance, RouteOptions } from 'fastify';

/** The path of the GraphQL endpoint (its GET, POST and OPTIONS routes). */
export const GRAPHQL_PATH = '/graphql';

type RouteHookName = 'onRequest' | 'preValidation' | 'onSend' | 'onResponse';

/** The hooks added so far, by server and hook name, in the order they were added. */
const ADDED = new WeakMap<FastifyInstance, Map<RouteHookName, unknown[]>>();

/**
 * Adds `hook` to the routes of the GraphQL endpoint only, ahead of the route's own hooks (where a
 * hook of the whole server would run, before any route's). A hook of the whole server that
 * asks each request for its route (`request.routeOptions.url`) costs every request that question:
 * Fastify builds `routeOptions` afresh at each read, a dozen fields and a lookup of the
 * server's constraint strategies, and four such hooks read it four times a request.
 *
 * Hooks of one name run in the order they were added. Must be called before the routes are added
 * (before the application is initialised).
 */
export function addGraphqlRouteHook<Name extends RouteHookName>(fastify: FastifyInstance, name: Name, hook: NonNullable<RouteOptions[Name]> extends (infer H)[] | infer H ? H : never): void {
  let ours = ADDED.get(fastify);
  if (!ours) {
    const added = new Map<RouteHookName, unknown[]>();
    ADDED.set(fastify, (ours = added));
    fastify.addHook('onRoute', (route) => {
      if (route.url !== GRAPHQL_PATH) return;
      for (const [hookName, hooks] of added) (route as unknown as Record<RouteHookName, unknown[]>)[hookName] = [...hooks, ...routeHooks(route, hookName)];
    });
  }
  ours.set(name, [...(ours.get(name) ?? []), hook]);
}

/** The hooks of one kind a route was declared with, as a list (Fastify takes one hook or an array). */
export function routeHooks(route: RouteOptions, name: RouteHookName): unknown[] {
  const own = route[name] as unknown;
  return own === undefined || own === null ? [] : Array.isArray(own) ? own : [own];
}
