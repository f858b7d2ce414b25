import type { FastifyInstance, FastifyRequest } from 'fastify';
import { QueryScope, runInQueryScope } from '@headwaters/database';

const SCOPE = Symbol('headwaters.queryScope');

/**
 * Gives every request a QueryScope: when its client goes away before the answer is sent, the
 * statements it is running are cancelled and it runs no more. The scope is entered again once the
 * body has been read (the body's events run outside the request's asynchronous context).
 */
export function registerQueryScopes(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const scope = new QueryScope();
    (request as FastifyRequest & { [SCOPE]?: QueryScope })[SCOPE] = scope;
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) scope.abandon();
    });
    runInQueryScope(scope, done);
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const scope = (request as FastifyRequest & { [SCOPE]?: QueryScope })[SCOPE];
    if (scope) runInQueryScope(scope, done);
    else done();
  });
}
