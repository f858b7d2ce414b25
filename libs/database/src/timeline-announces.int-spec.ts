import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from './testing';

/** Migration TimelineAnnounces: what a statement records on the timeline announces itself on commit. */
describe('the timeline announcing what it records', () => {
  let db: TestDatabase;
  let writer: Client;
  let listener: Client;
  const received: string[] = [];
  let itemId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    writer = new Client({ connectionString: db.url });
    listener = new Client({ connectionString: db.url });
    await Promise.all([writer.connect(), listener.connect()]);
    listener.on('notification', (message) => message.channel === 'headwaters_events' && received.push(message.payload ?? ''));
    await listener.query('LISTEN headwaters_events');
    const [{ id: userId }] = (await writer.query(`INSERT INTO app_user (username, email, password_hash) VALUES ('announcer', 'announcer@example.org', '!') RETURNING id`)).rows;
    const [{ id: upstreamId }] = (await writer.query(`SELECT id FROM upstream ORDER BY id LIMIT 1`)).rows;
    [{ id: itemId }] = (await writer.query(
      `INSERT INTO item (kind, title, description, reporter_id, route_upstream_id, route_reason) VALUES ('BUG', 'Announced', 'd', $1, $2, 'test') RETURNING id`,
      [userId, upstreamId],
    )).rows;
  });
  afterAll(async () => {
    await Promise.all([writer.end(), listener.end()]);
    await db.drop();
  });

  async function until(condition: () => boolean): Promise<void> {
    for (let waited = 0; !condition(); waited += 20) {
      if (waited > 5000) throw new Error('timed out waiting for notifications');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const record = (count: number) =>
    writer.query<{ id: number }>(`INSERT INTO timeline_event (item_id, type, summary) SELECT $1, 'COMMENTED', 'x' FROM generate_series(1, $2) RETURNING id`, [itemId, count]);

  it('sends the ids of a statement\'s events once it commits, in payloads under the 8000-byte limit', async () => {
    await writer.query('START TRANSACTION');
    const { rows } = await record(1200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toEqual([]);
    await writer.query('COMMIT');
    await until(() => received.length === 3);
    expect(received.every((payload) => Buffer.byteLength(payload) < 8000)).toBe(true);
    expect(received.flatMap((payload) => payload.split(',').map(Number))).toEqual(rows.map((r) => r.id).sort((a, b) => a - b));
  });

  it('sends nothing for events of a transaction rolled back', async () => {
    received.length = 0;
    await writer.query('START TRANSACTION');
    await record(3);
    await writer.query('ROLLBACK');
    const { rows } = await record(1);
    await until(() => received.length === 1);
    expect(received).toEqual([String(rows[0].id)]);
  });
});
