import { MercuriusDriver } from '@nestjs/mercurius';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LeanMercuriusDriver } from './lean-mercurius-driver';
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
