import { Client } from 'pg';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = (votes: number) => `c${votes}: items(first: 1, filter: { minVotes: ${votes} }) { totalCount }`;

describe('expensive requests', () => {
  let app: TestApp;
  let locker: Client;

  beforeAll(async () => {
    // No pause after each (share 1), and a short wait, so that the test is about turns only.
    app = await startTestApp({ config: { QUERY_EXPENSIVE_SHARE: 1, QUERY_EXPENSIVE_WAIT_MS: 300, QUERY_EXPENSIVE_CONNECTIONS: 2 } });
    locker = new Client({ connectionString: app.db.url });
    await locker.connect();
  });
  afterAll(async () => {
    await locker.end();
    await app.close();
  });

  const untilWaiting = async (n: number) => {
    for (let i = 0; i < 100 && (await app.backendsWaitingOnLocks()) < n; i++) await sleep(20);
    return app.backendsWaitingOnLocks();
  };

  it('take turns: one that waits too long is SERVICE_UNAVAILABLE (503, Retry-After); cheap requests do not wait', async () => {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE item IN ACCESS EXCLUSIVE MODE');
    let first: ReturnType<TestApp['gql']> | undefined;
    try {
      // 252 points: expensive. It takes its turn, then waits on the lock in the database.
      first = app.gql(`{ ${count(0)} }`);
      expect(await untilWaiting(1)).toBe(1);
      const started = Date.now();
      const second = await app.gql(`{ ${count(1)} }`);
      expect(second.status).toBe(503);
      expect(errorCodes(second)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(second.body.errors![0].extensions).toMatchObject({ reason: 'BUSY' });
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      // Nothing of it ran: no second backend ever waited.
      expect(await app.backendsWaitingOnLocks()).toBe(1);
      // A cheap request is answered while the expensive one still holds its turn.
      const cheap = await app.gql<{ rateLimit: { cost: number } }>('{ rateLimit { cost } }');
      expect(cheap.body.data!.rateLimit.cost).toBe(1);
    } finally {
      await locker.query('COMMIT');
    }
    const answered = await first!;
    expect(answered.status).toBe(200);
    expect(answered.body.errors).toBeUndefined();
    // The turn was given back with the answer: the next one runs.
    expect((await app.gql(`{ ${count(1)} }`)).body.errors).toBeUndefined();
  });

  it('hold at most QUERY_EXPENSIVE_CONNECTIONS database connections at once', async () => {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE item IN ACCESS EXCLUSIVE MODE');
    let request: ReturnType<TestApp['gql']> | undefined;
    try {
      // Three lists and counts, resolved side by side: without the limit, three statements at once.
      request = app.gql(`{ ${count(0)} ${count(1)} ${count(2)} }`);
      expect(await untilWaiting(2)).toBe(2);
      await sleep(200);
      expect(await app.backendsWaitingOnLocks()).toBe(2);
    } finally {
      await locker.query('COMMIT');
    }
    const answered = await request!;
    expect(answered.body.errors).toBeUndefined();
    expect(Object.keys(answered.body.data as object)).toEqual(['c0', 'c1', 'c2']);
  });

  it('of a batch share one turn: every operation of it runs', async () => {
    const batch = [0, 1, 2].map((votes) => ({ query: `{ ${count(votes)} }` }));
    const response = await fetch(app.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
    expect(response.status).toBe(200);
    const results = (await response.json()) as { data?: Record<string, { totalCount: number }>; errors?: unknown[] }[];
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
    expect(results.map((r) => Object.keys(r.data!))).toEqual([['c0'], ['c1'], ['c2']]);
  });

  it('leave the queue when their client goes away', async () => {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE item IN ACCESS EXCLUSIVE MODE');
    const patient = await startTestApp({ database: app.db, config: { QUERY_EXPENSIVE_SHARE: 1, QUERY_EXPENSIVE_WAIT_MS: 60_000 } });
    try {
      const first = patient.gql(`{ ${count(0)} }`);
      expect(await untilWaiting(1)).toBe(1);
      const abort = new AbortController();
      const gone = fetch(patient.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ ${count(1)} }` }), signal: abort.signal }).catch((e: Error) => e);
      await sleep(100);
      abort.abort();
      expect(String(await gone)).toMatch(/abort/i);
      await locker.query('COMMIT');
      expect((await first).body.errors).toBeUndefined();
      // The one that left never ran; the next one after the first gets its turn at once.
      const started = Date.now();
      expect((await patient.gql(`{ ${count(2)} }`)).body.errors).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await patient.close();
    }
  });
});
