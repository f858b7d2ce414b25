import DataLoader from 'dataloader';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type Actor } from '@headwaters/core';
import type { BudgetState } from './rate-budget';

/** Turns a bearer token into the actor it stands for (null: unknown, revoked or expired). */
export interface Authenticator {
  authenticate(token: string): Promise<Actor | null>;
}

/**
 * Everything a GraphQL request carries: who asks (resolved once, lazily), where from, and the
 * per-request DataLoaders that keep field resolvers from issuing a query per object.
 */
export class RequestContext {
  private actorPromise?: Promise<Actor | null>;
  private readonly loaderCache = new Map<string, DataLoader<unknown, unknown>>();
  /** What this request cost and what is left of the hourly budget (set before it runs). */
  rateLimit?: BudgetState;
  /**
   * Points the operations of this HTTP request have cost so far (a batch is capped as its sum),
   * and its turn at the expensive-request gate once it has asked for one: shared by the
   * operations of a batch, each of which sees this context through its own.
   */
  readonly spent: { cost: number; turn?: Promise<void> } = { cost: 0 };
  /** Set by Mercurius on each operation of a batch: its place in the array. */
  operationId?: number;

  constructor(
    readonly request: FastifyRequest,
    readonly reply: FastifyReply,
    protected readonly authenticator: Authenticator,
  ) {}

  /** The request, under the name Nest's GraphQL execution context gives it. */
  get req(): FastifyRequest {
    return this.request;
  }

  /** The client's address, for rate limits. */
  get address(): string {
    return this.request.ip;
  }

  /**
   * The signed-in actor, or null for an anonymous request. A token that is sent but not valid is
   * UNAUTHENTICATED rather than silently anonymous, so clients learn their token is bad.
   */
  actor(): Promise<Actor | null> {
    this.actorPromise ??= this.resolveActor();
    return this.actorPromise;
  }

  /**
   * True when the request sent no credentials at all, so it is anonymous without asking anyone:
   * fields that differ for signed-in viewers answer at once. (A sent token may still turn out bad;
   * then this is false and `actor()` says so.)
   */
  get isAnonymous(): boolean {
    return this.request.headers.authorization === undefined;
  }

  /** The actor; UNAUTHENTICATED when the request is anonymous. */
  async requireActor(): Promise<Actor> {
    const actor = await this.actor();
    if (!actor) throw DomainError.unauthenticated('AUTHENTICATION_REQUIRED', 'Sign in first: send "Authorization: Bearer <token>" (from login or register)');
    return actor;
  }

  /** The request's one DataLoader named `name`, made from `batch` on first use. */
  loader<K, V>(name: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
    let loader = this.loaderCache.get(name) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>((keys) => batch(keys), { maxBatchSize: 1000 });
      this.loaderCache.set(name, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }

  /** Where the actor comes from: the bearer token here; the web pages read their session cookie instead. */
  protected async resolveActor(): Promise<Actor | null> {
    const header = this.request.headers.authorization;
    if (!header) return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw DomainError.unauthenticated('MALFORMED_AUTHORIZATION', 'The Authorization header must be "Bearer <token>"');
    const actor = await this.authenticator.authenticate(match[1]);
    if (!actor) throw DomainError.unauthenticated('INVALID_TOKEN', 'The token is unknown, revoked or expired: sign in again');
    return actor;
  }
}

/** Until identity is wired in, no token is valid. */
export class NoAuthenticator implements Authenticator {
  async authenticate(): Promise<Actor | null> {
    return null;
  }
}
