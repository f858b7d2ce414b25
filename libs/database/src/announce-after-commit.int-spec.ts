import { Client, Pool, type PoolClient } from 'pg';
import { ANNOUNCE_COMMITTED } from './announce-after-commit';
import { watchPool } from './query-scope';
import { createTestDatabase, listenToAnnouncements, type Announcements, type TestDatabase } from './testing';

/**
 * Migration AnnounceAfterCommit and the watched connections: a transaction of the app announces
 * its events once its commit has returned, not within it.
 */
describe('events announced after their commit', () => {
  let db: TestDatabase;
  let pool: Pool;
  let raw: Client;
  let announcements: Announcements;
  let received: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 1 });
    watchPool(pool);
    raw = new Client({ connectionString: db.url });
    await raw.connect();
    const [{ id: userId }] = (await raw.query(`INSERT INTO app_user (username, email, password_hash) VALUES ('announcer', 'announcer@example.org', '!') RETURNING id`)).rows;
    const [{ id: upstreamId }] = (await raw.query(`SELECT id FROM upstream ORDER BY id LIMIT 1`)).rows;
    const [{ id: itemId }] = (await raw.query(
      `INSERT INTO item (kind, title, description, reporter_id, route_upstream_id, route_reason) VALUES ('BUG', 'Announced later', 'd', $1, $2, 'test') RETURNING id`,
      [userId, upstreamId],
    )).rows;
    announcements = await listenToAnnouncements(db.url, itemId);
    ({ received } = announcements);
  });
  afterAll(async () => {
    await pool.end();
    await Promise.all([announcements.close(), raw.end()]);
    await db.drop();
  });
  beforeEach(() => {
    received.length = 0;
  });

  const until = (condition: () => boolean) => announcements.until(condition);
  const record = (client: Client | PoolClient, count: number) => announcements.record(client, count);
  const ids = () => announcements.ids();
  /** Waits long enough for a notification that was sent to have arrived. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

  /** Runs `work` on the watched pool's one connection, every statement as the app sends it. */
  async function onWatched<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  }

  it('sends a transaction\'s events after its commit, in order, in payloads under the 8000-byte limit', async () => {
    const recorded = await onWatched(async (client) => {
      await client.query('START TRANSACTION');
      const first = await record(client, 1200);
      const second = await record(client, 2);
      await settle();
      expect(received).toEqual([]);
      await client.query('COMMIT');
      return [...first, ...second];
    });
    await until(() => ids().length === recorded.length);
    expect(ids()).toEqual(recorded);
    expect(received).toHaveLength(4); // 500, 500, 200 of the first statement, 2 of the second
    expect(received.every((payload) => Buffer.byteLength(payload) < 8000)).toBe(true);
  });

  it('does not announce within the commit: a transaction that asked is silent until the announcement is sent', async () => {
    // As a watched connection opens and commits, without the announcement that follows.
    await raw.query(`START TRANSACTION; SET LOCAL headwaters.announce = 'after_commit'`);
    const recorded = await record(raw, 3);
    await raw.query('COMMIT');
    await settle();
    expect(received).toEqual([]);
    await raw.query(ANNOUNCE_COMMITTED);
    await until(() => received.length === 1);
    expect(ids()).toEqual(recorded);
    // The session's list was emptied: a second announcement sends nothing.
    await raw.query(ANNOUNCE_COMMITTED);
    await settle();
    expect(received).toHaveLength(1);
  });

  it('keeps the ids of an announcement that failed for the connection\'s next one', async () => {
    await raw.query(`START TRANSACTION; SET LOCAL headwaters.announce = 'after_commit'`);
    const first = await record(raw, 2);
    await raw.query('COMMIT');
    // An announcement that fails (here rolled back) takes the emptying of the list back with it.
    await raw.query('START TRANSACTION');
    await raw.query(ANNOUNCE_COMMITTED);
    await raw.query('ROLLBACK');
    await settle();
    expect(received).toEqual([]);
    await raw.query(`START TRANSACTION; SET LOCAL headwaters.announce = 'after_commit'`);
    const second = await record(raw, 1);
    await raw.query('COMMIT');
    await raw.query(ANNOUNCE_COMMITTED);
    await until(() => ids().length === 3);
    expect(ids()).toEqual([...first, ...second]);
  });

  it('sends an announcement again when a cancel meant for its commit lands on it', async () => {
    const client = await pool.connect();
    const prototype = Object.getPrototypeOf(client) as { query: (...args: unknown[]) => unknown };
    const original = prototype.query;
    // The first announcement is held on the server long enough to be cancelled there.
    let held = false;
    prototype.query = function (this: unknown, ...args: unknown[]) {
      if (args[0] === ANNOUNCE_COMMITTED && !held) {
        held = true;
        return original.apply(this, [`SELECT pg_sleep(5); ${ANNOUNCE_COMMITTED}`, ...args.slice(1)]);
      }
      return original.apply(this, args);
    };
    try {
      const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      await client.query('START TRANSACTION');
      const recorded = await record(client, 2);
      await client.query('COMMIT');
      for (let waited = 0; ; waited += 20) {
        const { rows } = await raw.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND query LIKE 'SELECT pg_sleep(5)%'`, [pid]);
        if (rows[0].n > 0) break;
        if (waited > 3000) throw new Error('the held announcement never ran');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(received).toEqual([]);
      await raw.query('SELECT pg_cancel_backend($1)', [pid]);
      await until(() => ids().length === 2);
      expect(ids()).toEqual(recorded);
    } finally {
      prototype.query = original;
      client.release();
    }
  });

  it('sends nothing for what was rolled back, whole or to a savepoint', async () => {
    const kept = await onWatched(async (client) => {
      await client.query('START TRANSACTION');
      await record(client, 2);
      await client.query('ROLLBACK');
      await client.query('START TRANSACTION');
      const before = await record(client, 1);
      await client.query('SAVEPOINT undone');
      await record(client, 4);
      await client.query('ROLLBACK TO SAVEPOINT undone');
      const after = await record(client, 1);
      await client.query('COMMIT');
      return [...before, ...after];
    });
    await until(() => ids().length >= kept.length);
    await settle();
    expect(ids()).toEqual(kept);
  });

  it('sends nothing after a transaction that recorded nothing, and a statement outside one announces itself', async () => {
    await onWatched(async (client) => {
      await client.query('START TRANSACTION');
      await client.query('SELECT 1');
      await client.query('COMMIT');
      await settle();
      expect(received).toEqual([]);
      const alone = await record(client, 1);
      await until(() => received.length === 1);
      expect(ids()).toEqual(alone);
    });
  });

  it('lets a transaction opened otherwise announce within its commit, as before', async () => {
    const recorded = await onWatched(async (client) => {
      await client.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const events = await record(client, 2);
      await client.query('COMMIT');
      return events;
    });
    await until(() => received.length === 1);
    expect(ids()).toEqual(recorded);
  });

  it('reports a failed commit as failed, and announces nothing of it', async () => {
    await raw.query(`CREATE TABLE IF NOT EXISTS announce_check (id int PRIMARY KEY, ref int REFERENCES announce_check (id) DEFERRABLE INITIALLY DEFERRED)`);
    await onWatched(async (client) => {
      await client.query('START TRANSACTION');
      await record(client, 2);
      await client.query('INSERT INTO announce_check VALUES (1, 99)');
      await expect(client.query('COMMIT')).rejects.toMatchObject({ code: '23503' });
      await settle();
      expect(received).toEqual([]);
      // The connection goes on: its next transaction announces only its own events.
      await client.query('START TRANSACTION');
      const next = await record(client, 1);
      await client.query('COMMIT');
      await until(() => received.length === 1);
      expect(ids()).toEqual(next);
    });
  });
});
