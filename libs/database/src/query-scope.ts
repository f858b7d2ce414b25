import { AsyncLocalStorage } from 'node:async_hooks';
import { Client, type Pool, type PoolClient } from 'pg';
import { bindToActiveTrace } from '@headwaters/core';
import { AfterCommitAnnounces, ANNOUNCE_COMMITTED } from './announce-after-commit';
import { PlanModes, preparedArguments } from './prepared-statements';
import { RequestAbandonedError } from './unavailable';

/**
 * The statements one request runs, so that they can be stopped when its client goes away: a
 * request whose client has gone should not keep database backends busy (a thousand similarity
 * queries went on for minutes after their client gave up).
 */
export class QueryScope {
  private abandoned = false;
  private readonly running = new Set<PoolClient>();
  private connectionLimit = 0;
  private readonly slots = new Map<Pool, { held: number; waiting: { take: () => void; refuse: (error: Error) => void }[] }>();

  get isAbandoned(): boolean {
    return this.abandoned;
  }

  /** The client has gone: cancel the statements running for it, refuse any further one. */
  abandon(): void {
    if (this.abandoned) return;
    this.abandoned = true;
    for (const client of this.running) cancelRunning(client);
    for (const slot of this.slots.values()) for (const waiter of slot.waiting.splice(0)) waiter.refuse(new RequestAbandonedError());
  }

  /**
   * From now on the scope holds at most `connections` connections of each pool at once: a further
   * one waits until one of them is given back, so one request cannot take the whole pool.
   */
  limitConnections(connections: number): void {
    this.connectionLimit = Math.max(1, Math.floor(connections));
  }

  /** Whether a connection limit applies (see limitConnections). */
  get limited(): boolean {
    return this.connectionLimit > 0;
  }

  /** @internal A connection of `pool` may be taken: resolves with the function that gives the slot back (null: no limit). */
  slot(pool: Pool): Promise<(() => void) | null> {
    if (this.connectionLimit === 0) return Promise.resolve(null);
    if (this.abandoned) return Promise.reject(new RequestAbandonedError());
    let slot = this.slots.get(pool);
    if (!slot) this.slots.set(pool, (slot = { held: 0, waiting: [] }));
    const taken = slot;
    const free = () => {
      let given = false;
      return () => {
        if (given) return;
        given = true;
        const next = taken.waiting.shift();
        if (next) next.take();
        else taken.held--;
      };
    };
    if (taken.held < this.connectionLimit) {
      taken.held++;
      return Promise.resolve(free());
    }
    return new Promise((resolve, reject) => taken.waiting.push({ take: () => resolve(free()), refuse: reject }));
  }

  /** @internal */
  started(client: PoolClient): void {
    this.running.add(client);
  }

  /** @internal */
  finished(client: PoolClient): void {
    this.running.delete(client);
  }
}

/**
 * On Node 20 an AsyncLocalStorage in use turns on the promise hooks for the whole process: every
 * promise and async resource then costs an init hook and a before and after hook. Measured on an
 * item read (100,000 items), the same server with this storage left unused spent 3-10% less CPU a
 * request when served alone on its core, and 17-34% less with other servers loaded on the same
 * core (as on a busy machine). Node 22's AsyncContextFrame (--experimental-async-context-frame,
 * the default from Node 24) carries the store without those hooks, but won back only a few per
 * cent of it in the busy measurement (the same server on Node 22 with and without it). What would
 * save it all is to hand the scope down explicitly, as a request context every service method
 * takes.
 */
const storage = new AsyncLocalStorage<QueryScope>();
const WATCHED = Symbol('headwaters.queryScope');

/** The scope the caller runs in (undefined outside any request). */
export function currentQueryScope(): QueryScope | undefined {
  return storage.getStore();
}

/** Runs `work` (and everything it starts) within `scope`. */
export function runInQueryScope<T>(scope: QueryScope, work: () => T): T {
  return storage.run(scope, work);
}

