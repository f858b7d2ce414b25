import { createClient, type Client } from 'graphql-ws';
import type { TestApp } from './test-app';

// Node 20 has no WebSocket of its own: the `ws` package is the client's socket.
const { WebSocket } = require('ws') as { WebSocket: unknown };

export interface LiveEvent {
  type: string;
  summary: string;
  actor: { username: string } | null;
  item: { number: number };
}

/** One live subscription over a real graphql-ws client: what arrived, and how to stop. */
export interface LiveSubscription {
  events: LiveEvent[];
  errors: unknown[];
  /** Resolves once `count` events have arrived (or rejects after `timeoutMs`). */
  until(count: number, timeoutMs?: number): Promise<LiveEvent[]>;
  close(): Promise<void>;
}

/** A graphql-transport-ws client of `app`, signed in with `token` in connection_init when given. */
export function liveClient(app: TestApp, token?: string): Client {
  return createClient({
    url: `${app.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : undefined,
    retryAttempts: 0,
    lazy: true,
  });
}

/**
 * Subscribes to `itemEvents` (of one item, or all with null) and resolves once the server has
 * acknowledged the subscription, so events committed afterwards are expected to arrive.
 */
export async function subscribeItemEvents(app: TestApp, itemId: string | null, token?: string): Promise<LiveSubscription> {
  const client = liveClient(app, token);
  const events: LiveEvent[] = [];
  const errors: unknown[] = [];
  let ended = false;
  const waiters: (() => void)[] = [];
  const poke = () => waiters.splice(0).forEach((w) => w());
  const dispose = client.subscribe<{ itemEvents: LiveEvent }>(
    { query: `subscription ($itemId: ID) { itemEvents(itemId: $itemId) { type summary actor { username } item { number } } }`, variables: { itemId } },
    {
      next: (value) => {
        if (value.errors) errors.push(...value.errors);
        if (value.data) events.push(value.data.itemEvents);
        poke();
      },
      error: (error) => {
        const closed = error as { code?: number; reason?: string };
        if (Array.isArray(error)) errors.push(...error);
        else errors.push(closed && typeof closed.code === 'number' ? { code: closed.code, reason: closed.reason } : error);
        ended = true;
        poke();
      },
      complete: () => {
        ended = true;
        poke();
      },
    },
  );
  // The server starts listening before it runs the subscription; a short settle covers the
  // moment between the client's subscribe message and the LISTEN being in place.
  await new Promise<void>((resolve) => {
    const started = Date.now();
    const check = () => (ended || Date.now() - started > 300 ? resolve() : setTimeout(check, 20));
    check();
  });
  return {
    events,
    errors,
    until: (count, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${events.length} of ${count} live events arrived; errors: ${JSON.stringify(errors)}`)), timeoutMs);
        const check = () => {
          if (events.length >= count) {
            clearTimeout(timer);
            resolve(events);
          } else if (ended) {
            clearTimeout(timer);
            reject(new Error(`the subscription ended after ${events.length} events: ${JSON.stringify(errors)}`));
          } else waiters.push(check);
        };
        check();
      }),
    close: async () => {
      dispose();
      await client.dispose();
    },
  };
}
