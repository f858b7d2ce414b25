import { Client, Pool } from 'pg';
import { QueryScope, runInQueryScope, watchPool } from './query-scope';
import { RequestAbandonedError } from './unavailable';
import { createTestDatabase, type TestDatabase } from './testing';

describe('QueryScope', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    // One connection: every statement of every scope runs on the same backend.
    pool = new Pool({ connectionString: db.url, max: 1 });
    watchPool(pool);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const inScope = <T>(scope: QueryScope, work: () => Promise<T>): Promise<T> => runInQueryScope(scope, work);
  /** One statement on a connection taken from the pool and given back, as a request's query runner does. */
  const statement = async (sql: string) => {
    const client = await pool.connect();
    try {
      return await client.query(sql);
    } finally {
      client.release();
    }
  };

  /** Waits (up to 5 s) until `sql` runs on the server, seen from a connection of its own. */
  const untilRunning = async (sql: string) => {
    const watcher = new Client({ connectionString: db.url });
    await watcher.connect();
    try {
      const running = async () => (await watcher.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query = $1`, [sql])).rows[0].n as number;
      for (let i = 0; i < 250 && (await running()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await watcher.end();
    }
  };

  it('cancels the statement an abandoned scope runs, and refuses its next one', async () => {
    const scope = new QueryScope();
    const running = inScope(scope, () => statement('SELECT pg_sleep(5)')).catch((e: Error) => e);
    // Abandoned once the statement runs on the server (not before it is sent, which refuses it instead).
    await untilRunning('SELECT pg_sleep(5)');
    scope.abandon();
    expect(String(await running)).toMatch(/canceling statement due to user request/);
    await expect(inScope(scope, () => statement('SELECT 1'))).rejects.toBeInstanceOf(RequestAbandonedError);
  });

  it('cancels a statement sent with a callback (as pg-pool\'s own query sends it) until the callback is called', async () => {
    const scope = new QueryScope();
    const running = inScope(scope, () => pool.query('SELECT pg_sleep(5)')).catch((e: Error) => e);
    await untilRunning('SELECT pg_sleep(5)');
    scope.abandon();
    expect(String(await running)).toMatch(/canceling statement due to user request/);
  });

  it("cancels without reading pg's deprecated Client.activeQuery (a warning in the log, gone in pg 9)", async () => {
    const scope = new QueryScope();
    const getter = Object.getOwnPropertyDescriptor(Client.prototype, 'activeQuery');
    let read = 0;
    Object.defineProperty(Client.prototype, 'activeQuery', {
      configurable: true,
      get() {
        read++;
        return (this as unknown as { _getActiveQuery(): unknown })._getActiveQuery();
      },
    });
    try {
      const running = inScope(scope, () => statement('SELECT pg_sleep(5)')).catch((e: Error) => e);
      await untilRunning('SELECT pg_sleep(5)');
      scope.abandon();
      expect(String(await running)).toMatch(/canceling statement due to user request/);
      expect(read).toBe(0);
    } finally {
      if (getter) Object.defineProperty(Client.prototype, 'activeQuery', getter);
    }
  });

  it("never cancels the next scope's statement on the same connection, even when the abandoned one had just finished", async () => {
    for (let round = 0; round < 20; round++) {
      const leaving = new QueryScope();
      // Abandoned while its quick statement is on the wire: the statement is likely done before
      // the cancel request reaches the server, and the connection goes on to the next scope.
      await inScope(leaving, async () => {
        const client = await pool.connect();
        const quick = client.query('SELECT 1').catch((e: Error) => e);
        leaving.abandon();
        await quick;
        client.release();
      });
      const staying = new QueryScope();
      const answer = await inScope(staying, () => statement(`SELECT pg_sleep(0.05), 'kept' AS value`));
      expect(answer.rows[0].value).toBe('kept');
    }
  });
  it("gives up a statement sent with a callback once its connection is back in the pool: abandoning its scope then cancels no other scope's statement", async () => {
    const done = new QueryScope();
    expect((await inScope(done, () => pool.query('SELECT 1 AS one'))).rows).toEqual([{ one: 1 }]);
    const next = new QueryScope();
    const running = inScope(next, () => pool.query(`SELECT pg_sleep(0.3), 'kept' AS value`));
    await untilRunning(`SELECT pg_sleep(0.3), 'kept' AS value`);
    done.abandon();
    expect((await running).rows[0].value).toBe('kept');
  });

  describe("pg's promise form", () => {
    /** Runs `work` while recording the arguments of every call to pg's own Client.query. */
    const recordingSends = async <T>(work: () => Promise<T>): Promise<{ result: T; sent: unknown[][] }> => {
      const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
      const original = prototype.query;
      const sent: unknown[][] = [];
      prototype.query = function (this: unknown, ...args: unknown[]) {
        sent.push(args);
        return original.apply(this, args);
      };
      try {
        return { result: await work(), sent };
      } finally {
        prototype.query = original;
      }
    };

    it('is never used: a statement awaited without a callback reaches pg with one, and answers as pg would', async () => {
      const { result, sent } = await recordingSends(() => statement('SELECT 41 + 1 AS n'));
      expect(result.rows).toEqual([{ n: 42 }]);
      expect(result.command).toBe('SELECT');
      expect(sent).toHaveLength(1);
      expect(sent[0][0]).toBe('SELECT 41 + 1 AS n');
      expect(typeof sent[0].at(-1)).toBe('function');
    });

    it('keeps the values and the failure: a refused statement rejects with pg\'s error, its stack leading back to the caller', async () => {
      const client = await pool.connect();
      try {
        const { result } = await recordingSends(async () => (await client.query('SELECT $1::int + 1 AS n', [1])).rows);
        expect(result).toEqual([{ n: 2 }]);
        const failure = (await client.query('SELECT * FROM no_such_table').catch((error: unknown) => error)) as Error & { code?: string };
        expect(failure.code).toBe('42P01');
        expect(failure.message).toMatch(/no_such_table/);
        expect(failure.stack).not.toMatch(/onStreamRead/);
        // The connection is whole after it.
        expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      } finally {
        client.release();
      }
    });
  });
});
