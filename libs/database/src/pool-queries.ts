import type { Pool, PoolClient, QueryResult } from 'pg';
import { QueryFailedError, type DataSource, type QueryRunner } from 'typeorm';
import type { SqlRunner } from '@headwaters/core';
import { brokenConnection } from './query-scope';

type Query = DataSource['query'];
type Transaction = DataSource['transaction'];

/**
 * Sends `DataSource.query` without a query runner (every read a request makes outside a
 * transaction) straight to the pool, and runs `DataSource.transaction(work)` on a connection of
 * the pool itself. TypeORM takes a query runner per statement: a connection checkout and release
 * of its own, two subscriber broadcasts, a result object and half a dozen awaits, each with the
 * promise hooks of the request's scope. That was about a tenth of the CPU of an item read, and
 * as much of a vote. The answers are TypeORM's postgres driver's, unchanged: the rows, or
 * `[rows, count]` for UPDATE and DELETE; a failure is a QueryFailedError carrying the driver's
 * error. A transaction sends what TypeORM sends (START TRANSACTION, then COMMIT or ROLLBACK),
 * and its `tx` runs SQL only (`tx.query`, as everything here uses it), not the rest of an
 * EntityManager. A transaction asked for with an isolation level goes through TypeORM.
 */
/** `pool` must be watched (watchPool) first: its connections' errors are heard there. */
export function queryThroughPool(dataSource: DataSource, pool: Pool): void {
  const throughRunner = dataSource.query.bind(dataSource) as Query;
  const query = async (sql: string, parameters?: unknown[], queryRunner?: QueryRunner): Promise<unknown> => {
    if (queryRunner) {
      // TypeORM gives a transaction's connection back as soon as the server ends it, and then
      // refuses the transaction's next statement as a runner "already released": say what
      // happened to the connection instead, as a failed statement whose cause is the server's.
      const broken = queryRunner.isReleased ? brokenConnection((queryRunner as QueryRunner & { databaseConnection?: unknown }).databaseConnection) : undefined;
      if (broken) throw new QueryFailedError(sql, parameters, broken);
      return throughRunner(sql, parameters, queryRunner);
    }
    // As TypeORM does: a connection goes back to the pool after a failed statement (pg's own
    // `pool.query` would close it, after a refused duplicate too), unless the connection itself
    // failed while it was taken (the server went away): then the pool drops it. The watched pool
    // hears every connection's 'error' (watchPool) and keeps it (brokenConnection).
    return answerOf(sql, parameters, await sendThroughPool(pool, sql, parameters));
  };
  dataSource.query = query as Query;
  const throughTypeorm = dataSource.transaction.bind(dataSource) as (...args: unknown[]) => Promise<unknown>;
  const transaction = (...args: unknown[]): Promise<unknown> =>
    args.length === 1 && typeof args[0] === 'function' ? transactionThroughPool(pool, args[0] as (tx: SqlRunner) => Promise<unknown>) : throughTypeorm(...args);
  dataSource.transaction = transaction as Transaction;
}

/**
 * `work` in one transaction on one connection of the pool: committed when it resolves, rolled
 * back when it (or the commit) fails, and the connection given back either way; dropped by the
 * pool when the server ended it, or when the rollback failed (it could still be inside the
 * transaction). A statement on a connection the server ended fails with the server's reason
 * (brokenConnection), as TypeORM's query runner would not say.
 */
async function transactionThroughPool<T>(pool: Pool, work: (tx: SqlRunner) => Promise<T>): Promise<T> {
  const client = await takeConnection(pool);
  const tx: SqlRunner = {
    query: async <R>(sql: string, parameters?: unknown[]): Promise<R> => {
      const broken = brokenConnection(client);
      if (broken) throw new QueryFailedError(sql, parameters, broken);
      return answerOf(sql, parameters, await sendOn(client, sql, parameters)) as R;
    },
  };
  let unusable: Error | undefined;
  try {
    await tx.query('START TRANSACTION');
    const result = await work(tx);
    await tx.query('COMMIT');
    return result;
  } catch (error) {
    if (!brokenConnection(client)) {
      const rolledBack = await sendOn(client, 'ROLLBACK', undefined);
      if ('failed' in rolledBack) unusable = rolledBack.failed;
    }
    throw error;
  } finally {
    client.release(brokenConnection(client) ?? unusable);
  }
}

/** What a statement came to: its result, or its failure (for the caller to wrap, in its own async chain). */
type Outcome = { result: QueryResult } | { failed: Error };

/** Takes a connection through pg-pool's callback (a request's connection limit applies, see watchPool). */
function connectTo(pool: Pool, taken: (client: PoolClient) => void, refused: (error: Error) => void): void {
  pool.connect((error, client) => (error || !client ? refused(error ?? new Error('the pool gave no connection')) : taken(client)));
}

/** Sends one statement on a taken connection through pg's callback. */
function sendOnClient(client: PoolClient, sql: string, parameters: unknown[] | undefined, answered: (outcome: Outcome) => void): void {
  client.query(sql, parameters as unknown[], (error: Error | null, result: QueryResult) => answered(error ? { failed: error } : { result }));
}

/** A connection of the pool. */
function takeConnection(pool: Pool): Promise<PoolClient> {
  return new Promise((resolve, reject) => connectTo(pool, resolve, reject));
}

/** One statement on a taken connection. */
function sendOn(client: PoolClient, sql: string, parameters: unknown[] | undefined): Promise<Outcome> {
  return new Promise((resolve) => sendOnClient(client, sql, parameters, resolve));
}

/**
 * What TypeORM's postgres driver answers for a statement: `[rows, count]` for UPDATE and DELETE,
 * else the rows; a failure is thrown as its QueryFailedError. Called in the caller's async chain,
 * so that the error's stack leads back to the caller.
 */
function answerOf(sql: string, parameters: unknown[] | undefined, outcome: Outcome): unknown {
  if ('failed' in outcome) throw new QueryFailedError(sql, parameters, outcome.failed);
  const raw = outcome.result;
  return raw.command === 'UPDATE' || raw.command === 'DELETE' ? [raw.rows, raw.rowCount] : raw.rows;
}

/**
 * Takes a connection, sends the statement and gives the connection back, all through pg's
 * callbacks: one promise a statement, where awaiting pg-pool's and pg's promises made half a
 * dozen (each with the promise hooks of the request's scope). A connection that cannot be taken
 * rejects as pg-pool says why.
 */
function sendThroughPool(pool: Pool, sql: string, parameters: unknown[] | undefined): Promise<Outcome> {
  return new Promise((resolve, reject) =>
    connectTo(
      pool,
      (client) =>
        sendOnClient(client, sql, parameters, (outcome) => {
          client.release(brokenConnection(client));
          resolve(outcome);
        }),
      reject,
    ),
  );
}
