import { Client } from 'pg';
import { createActor } from './support/actors';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('work of a request', () => {
  let app: TestApp;
  let locker: Client;

  beforeAll(async () => {
    app = await startTestApp({ config: { DB_STATEMENT_TIMEOUT_MS: 600 } });
    locker = new Client({ connectionString: app.db.url });
    await locker.connect();
  });
  afterAll(async () => {
    await locker.end();
    await app.close();
  });


  it('stops when its client goes away: the statements it was running are cancelled', async () => {
    // A long statement timeout, so that only the client's leaving can stop the statement.
    const patient = await startTestApp({ config: { DB_STATEMENT_TIMEOUT_MS: 60_000 } });
    const lock = new Client({ connectionString: patient.db.url });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE item IN ACCESS EXCLUSIVE MODE');
      const abort = new AbortController();
      const request = fetch(patient.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ items(first: 5) { totalCount nodes { number } } }' }), signal: abort.signal }).catch((e: Error) => e);
      const backendsWaiting = async () =>
        (await patient.sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'headwaters%' AND wait_event_type = 'Lock'`))[0].n;
      for (let i = 0; i < 50 && (await backendsWaiting()) === 0; i++) await sleep(20);
      expect(await backendsWaiting()).toBeGreaterThan(0);
      abort.abort();
      expect(String(await request)).toMatch(/abort/i);
      let left = await backendsWaiting();
      for (let i = 0; i < 100 && left > 0; i++) {
        await sleep(20);
        left = await backendsWaiting();
      }
      // Still holding the lock: the statements were cancelled, not finished.
      expect(left).toBe(0);
      await lock.query('COMMIT');
      // The server goes on serving.
      expect((await patient.gql('{ items(first: 1) { totalCount } }')).body.errors).toBeUndefined();
    } finally {
      await lock.end();
      await patient.close();
    }
  });

  it('ends the transaction of a write whose client went away, so its connection goes back to the pool clean', async () => {
    const patient = await startTestApp({ config: { DB_STATEMENT_TIMEOUT_MS: 60_000, DB_POOL_SIZE: 2 } });
    const reporter = await createActor(patient);
    const lock = new Client({ connectionString: patient.db.url });
    await lock.connect();
    const file = (title: string, signal?: AbortSignal) =>
      fetch(patient.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${reporter.token}` },
        body: JSON.stringify({ query: 'mutation ($input: FileBugInput!) { fileBug(input: $input) { bug { number } } }', variables: { input: { title, description: 'd' } } }),
        // A connection left broken would make a later filing wait for ever: fail then, do not hang.
        signal: signal ?? AbortSignal.timeout(20_000),
      });
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE item IN ACCESS EXCLUSIVE MODE');
      // Two filings wait on the lock inside their transactions, one on each connection of the pool.
      const aborts = [new AbortController(), new AbortController()];
      const requests = aborts.map((a, i) => file(`Abandoned report ${i}`, a.signal).catch((e: Error) => e));
      const backendsWaiting = async () =>
        (await patient.sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'headwaters%' AND wait_event_type = 'Lock'`))[0].n;
      for (let i = 0; i < 100 && (await backendsWaiting()) < 2; i++) await sleep(20);
      expect(await backendsWaiting()).toBe(2);
      for (const a of aborts) a.abort();
      for (const r of requests) expect(String(await r)).toMatch(/abort/i);
      for (let i = 0; i < 100 && (await backendsWaiting()) > 0; i++) await sleep(20);
      await lock.query('COMMIT');
      const leftInTransaction = async () =>
        (await patient.sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'headwaters%' AND state LIKE 'idle in transaction%'`))[0].n;
      for (let i = 0; i < 50 && (await leftInTransaction()) > 0; i++) await sleep(20);
      expect(await leftInTransaction()).toBe(0);
      // Both connections serve again: no later request lands in a transaction left open or aborted.
      for (let i = 0; i < 6; i++) {
        const response = await file(`Report after the abandoned ones ${i}`);
        const body = (await response.json()) as { errors?: unknown; data?: { fileBug: { bug: { number: number } } } };
        expect(body.errors).toBeUndefined();
        expect(body.data!.fileBug.bug.number).toBeGreaterThan(0);
      }
      const [{ n }] = await patient.sql<{ n: number }>(`SELECT count(*)::int AS n FROM item WHERE title LIKE 'Abandoned report %'`);
      expect(n).toBe(0);
    } finally {
      await lock.end();
      await patient.close();
    }
    // Its own app (migrated from scratch) starts inside the test: slow on a loaded machine.
  }, 90_000);

  it('runs every statement under statement_timeout: a stuck one is SERVICE_UNAVAILABLE, 503 with Retry-After', async () => {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE item IN ACCESS EXCLUSIVE MODE');
    try {
      const started = Date.now();
      const response = await app.gql('{ items(first: 5) { totalCount } }');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(errorCodes(response)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(response.body.errors![0].extensions!.reason).toBe('STATEMENT_TIMEOUT');
    } finally {
      await locker.query('COMMIT');
    }
    expect(await app.backendsWaitingOnLocks()).toBe(0);
  });
});