/**
 * Runs `work` (and everything it starts) outside any request's scope: for what a request sets
 * going that outlives it, such as a shared listening connection, whose later statements belong
 * to no request and must not be refused when the request that started it has gone.
 */
export function outsideQueryScope<T>(work: () => T): T {
  return storage.exit(work);
}

/**
 * Makes the pool's connections answer to the scope their statements run in: a statement of an
 * abandoned scope is refused before it is sent, and one running when the scope is abandoned is
 * cancelled on the server (PostgreSQL's cancel request, on a connection of its own). Statements
 * marked {@link prepared} go as named statements, planned once per session (see PlanModes).
 */
export function watchPool(pool: Pool): void {
  const watch = (client: PoolClient) => {
    const marked = client as Watched;
    if (marked[WATCHED]) return;
    marked[WATCHED] = true;
    // Heard for as long as the connection lives, taken or idle: a connection the server ends
    // while it is taken by something that listens to nothing (a transaction between two
    // statements, or any code that took it with pool.connect()) would otherwise raise an
    // 'error' nobody hears, which ends the process. The pool drops the connection when it is
    // given back (pg marks it not queryable), and its taker learns why (brokenConnection).
    marked.on('error', (error: Error) => {
      marked[BROKEN] ??= error;
    });
    // Looked up at each call, not bound once: whatever wraps Client.prototype.query later (tracing,
    // a test counting statements) still sees every statement of a connection made before it.
    const prototype = Object.getPrototypeOf(client) as { query: (...args: unknown[]) => unknown };
    const send = (...args: unknown[]) => sendWithCallback(client, prototype.query, args);
    const plans = new PlanModes();
    const announces = new AfterCommitAnnounces();
    const query = (...args: unknown[]) => {
      const [text, values] = args;
      const planned = plans.opening(text, values);
      const opening = announces.opening(text, values, planned);
      if (opening !== null) {
        if (planned === null) plans.before(args);
        return send(opening, ...args.slice(1));
      }
      // Queued ahead of the statement on this connection (pg sends a connection's statements in
      // order); should it fail, the transaction is already failing and the statement says why.
      const setting = plans.before(args);
      if (setting) (send(setting) as Promise<unknown>).catch(() => undefined);
      const result = send(...preparedArguments(args));
      // Queued right behind the commit, so it goes as soon as the commit has returned. Should it
      // fail, the ids stay in the session for the connection's next announcement; cancelled (a
      // cancel meant for the commit of an abandoned request lands on the next statement), it is
      // sent again once that cancel has reached the server.
      if (announces.announcesAfter(text)) {
        const announce = () => send(ANNOUNCE_COMMITTED) as Promise<unknown>;
        announce()
          .catch((error: { code?: unknown }) => (error?.code === '57014' ? (marked[CANCELLING] ?? Promise.resolve()).then(announce) : undefined))
          .catch(() => undefined);
      }
      return result;
    };
    const run = (...args: unknown[]): unknown => {
      const scope = storage.getStore();
      if (!scope) return query(...args);
      // ROLLBACK still goes: a transaction whose statement was refused or cancelled must end here,
      // or its connection would go back to the pool inside it (aborted, or holding its locks).
      if (scope.isAbandoned && !isRollback(args[0])) {
        const callback = args.find((a) => typeof a === 'function') as ((error: Error) => void) | undefined;
        if (callback) return void process.nextTick(callback, new RequestAbandonedError());
        return Promise.reject(new RequestAbandonedError());
      }
      scope.started(client);
      // A statement sent with a callback (pg-pool's own query sends it so) belongs to the scope
      // until its connection is given back to the pool (see the 'release' listener below), which
      // pg-pool's query does in that callback. Not by wrapping the callback: with a closure of ours
      // between pg and pg-pool, every answer read so (a text search's, on the prepared reads'
      // pool) stayed alive through the young generation's collections until the next full one,
      // 34 KB promoted a search.
      if (args.some((a) => typeof a === 'function')) {
        // A connection kept across scopes (not given back in between) answers to the latest only.
        const previous = marked[SCOPED];
        if (previous && previous !== scope) previous.finished(client);
        marked[SCOPED] = scope;
        return query(...args);
      }
      const done = () => scope.finished(client);
      const result = query(...args);
      if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
      else done();
      return result;
    };
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      // A cancel request sent for an abandoned statement stops whatever the connection runs when
      // it arrives: had the statement just finished, it would stop the next request's. So the
      // connection's next statement waits until the cancel has reached the server.
      const cancelling = marked[CANCELLING];
      const submittable = typeof (args[0] as { submit?: unknown } | undefined)?.submit === 'function';
      if (!cancelling || submittable) return run(...args);
      const scope = storage.getStore();
      const later = () => (scope ? runInQueryScope(scope, () => run(...args)) : run(...args));
      if (args.some((a) => typeof a === 'function')) return void cancelling.then(later);
      return cancelling.then(later);
    };
  };
  pool.on('connect', watch);
  pool.on('acquire', watch);
  pool.on('release', (_error: Error | undefined, client: PoolClient) => {
    const marked = client as Watched;
    const scope = marked[SCOPED];
    if (!scope) return;
    marked[SCOPED] = undefined;
    scope.finished(client);
  });
  takeConnectionsInScope(pool);
}

