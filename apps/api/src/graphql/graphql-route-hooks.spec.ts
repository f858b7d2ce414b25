import Fastify from 'fastify';
import { addGraphqlRouteHook } from './graphql-route-hooks';

describe('addGraphqlRouteHook', () => {
  it('runs hooks for the GraphQL routes only, in the order added, ahead of the routes\' own', async () => {
    const fastify = Fastify();
    const ran: string[] = [];
    addGraphqlRouteHook(fastify, 'onRequest', (request, _reply, done) => {
      ran.push(`ours ${request.method} ${request.url}`);
      done();
    });
    addGraphqlRouteHook(fastify, 'onRequest', (_request, _reply, done) => {
      ran.push('ours, added second');
      done();
    });
    addGraphqlRouteHook(fastify, 'onSend', (_request, reply, payload, done) => {
      reply.header('x-graphql-route', 'yes');
      done(null, payload);
    });
    const own = (name: string) => (_request: unknown, _reply: unknown, done: () => void) => {
      ran.push(name);
      done();
    };
    fastify.post('/graphql', { onRequest: own('route POST') }, async () => ({ data: null }));
    fastify.get('/graphql', { onRequest: [own('route GET 1'), own('route GET 2')] }, async () => ({ data: null }));
    fastify.get('/health/live', async () => ({ status: 'ok' }));
    await fastify.ready();

    const post = await fastify.inject({ method: 'POST', url: '/graphql', payload: {} });
    const get = await fastify.inject({ method: 'GET', url: '/graphql?query=x' });
    const other = await fastify.inject({ method: 'GET', url: '/health/live' });
    expect(ran).toEqual(['ours POST /graphql', 'ours, added second', 'route POST', 'ours GET /graphql?query=x', 'ours, added second', 'route GET 1', 'route GET 2']);
    expect(post.headers['x-graphql-route']).toBe('yes');
    expect(get.headers['x-graphql-route']).toBe('yes');
    expect(other.headers['x-graphql-route']).toBeUndefined();
    await fastify.close();
  });
});
