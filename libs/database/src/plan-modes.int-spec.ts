import { Pool } from 'pg';
import { MAX_PREPARED_SHAPES, keepsGenericPlan, prepared, preparedName, preparedShape } from '@headwaters/core';
import { ANNOUNCE_AFTER_COMMIT } from './announce-after-commit';
import { watchPool } from './query-scope';
import { createTestDatabase, type TestDatabase } from './testing';

/** A statement PostgreSQL would plan again at each run: a join on an array of ids, which its generic plan counts as dearer. */
const MARKED = prepared(`SELECT current_setting('plan_cache_mode') AS mode, count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE c.oid = ANY($1::oid[])`);
const mode = (result: { rows: unknown[] }) => (result.rows[0] as { mode: string }).mode;
const UNMARKED = `SELECT current_setting('plan_cache_mode') AS mode, $1::int AS n`;
/** A read whose text is built from parts (as a list's is): parsed once, planned as PostgreSQL chooses. */
const SHAPE = preparedShape(`SELECT current_setting('plan_cache_mode') AS mode, count(*)::int AS n FROM pg_class c WHERE c.oid = ANY($1::oid[]) AND c.relkind = $2`);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

/** A pool of one watched connection: one session, whose prepared statements and plans the tests look at. */
function oneSession(): Pool {
  const pool = new Pool({ connectionString: db.url, max: 1 });
  watchPool(pool);
  return pool;
}

