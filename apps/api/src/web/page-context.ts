import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '@headwaters/core';
import { RequestContext, type Authenticator } from '../graphql/request-context';

/**
 * The GraphQL context of a page: the API's own, with the viewer taken from the session cookie
 * instead of an Authorization header. A cookie whose session ended is simply signed out.
 */
export class PageRequestContext extends RequestContext {
  constructor(
    request: FastifyRequest,
    reply: FastifyReply,
    authenticator: Authenticator,
    private readonly sessionToken: string | undefined,
  ) {
    super(request, reply, authenticator);
  }

  /** Whether a session cookie was sent but no longer stands for anyone. */
  staleSession = false;

  override get isAnonymous(): boolean {
    return !this.sessionToken;
  }

  protected override async resolveActor(): Promise<Actor | null> {
    if (!this.sessionToken) return null;
    const actor = await this.authenticator.authenticate(this.sessionToken);
    if (!actor) this.staleSession = true;
    return actor;
  }
}
