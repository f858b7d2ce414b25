import DataLoader from 'dataloader';
import { DomainError, type Actor } from '@headwaters/core';
import type { Authenticator } from './request-context';

/**
 * What a WebSocket connection's operations see as their context: the same methods resolvers use
 * on a {@link RequestContext} (actor, requireActor, loader), as own properties, because Mercurius
 * copies the connection's context into each operation. The actor is the one signed in with
 * `{"authorization": "Bearer <token>"}` in `connection_init`; loaders are emptied before each
 * event so no event is answered from another one's reads.
 */
export interface LiveContext {
  actor(): Promise<Actor | null>;
  requireActor(): Promise<Actor>;
  loader<K, V>(name: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V>;
  /** Forgets what the loaders read: called before each event is resolved. */
  freshLoaders(): void;
  address: string;
}

/**
 * `onConnect` of the WebSocket transport: the connection's context. A malformed, unknown, revoked
 * or expired token does not sign in as anonymous: each operation of that connection is answered
 * UNAUTHENTICATED, as over HTTP.
 */
export async function connectLive(authenticator: Authenticator, payload: unknown, address: string): Promise<LiveContext> {
  const header = (payload as { authorization?: unknown; Authorization?: unknown } | null | undefined)?.authorization ?? (payload as { Authorization?: unknown } | null | undefined)?.Authorization;
  let actor: Actor | null = null;
  let refusal: DomainError | null = null;
  if (header !== undefined && header !== null) {
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) refusal = DomainError.unauthenticated('MALFORMED_AUTHORIZATION', 'connection_init\'s "authorization" must be "Bearer <token>"');
    else {
      actor = await authenticator.authenticate(match[1]);
      if (!actor) refusal = DomainError.unauthenticated('INVALID_TOKEN', 'The token is unknown, revoked or expired: sign in again');
    }
  }
  let loaders = new Map<string, DataLoader<unknown, unknown>>();
  return {
    actor: async () => {
      if (refusal) throw refusal;
      return actor;
    },
    requireActor: async () => {
      if (refusal) throw refusal;
      if (!actor) throw DomainError.unauthenticated('AUTHENTICATION_REQUIRED', 'Sign in first: send {"authorization": "Bearer <token>"} in connection_init');
      return actor;
    },
    loader: <K, V>(name: string, batch: (keys: readonly K[]) => Promise<V[]>) => {
      let loader = loaders.get(name) as DataLoader<K, V> | undefined;
      if (!loader) {
        loader = new DataLoader<K, V>((keys) => batch(keys), { maxBatchSize: 1000 });
        loaders.set(name, loader as DataLoader<unknown, unknown>);
      }
      return loader;
    },
    freshLoaders: () => {
      loaders = new Map();
    },
    address,
  };
}
