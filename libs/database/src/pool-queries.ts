import type { Pool, QueryResult } from 'pg';
import { QueryFailedError, type DataSource, type QueryRunner } from 'typeorm';
import { brokenConnection } from './query-scope';

type Query = DataSource['query'];

/**
 * Sends `DataSource.query` without a query runner (every read a request makes outside a
 * transaction) straight to the pool. TypeORM takes a query runner per statement: a connection
 * checkout and release of its own, two subscriber broadcasts, a result object and half a dozen
 * awaits, each with the promise hooks of the request's scope. That was about a tenth of the CPU
 * of an item read. The answers are TypeORM's postgres driver's, unchanged: the rows, or
 * `[rows, count]` for UPDATE and DELETE; a failure is a QueryFailedError carrying the driver's
 * error. Statements of a transaction (given their query runner) go through TypeORM as before.
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
    const outcome = await sendThroughPool(pool, sql, parameters);
    // Made here, in the caller's async chain, so that its stack leads back to the caller.
    if ('failed' in outcome) throw new QueryFailedError(sql, parameters, outcome.failed);
    const raw = outcome.result;
    return raw.command === 'UPDATE' || raw.command === 'DELETE' ? [raw.rows, raw.rowCount] : raw.rows;
  };
  dataSource.query = query as Query;
}

/**
 * Takes a connection, sends the statement and gives the connection back, through pg's callbacks:
 * one promise a statement, where awaiting pg-pool's and pg's promises made half a dozen (each
 * with the promise hooks of the request's scope). A connection that cannot be taken rejects as
 * pg-pool says why; a statement that fails resolves with its error, for the caller to wrap.
 */
function sendThroughPool(pool: Pool, sql: string, parameters: unknown[] | undefined): Promise<{ result: QueryResult } | { failed: Error }> {
  return new Promise((resolve, reject) => {
    pool.connect((connectError, client) => {
      if (connectError || !client) return reject(connectError ?? new Error('the pool gave no connection'));
      client.query(sql, parameters as unknown[], (error: Error | null, result: QueryResult) => {
        client.release(brokenConnection(client));
        resolve(error ? { failed: error } : { result });
      });
    });
  });
}