/**
 * Sends a statement through pg's `Client.query` (`sendQuery`) always in its callback form; a call
 * without a callback gets a promise of ours. pg's own promise form hands the Query its callback
 * only after making it, and on Node 20 that kept every answer (its rows, their strings and dates)
 * alive through the young generation's collections until the next full one: a page of 26 items
 * read that way cost 30 KB promoted to the old generation, and 30% more CPU, than the same
 * read with a callback. A failure's stack leads back to the caller, as with pg's promise.
 */
function sendWithCallback(client: PoolClient, sendQuery: (...args: unknown[]) => unknown, args: unknown[]): unknown {
  const submittable = typeof (args[0] as { submit?: unknown } | undefined)?.submit === 'function';
  if (submittable || args.some((a) => typeof a === 'function')) return sendQuery.apply(client, args);
  return new Promise((resolve, reject) => {
    sendQuery.apply(client, [...args, (error: Error | null, result: unknown) => (error ? reject(error) : resolve(result))]);
  }).catch((error: unknown) => {
    if (error instanceof Error) Error.captureStackTrace(error);
    throw error;
  });
}

type ConnectCallback = (error: Error | undefined, client: PoolClient | undefined, done: (release?: unknown) => void) => void;

/**
 * A scope with a connection limit takes the pool's connections through its slots: each taken
 * connection holds a slot until it is released (callback and promise forms of `connect`, as
 * pg-pool and TypeORM call it).
 *
 * A `connect` callback runs in its caller's async context (its query scope, and its trace context
 * when traces are exported). pg-pool calls a waiting taker back from wherever a connection comes
 * free: the release of another request's statement, whose answer arrives in the context of
 * whoever made that connection's socket. The taker's statement would then answer to that
 * request's scope: refused once that request was abandoned, cancelled with it, counted against
 * its connection limit.
 */
function takeConnectionsInScope(pool: Pool): void {
  const connect = pool.connect.bind(pool) as (callback?: ConnectCallback) => Promise<PoolClient> | undefined;
  const holding = (client: PoolClient, free: () => void) => {
    const release = client.release.bind(client);
    client.release = (error?: Error | boolean) => {
      free();
      return release(error);
    };
    return client;
  };
  (pool as unknown as { connect: (callback?: ConnectCallback) => Promise<PoolClient> | undefined }).connect = (given?: ConnectCallback) => {
    const scope = storage.getStore();
    // The trace context too (when traces are exported): a statement of a caller outside any span
    // (a readiness probe) would otherwise be traced inside the span of whoever gave the
    // connection back.
    const callback = given && bindToActiveTrace(inScope(scope, given));
    if (!scope?.limited) return connect(callback);
    const taking = scope.slot(pool);
    if (callback) {
      taking.then(
        (free) => {
          if (!free) return void connect(callback);
          connect((error, client) => {
            if (error || !client) {
              free();
              return callback(error, client, () => undefined);
            }
            const held = holding(client, free);
            callback(undefined, held, (release) => held.release(release as Error | undefined));
          });
        },
        (error: Error) => callback(error, undefined, () => undefined),
      );
      return undefined;
    }
    return taking.then(async (free) => {
      if (!free) return (await connect()) as PoolClient;
      try {
        return holding((await connect()) as PoolClient, free);
      } catch (error) {
        free();
        throw error;
      }
    });
  };
}

