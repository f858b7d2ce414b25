import { Pool, type PoolClient } from 'pg';
import { QueryScope, outsideQueryScope, runInQueryScope, watchPool } from './query-scope';
import { createTestDatabase, type TestDatabase } from './testing';
import { RequestAbandonedError } from './unavailable';

describe('a query scope with a connection limit', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 5 });
    pool.on('error', () => undefined);
    watchPool(pool);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('takes at most that many of the pool\'s connections; the next waits for one to be given back', async () => {
    const scope = new QueryScope();
    scope.limitConnections(2);
    await runInQueryScope(scope, async () => {
      const a = await pool.connect();
      const b = await pool.connect();
      let third: PoolClient | undefined;
      const waiting = pool.connect().then((client) => (third = client));
      await tick();
      expect(third).toBeUndefined();
      // The pool itself still has connections for every other request.
      const other = await outsideQueryScope(() => pool.connect());
      other.release();
      a.release();
      await waiting;
      expect(third).toBeDefined();
      expect((await third!.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      b.release();
      third!.release();
    });
  });

  it('limits the callback form too, and runs every statement in the end', async () => {
    const scope = new QueryScope();
    scope.limitConnections(1);
    let running = 0;
    let most = 0;
    const one = () =>
      new Promise<number>((resolve, reject) =>
        pool.connect((error, client, done) => {
          if (error || !client) return reject(error ?? new Error('no client'));
          running++;
          most = Math.max(most, running);
          client.query('SELECT pg_sleep(0.01), 7 AS seven').then(
            (result) => {
              running--;
              done();
              resolve(result.rows[0].seven as number);
            },
            (failure: Error) => {
              running--;
              done();
              reject(failure);
            },
          );
        }),
      );
    const results = await runInQueryScope(scope, () => Promise.all([one(), one(), one(), one()]));
    expect(results).toEqual([7, 7, 7, 7]);
    expect(most).toBe(1);
    // pool.query takes its connection through connect as well.
    expect((await runInQueryScope(scope, () => Promise.all([pool.query('SELECT 1 AS n'), pool.query('SELECT 2 AS n')]))).map((r) => r.rows[0].n)).toEqual([1, 2]);
  });

  it('refuses the waiting ones when its client goes away', async () => {
    const scope = new QueryScope();
    scope.limitConnections(1);
    await runInQueryScope(scope, async () => {
      const held = await pool.connect();
      const waiting = pool.connect();
      scope.abandon();
      await expect(waiting).rejects.toBeInstanceOf(RequestAbandonedError);
      held.release();
      await expect(pool.connect()).rejects.toBeInstanceOf(RequestAbandonedError);
    });
    expect(pool.waitingCount).toBe(0);
  });

  it('limits nothing until asked', async () => {
    const scope = new QueryScope();
    const clients = await runInQueryScope(scope, () => Promise.all([pool.connect(), pool.connect(), pool.connect()]));
    expect(clients).toHaveLength(3);
    for (const client of clients) client.release();
  });
});
