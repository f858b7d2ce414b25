import type { Pool } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { queryThroughPool } from './pool-queries';
import { brokenConnection, QueryScope, runInQueryScope, watchPool } from './query-scope';
import { databaseUnavailability, RequestAbandonedError } from './unavailable';
import { createTestDatabase, type TestDatabase } from './testing';

/** Every answer of `DataSource.query` through the pool, against what TypeORM's own query runner answers. */
describe('queryThroughPool', () => {
  let db: TestDatabase;
  let viaTypeorm: DataSource;
  let viaPool: DataSource;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    viaTypeorm = await new DataSource(dataSourceOptions(db.url, { poolSize: 2 })).initialize();
    viaPool = await new DataSource(dataSourceOptions(db.url, { poolSize: 2 })).initialize();
    pool = (viaPool.driver as unknown as { master: Pool }).master;
    // The tests count connections: none is closed for being idle (10 s by default, which a
    // loaded machine reaches between two tests), so a count changes only by what a test does.
    pool.options.idleTimeoutMillis = 0;
    watchPool(pool);
    queryThroughPool(viaPool, pool);
    await viaTypeorm.query(`CREATE TABLE pool_queries_probe (id int PRIMARY KEY, label text NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
  });
  afterAll(async () => {
    await viaTypeorm.destroy();
    await viaPool.destroy();
    await db.drop();
  });

  /** Runs `sql` on both sides, on equal tables, and gives both answers. */
  async function both(sql: string, parameters?: unknown[]): Promise<[unknown, unknown]> {
    const reset = async (source: DataSource) => {
      await source.query(`DELETE FROM pool_queries_probe`);
      await source.query(`INSERT INTO pool_queries_probe (id, label, at) VALUES (1, 'one', '2026-01-01Z'), (2, 'two', '2026-01-02Z')`);
    };
    await reset(viaTypeorm);
    const typeorm = await viaTypeorm.query(sql, parameters);
    await reset(viaTypeorm);
    const direct = await viaPool.query(sql, parameters);
    return [typeorm, direct];
  }

  it.each([
    ['a SELECT: its rows, typed', `SELECT id, label, at FROM pool_queries_probe WHERE id = ANY($1) ORDER BY id`, [[1, 2]]],
    ['an UPDATE: [rows, count]', `UPDATE pool_queries_probe SET label = $1 WHERE id > 0 RETURNING id, label`, ['changed']],
    ['an UPDATE without RETURNING', `UPDATE pool_queries_probe SET label = 'x' WHERE id = 2`, undefined],
    ['a DELETE: [rows, count]', `DELETE FROM pool_queries_probe WHERE id = 1 RETURNING id`, undefined],
    ['an INSERT ... RETURNING: its rows', `INSERT INTO pool_queries_probe (id, label) VALUES (3, 'three') RETURNING id, label`, undefined],
    ['a CTE that writes', `WITH gone AS (DELETE FROM pool_queries_probe WHERE id = 2 RETURNING id) SELECT count(*)::int AS n FROM gone`, undefined],
  ])('answers %s as TypeORM does', async (_, sql, parameters) => {
    const [typeorm, direct] = await both(sql, parameters as unknown[] | undefined);
    expect(direct).toEqual(typeorm);
  });

  it('fails as TypeORM does, a QueryFailedError with the driver error, and keeps the connection', async () => {
    await viaPool.query(`INSERT INTO pool_queries_probe (id, label) VALUES (10, 'ten') ON CONFLICT DO NOTHING`);
    const connections = pool.totalCount;
    const failed = (await viaPool.query(`INSERT INTO pool_queries_probe (id, label) VALUES (10, 'again')`).catch((e: unknown) => e)) as QueryFailedError & { driverError: { code: string } };
    const typeormFailed = (await viaTypeorm.query(`INSERT INTO pool_queries_probe (id, label) VALUES (10, 'again')`).catch((e: unknown) => e)) as QueryFailedError & { driverError: { code: string } };
    expect(failed).toBeInstanceOf(QueryFailedError);
    expect(failed.driverError.code).toBe('23505');
    expect(failed.message).toBe(typeormFailed.message);
    expect(failed.query).toBe(typeormFailed.query);
    expect(pool.totalCount).toBe(connections);
    expect(pool.idleCount).toBe(connections);
  });

  it("fails with a stack that leads back to the statement's caller", async () => {
    async function callerOfTheStatement(): Promise<unknown> {
      return await viaPool.query(`SELECT no_such_column FROM pool_queries_probe`);
    }
    const failed = (await callerOfTheStatement().catch((e: unknown) => e)) as QueryFailedError;
    expect(failed).toBeInstanceOf(QueryFailedError);
    expect(failed.stack).toContain('callerOfTheStatement');
  });

  it('gives every connection back, in a scope and out of one, after answers and failures alike', async () => {
    const scope = new QueryScope();
    await runInQueryScope(scope, () =>
      Promise.all([viaPool.query(`SELECT 1 AS one`), viaPool.query(`SELECT nothing_here`).catch(() => undefined), viaPool.query(`SELECT pg_sleep(0.01)`)]),
    );
    await Promise.all([viaPool.query(`SELECT 1 AS one`), viaPool.query(`SELECT nothing_here`).catch(() => undefined)]);
    expect(pool.idleCount).toBe(pool.totalCount);
    expect(pool.waitingCount).toBe(0);
    // Abandoned afterwards, the scope refuses what comes next, and the pool stays whole.
    scope.abandon();
    await expect(runInQueryScope(scope, () => viaPool.query(`SELECT 1`))).rejects.toMatchObject({ driverError: expect.any(RequestAbandonedError) });
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it('runs a transaction on one connection: its statements inside it, unseen outside until it commits', async () => {
    const seen = await viaPool.transaction(async (tx) => {
      await tx.query(`INSERT INTO pool_queries_probe (id, label) VALUES (20, 'in the transaction')`);
      const [{ txid }] = await tx.query<{ txid: string }[]>(`SELECT txid_current()::text AS txid`);
      const [{ again }] = await tx.query<{ again: string }[]>(`SELECT txid_current()::text AS again`);
      // Outside the transaction, on another connection: not seen until it commits.
      const outside = await viaPool.query<{ id: number }[]>(`SELECT id FROM pool_queries_probe WHERE id = 20`);
      return { txid, again, outside };
    });
    expect(seen.again).toBe(seen.txid);
    expect(seen.outside).toEqual([]);
    expect(await viaPool.query(`SELECT label FROM pool_queries_probe WHERE id = 20`)).toEqual([{ label: 'in the transaction' }]);
  });

  it('rolls a failed transaction back, throws what failed, and keeps the connection', async () => {
    const connections = pool.totalCount;
    const failure = new Error('the use case gave up');
    const thrown = await viaPool
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO pool_queries_probe (id, label) VALUES (30, 'rolled back')`);
        throw failure;
      })
      .catch((e: unknown) => e);
    expect(thrown).toBe(failure);
    const refused = (await viaPool
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO pool_queries_probe (id, label) VALUES (31, 'rolled back too')`);
        await tx.query(`INSERT INTO pool_queries_probe (id, label) VALUES (31, 'twice')`);
      })
      .catch((e: unknown) => e)) as QueryFailedError & { driverError: { code: string } };
    expect(refused).toBeInstanceOf(QueryFailedError);
    expect(refused.driverError.code).toBe('23505');
    expect(await viaPool.query(`SELECT id FROM pool_queries_probe WHERE id IN (30, 31)`)).toEqual([]);
    expect(pool.totalCount).toBe(connections);
    expect(pool.idleCount).toBe(pool.totalCount);
    // Given back outside any transaction.
    expect(await viaPool.query(`SELECT now() = statement_timestamp() AS alone`)).toEqual([{ alone: true }]);
  });

  it('answers UPDATE and DELETE inside a transaction as TypeORM does: [rows, count]', async () => {
    await viaPool.query(`INSERT INTO pool_queries_probe (id, label) VALUES (40, 'forty') ON CONFLICT (id) DO UPDATE SET label = 'forty'`);
    const [updated, deleted] = await viaPool.transaction(async (tx) => [
      await tx.query(`UPDATE pool_queries_probe SET label = 'changed' WHERE id = 40 RETURNING label`),
      await tx.query(`DELETE FROM pool_queries_probe WHERE id = 40`),
    ]);
    expect(updated).toEqual([[{ label: 'changed' }], 1]);
    expect(deleted).toEqual([[], 1]);
  });

  it('leaves a transaction with an isolation level to TypeORM', async () => {
    const level = await viaPool.transaction('SERIALIZABLE', (tx) => tx.query<{ transaction_isolation: string }[]>(`SHOW transaction_isolation`));
    expect(level).toEqual([{ transaction_isolation: 'serializable' }]);
  });

  it("answers to the request's scope: an abandoned request's statement is refused", async () => {
    const scope = new QueryScope();
    scope.abandon();
    const refused = (await runInQueryScope(scope, () => viaPool.query(`SELECT 1`)).catch((e: unknown) => e)) as QueryFailedError & { driverError: unknown };
    expect(refused).toBeInstanceOf(QueryFailedError);
    expect(refused.driverError).toBeInstanceOf(RequestAbandonedError);
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it("runs a statement that waited for a connection in its caller's scope, not in the scope of the request whose connection it was given", async () => {
    const source = await new DataSource(dataSourceOptions(db.url, { poolSize: 2 })).initialize();
    try {
      const own = (source.driver as unknown as { master: Pool }).master;
      watchPool(own);
      queryThroughPool(source, own);
      // Both connections are made inside a request's scope (their sockets' events run in it), and that request is abandoned.
      const gone = new QueryScope();
      await runInQueryScope(gone, () => Promise.all([source.query(`SELECT pg_sleep(0.02)`), source.query(`SELECT pg_sleep(0.02)`)]));
      expect(own.totalCount).toBe(2);
      gone.abandon();
      // More statements than connections, outside any request and inside another: each one past the second waits for a connection given back.
      const outside = Promise.all(Array.from({ length: 6 }, (_, n) => source.query(`SELECT $1::int AS n`, [n])));
      const other = runInQueryScope(new QueryScope(), () => Promise.all(Array.from({ length: 6 }, (_, n) => source.query(`SELECT $1::int AS n`, [n + 10]))));
      expect((await outside).flat()).toEqual([0, 1, 2, 3, 4, 5].map((n) => ({ n })));
      expect((await other).flat()).toEqual([10, 11, 12, 13, 14, 15].map((n) => ({ n })));
    } finally {
      await source.destroy();
    }
  });

  it('drops a connection the server ended while it was taken, with a QueryFailedError and no unhandled error', async () => {
    await viaPool.query('SELECT 1');
    const before = pool.totalCount;
    const sleeping = viaPool.query(`SELECT pg_sleep(10) AS slept`).catch((e: unknown) => e);
    let terminated = 0;
    for (let i = 0; i < 250 && terminated === 0; i++) {
      const [row] = await viaTypeorm.query<{ n: number }[]>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(10) AS slept' AND state = 'active'`,
      );
      terminated = row.n;
      if (!terminated) await new Promise((r) => setTimeout(r, 20));
    }
    expect(terminated).toBe(1);
    expect(await sleeping).toBeInstanceOf(QueryFailedError);
    // The pool drops it (at its release, or on its 'error' once given back), and never hands it out again.
    for (let i = 0; i < 100 && pool.totalCount >= before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(pool.totalCount).toBe(before - 1);
    expect(await Promise.all([1, 2, 3].map((n) => viaPool.query(`SELECT $1::int AS n`, [n])))).toEqual([[{ n: 1 }], [{ n: 2 }], [{ n: 3 }]]);
  });

  it("drops a transaction's connection the server ended between two statements: the transaction fails as unavailable, and the process hears no unhandled error", async () => {
    await viaPool.query('SELECT 1');
    const before = pool.totalCount;
    const failed = await viaPool
      .transaction(async (tx) => {
        const [{ pid }] = await tx.query<{ pid: number }[]>(`SELECT pg_backend_pid() AS pid`);
        // The connection is taken and idle in its transaction, no statement of its own running:
        // its error has nobody waiting for an answer to go to.
        await viaTypeorm.query(`SELECT pg_terminate_backend($1)`, [pid]);
        for (let i = 0; i < 100; i++) {
          const [{ n }] = await viaTypeorm.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1`, [pid]);
          if (n === 0) break;
          await new Promise((r) => setTimeout(r, 10));
        }
        await new Promise((r) => setTimeout(r, 50));
        await tx.query(`SELECT 'after the end' AS late`);
      })
      .catch((e: unknown) => e);
    // Not TypeORM's "query runner already released", which reads as a fault of ours (500).
    expect(failed).toBeInstanceOf(QueryFailedError);
    expect((failed as QueryFailedError & { driverError: { code?: string } }).driverError.code).toBe('57P01');
    expect(databaseUnavailability(failed)).toBe('DATABASE_UNREACHABLE');
    for (let i = 0; i < 100 && pool.totalCount >= before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(pool.totalCount).toBe(before - 1);
    expect(await viaPool.query(`SELECT 2 AS n`)).toEqual([{ n: 2 }]);
  });

  it('hears the end of a connection taken with pool.connect() by code that listens to nothing, and the pool drops it when it is given back', async () => {
    const client = await pool.connect();
    const before = pool.totalCount;
    try {
      const { rows } = await client.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`);
      // Unheard, this error would end the process (jest would fail the whole file).
      await viaTypeorm.query(`SELECT pg_terminate_backend($1)`, [rows[0].pid]);
      for (let i = 0; i < 200 && brokenConnection(client) === undefined; i++) await new Promise((r) => setTimeout(r, 10));
      expect((brokenConnection(client) as Error & { code?: string }).code).toBe('57P01');
    } finally {
      client.release();
    }
    expect(pool.totalCount).toBe(before - 1);
    expect(await viaPool.query(`SELECT 3 AS n`)).toEqual([{ n: 3 }]);
  });
});