describe('the plan of a marked statement in a transaction', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = oneSession();
  });
  afterAll(async () => {
    await pool.end();
  });

  const plans = async () => {
    const { rows } = await pool.query(`SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement = $1`, [MARKED]);
    return rows[0] as { generic: number; custom: number };
  };

  it('is made once per session and kept, while the statements around it keep PostgreSQL\'s own choice', async () => {
    const client = await pool.connect();
    try {
      for (let run = 0; run < 8; run++) {
        await client.query('START TRANSACTION');
        expect((await client.query(UNMARKED, [run])).rows).toEqual([{ mode: 'auto', n: run }]);
        expect((await client.query(MARKED, [[1259, 2615]])).rows).toEqual([{ mode: 'force_generic_plan', n: 2 }]);
        expect((await client.query(MARKED, [[1259]])).rows).toEqual([{ mode: 'force_generic_plan', n: 1 }]);
        // The next statement with parameters goes back to auto.
        expect((await client.query(UNMARKED, [run])).rows).toEqual([{ mode: 'auto', n: run }]);
        expect(mode(await client.query(MARKED, [[1259]]))).toBe('force_generic_plan');
        await client.query(run % 2 ? 'ROLLBACK' : 'COMMIT');
      }
    } finally {
      client.release();
    }
    expect(await plans()).toEqual({ generic: 24, custom: 0 });
  });

  it('makes the setting in the round trip that opens the next transaction of a connection whose last one ran a marked statement', async () => {
    const sent: string[] = [];
    const client = await pool.connect();
    const original = Object.getPrototypeOf(client).query;
    const spy = function (this: unknown, ...args: unknown[]) {
      sent.push(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text);
      return original.apply(this, args);
    };
    Object.getPrototypeOf(client).query = spy;
    try {
      await client.query('START TRANSACTION');
      expect(mode(await client.query(MARKED, [[1259]]))).toBe('force_generic_plan');
      await client.query('COMMIT');
      await client.query('START TRANSACTION');
      expect(mode(await client.query(MARKED, [[1259]]))).toBe('force_generic_plan');
      // A statement not marked still gets PostgreSQL's own choice.
      expect((await client.query(UNMARKED, [5])).rows).toEqual([{ mode: 'auto', n: 5 }]);
      await client.query('COMMIT');
      // That transaction ended on an unmarked statement: the next one opens plainly.
      await client.query('START TRANSACTION');
      expect((await client.query(UNMARKED, [6])).rows).toEqual([{ mode: 'auto', n: 6 }]);
      await client.query('COMMIT');
    } finally {
      Object.getPrototypeOf(client).query = original;
      client.release();
    }
    // (The connection's transaction before, in the test above, ran marked statements.)
    expect(sent.filter((sql) => /^(START|SET|COMMIT)/.test(sql))).toEqual([
      `START TRANSACTION; SET LOCAL plan_cache_mode = force_generic_plan; ${ANNOUNCE_AFTER_COMMIT}`, 'COMMIT',
      `START TRANSACTION; SET LOCAL plan_cache_mode = force_generic_plan; ${ANNOUNCE_AFTER_COMMIT}`, 'SET LOCAL plan_cache_mode = auto', 'COMMIT',
      `START TRANSACTION; ${ANNOUNCE_AFTER_COMMIT}`, 'COMMIT',
    ]);
  });

  it('changes nothing outside a transaction, and the end of one undoes its setting', async () => {
    expect((await pool.query(UNMARKED, [1])).rows).toEqual([{ mode: 'auto', n: 1 }]);
    expect(mode(await pool.query(MARKED, [[1259]]))).toBe('auto');
    expect((await pool.query(UNMARKED, [2])).rows).toEqual([{ mode: 'auto', n: 2 }]);
  });

  it('sets it again after a rollback to a savepoint undid it', async () => {
    const client = await pool.connect();
    try {
      await client.query('START TRANSACTION');
      await client.query('SAVEPOINT a');
      expect(mode(await client.query(MARKED, [[1259]]))).toBe('force_generic_plan');
      await client.query('ROLLBACK TO SAVEPOINT a');
      expect(mode(await client.query(MARKED, [[1259]]))).toBe('force_generic_plan');
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  it('leaves a failed transaction failing with its own error', async () => {
    const client = await pool.connect();
    try {
      await client.query('START TRANSACTION');
      await expect(client.query(`SELECT 1/0`)).rejects.toThrow('division by zero');
      await expect(client.query(MARKED, [[1259]])).rejects.toThrow('current transaction is aborted');
      await client.query('ROLLBACK');
      expect((await client.query(UNMARKED, [3])).rows).toEqual([{ mode: 'auto', n: 3 }]);
    } finally {
      client.release();
    }
  });
});

describe('a read marked as a shape', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = oneSession();
  });
  afterAll(async () => {
    await pool.end();
  });

  const statements = async () => {
    const { rows } = await pool.query(`SELECT name, generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement = $1`, [SHAPE]);
    return rows as { name: string; generic: number; custom: number }[];
  };

  it('is one named statement of the session, planned with PostgreSQL\'s own choice in and out of transactions', async () => {
    const client = await pool.connect();
    try {
      for (let run = 0; run < 3; run++) {
        expect((await client.query(SHAPE, [[1259, 2615], 'r'])).rows).toEqual([{ mode: 'auto', n: 2 }]);
        await client.query('START TRANSACTION');
        expect((await client.query(MARKED, [[1259]])).rows).toEqual([{ mode: 'force_generic_plan', n: 1 }]);
        // After a marked statement, the shape goes back to auto: no plan is forced on it.
        expect((await client.query(SHAPE, [[1259], 'r'])).rows).toEqual([{ mode: 'auto', n: 1 }]);
        await client.query('COMMIT');
      }
    } finally {
      client.release();
    }
    const [statement, ...others] = await statements();
    expect(others).toEqual([]);
    expect(statement.name).toBe(preparedName(SHAPE));
    expect(statement.name).toMatch(/^hw_s_[0-9a-f]{32}$/);
    expect(statement.generic + statement.custom).toBe(6);
    expect(keepsGenericPlan(SHAPE)).toBe(false);
  });

  it('stops naming new texts past its bound, and a text marked prepared keeps its generic plan', () => {
    const texts = Array.from({ length: MAX_PREPARED_SHAPES + 5 }, (_, i) => preparedShape(`SELECT ${i} AS shape_bound_${i}`));
    const named = texts.filter((t) => preparedName(t) !== undefined);
    // SHAPE (above) took one place already.
    expect(named).toHaveLength(MAX_PREPARED_SHAPES - 1);
    expect(preparedName(texts.at(-1)!)).toBeUndefined();
    expect(preparedName(preparedShape(MARKED))).toMatch(/^hw_w_/);
    expect(keepsGenericPlan(MARKED)).toBe(true);
  });
});
