import { MercuriusDriver } from '@nestjs/mercurius';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import mercurius from 'mercurius';
import { LeanMercuriusDriver, dropIdleCsrfCheck } from './lean-mercurius-driver';
import { RequestContext } from './request-context';

describe('LeanMercuriusDriver', () => {
  const request = { ip: '127.0.0.1', headers: {} } as unknown as FastifyRequest;
  const reply = {} as FastifyReply;
  const make = (r: FastifyRequest, p: FastifyReply) => new RequestContext(r, p, { authenticate: async () => null });

  it('hands Mercurius the context function as given, where Nest wraps it in an async one', async () => {
    const merged = await new LeanMercuriusDriver().mergeDefaultOptions({ context: make, path: '/graphql' });
    expect(merged.context).toBe(make);
    const context = (merged.context as typeof make)(request, reply);
    expect(context).toBeInstanceOf(RequestContext);
    expect(context.req).toBe(request);
    const nest = await new MercuriusDriver().mergeDefaultOptions({ context: make, path: '/graphql' });
    expect((nest.context as typeof make)(request, reply)).toBeInstanceOf(Promise);
  });

  it('makes what Nest makes: a context whose req is the request, other options untouched', async () => {
    const options = { context: make, path: 'graphql', jit: 1 };
    const ours = await new LeanMercuriusDriver().mergeDefaultOptions({ ...options });
    const nest = await new MercuriusDriver().mergeDefaultOptions({ ...options });
    const fromNest = (await (nest.context as (r: FastifyRequest, p: FastifyReply) => Promise<RequestContext>)(request, reply)) as RequestContext & { req: unknown };
    expect(fromNest.req).toBe(request);
    expect(Object.keys(fromNest)).toEqual(Object.keys((ours.context as typeof make)(request, reply)));
    const { context: _ours, ...restOurs } = ours;
    const { context: _nest, ...restNest } = nest;
    expect(restOurs).toEqual(restNest);
  });
});

describe("Mercurius's CSRF check with the prevention off", () => {
  /** The onRequest hooks of the GraphQL routes Mercurius adds, as they reach the router. */
  async function graphqlOnRequest(drop: boolean): Promise<Record<string, unknown[]>> {
    const fastify = Fastify();
    if (drop) dropIdleCsrfCheck(fastify, '/graphql');
    const seen: Record<string, unknown[]> = {};
    fastify.addHook('onRoute', (route) => {
      if (route.url !== '/graphql') return;
      const hooks = route.onRequest;
      seen[String(route.method)] = hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];
    });
    await fastify.register(mercurius, { schema: 'type Query { answer: Int }', resolvers: { Query: { answer: () => 42 } } });
    await fastify.ready();
    const response = await fastify.inject({ method: 'POST', url: '/graphql', payload: { query: '{ answer }' } });
    expect(response.json()).toEqual({ data: { answer: 42 } });
    await fastify.close();
    return seen;
  }

  it('is taken out of the GraphQL routes, which answer as before', async () => {
    const kept = await graphqlOnRequest(false);
    expect(kept.POST.map(String).some((hook) => /checkCSRFPrevention/.test(hook))).toBe(true);
    expect(kept.GET.map(String).some((hook) => /checkCSRFPrevention/.test(hook))).toBe(true);
    const dropped = await graphqlOnRequest(true);
    expect(dropped.POST).toEqual([]);
    expect(dropped.GET).toEqual([]);
  });
});