/**
 * `callback`, called back in `scope` (or in none) whatever the context it is called from. Only
 * the query scope is carried over: AsyncResource.bind would carry every async context, but an
 * async resource made per statement made a list read measurably slower.
 */
function inScope<A extends unknown[]>(scope: QueryScope | undefined, callback: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    if (storage.getStore() === scope) return callback(...args);
    if (scope) return storage.run(scope, () => callback(...args));
    storage.exit(() => callback(...args));
  };
}

/** ROLLBACK, or ROLLBACK TO SAVEPOINT: what ends a transaction of an abandoned request. */
function isRollback(statement: unknown): boolean {
  const text = typeof statement === 'string' ? statement : (statement as { text?: unknown } | null)?.text;
  return typeof text === 'string' && /^\s*ROLLBACK\b/i.test(text);
}

/** How long a connection waits at most for a cancel request to reach the server. */
const CANCEL_WAIT_MS = 2000;
const CANCELLING = Symbol('headwaters.cancelling');
const BROKEN = Symbol('headwaters.broken');
const SCOPED = Symbol('headwaters.scopedBy');
type Watched = PoolClient & { [WATCHED]?: true; [CANCELLING]?: Promise<void>; [BROKEN]?: Error; [SCOPED]?: QueryScope };

/**
 * Why the server ended a connection of a watched pool (the first error pg raised for it), or
 * undefined while it is whole. Lets the taker of a connection it can no longer use say why,
 * where its own layer (TypeORM's query runner) only says that it was given back.
 */
export function brokenConnection(client: unknown): Error | undefined {
  return client && typeof client === 'object' ? (client as Watched)[BROKEN] : undefined;
}

/** What pg keeps of a connection that a cancel request needs (its public `activeQuery` getter is deprecated). */
type Cancellable = { _getActiveQuery?: () => unknown; host: string; port: number; processID?: number | null; secretKey?: number | null };
/** The connection of a Client made only to send a cancel request. */
type CancelConnection = { on(event: string, listener: () => void): void; connect(portOrPath: number | string, host?: string): void; cancel(processID: number, secretKey: number): void };

function cancelRunning(client: PoolClient): void {
  const target = client as unknown as Cancellable;
  if (!target._getActiveQuery?.() || !target.processID || target.secretKey === undefined || target.secretKey === null) return;
  const { processID, secretKey } = target;
  const canceller = new Client({ host: target.host, port: target.port });
  const connection = (canceller as unknown as { connection: CancelConnection }).connection;
  // The server closes the cancel connection once it has signalled the backend: from then on the
  // cancel can only reach the statement it was meant for (or nothing, if that one had finished).
  const reached = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, CANCEL_WAIT_MS);
    timer.unref();
    const finish = () => {
      clearTimeout(timer);
      resolve();
    };
    connection.on('end', finish);
    connection.on('error', finish);
  });
  const marked = client as Watched;
  const cancelling = reached.then(() => {
    if (marked[CANCELLING] === cancelling) delete marked[CANCELLING];
  });
  marked[CANCELLING] = cancelling;
  // PostgreSQL's cancel request, on a connection of its own (what pg's Client.cancel sends, without
  // reading the deprecated getter): the server signals the backend and closes the connection.
  connection.on('connect', () => connection.cancel(processID, secretKey));
  if (target.host && target.host.startsWith('/')) connection.connect(`${target.host}/.s.PGSQL.${target.port}`);
  else connection.connect(target.port, target.host);
}
