import type { FastifyInstance } from 'fastify';
import type { GithubHookService } from '@headwaters/forwarding';

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * `POST /hooks/github/{upstreamSlug}`: GitHub's `issues` and `issue_comment` deliveries for an
 * upstream's linked issues. The signature covers the raw bytes, so this route reads its body
 * unparsed (its own content-type parser, in its own plugin scope); the answer comes at once.
 */
export function registerGithubHooks(fastify: FastifyInstance, hooks: GithubHookService, bodyLimit: number): void {
  void fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));
    scope.post<{ Params: { upstreamSlug: string } }>('/hooks/github/:upstreamSlug', async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const answer = await hooks.accept(
        request.params.upstreamSlug,
        {
          event: header(request.headers['x-github-event']),
          delivery: header(request.headers['x-github-delivery']),
          signature: header(request.headers['x-hub-signature-256']),
        },
        body,
      );
      return reply.code(answer.status).type('application/json; charset=utf-8').send({ message: answer.message });
    });
  });
}
