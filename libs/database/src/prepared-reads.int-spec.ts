import { Client } from 'pg';
import { APPLICATION_NAME, MAX_PREPARED_STATEMENTS, PreparedReads } from './prepared-reads';
import { createTestDatabase, type TestDatabase } from './testing';

describe('PreparedReads', () => {
  let db: TestDatabase;
  let main: Client;
  let fallbackRuns: string[];
  let reads: PreparedReads;

  beforeAll(async () => {
    db = await createTestDatabase();
    main = new Client({ connectionString: db.url });
    await main.connect();
  });
  afterAll(async () => {
    await main.end();
    await db.drop();
  });
  beforeEach(() => {
    fallbackRuns = [];
    const fallback = {
      query: async <T>(sql: string, params?: unknown[]) => {
        fallbackRuns.push(sql);
        return (await main.query(sql, params)).rows as T;
      },
    };
    reads = new PreparedReads(db.url, 1, fallback);
  });
  afterEach(() => reads.close());

  it('runs a statement prepared once, with its generic plan, whatever its values', async () => {
    const sql = 'SELECT count(*)::int AS n FROM generate_series(1, $1::int) AS g(x) WHERE g.x % $2::int = 0';
    expect(await reads.query(sql, [10, 2])).toEqual([{ n: 5 }]);
    expect(await reads.query(sql, [10, 5])).toEqual([{ n: 2 }]);
    expect(await reads.query(sql, [100, 10])).toEqual([{ n: 10 }]);

    const plans = await reads.query<{ statement: string; generic_plans: string; custom_plans: string }[]>(
      'SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE $1::text',
      ['%generate_series%'],
    );
    expect(plans).toEqual([{ statement: sql, generic_plans: '3', custom_plans: '0' }]);
    expect(reads.prepared).toBe(2);
    expect(fallbackRuns).toEqual([]);
  });

  it('reports a statement\'s error and stays usable', async () => {
    await expect(reads.query('SELECT 1 / $1::int AS x', [0])).rejects.toThrow(/division by zero/);
    expect(await reads.query('SELECT 1 / $1::int AS x', [1])).toEqual([{ x: 1 }]);
  });

  it('carries on when the server closes its idle connection', async () => {
    expect(await reads.query('SELECT $1::int AS x', [1])).toEqual([{ x: 1 }]);
    const { rows } = await main.query('SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = $1', [APPLICATION_NAME]);
    expect(rows).toEqual([{ ended: true }]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await reads.query('SELECT $1::int AS x', [2])).toEqual([{ x: 2 }]);
  });

  it(`keeps at most ${MAX_PREPARED_STATEMENTS} statements prepared and runs newer ones on the fallback`, async () => {
    for (let i = 0; i < MAX_PREPARED_STATEMENTS; i++) await reads.query(`SELECT ${i} + $1::int AS x`, [1]);
    expect(reads.prepared).toBe(MAX_PREPARED_STATEMENTS);
    expect(fallbackRuns).toEqual([]);

    expect(await reads.query('SELECT -1 + $1::int AS x', [1])).toEqual([{ x: 0 }]);
    expect(fallbackRuns).toEqual(['SELECT -1 + $1::int AS x']);
    expect(await reads.query('SELECT 0 + $1::int AS x', [2])).toEqual([{ x: 2 }]);
    expect(fallbackRuns).toHaveLength(1);
    expect(reads.prepared).toBe(MAX_PREPARED_STATEMENTS);
  });
});
