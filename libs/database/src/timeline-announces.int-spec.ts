import { Client } from 'pg';
import { createTestDatabase, listenToAnnouncements, type Announcements, type TestDatabase } from './testing';

/** Migration TimelineAnnounces: what a statement records on the timeline announces itself on commit. */
describe('the timeline announcing what it records', () => {
  let db: TestDatabase;
  let writer: Client;
  let announcements: Announcements;

  beforeAll(async () => {
    db = await createTestDatabase();
    writer = new Client({ connectionString: db.url });
    await writer.connect();
    const [{ id: userId }] = (await writer.query(`INSERT INTO app_user (username, email, password_hash) VALUES ('announcer', 'announcer@example.org', '!') RETURNING id`)).rows;
    const [{ id: upstreamId }] = (await writer.query(`SELECT id FROM upstream ORDER BY id LIMIT 1`)).rows;
    const [{ id: itemId }] = (await writer.query(
      `INSERT INTO item (kind, title, description, reporter_id, route_upstream_id, route_reason) VALUES ('BUG', 'Announced', 'd', $1, $2, 'test') RETURNING id`,
      [userId, upstreamId],
    )).rows;
    announcements = await listenToAnnouncements(db.url, itemId);
  });
  afterAll(async () => {
    await Promise.all([writer.end(), announcements.close()]);
    await db.drop();
  });

  it('sends the ids of a statement\'s events once it commits, in payloads under the 8000-byte limit', async () => {
    const { received, until } = announcements;
    await writer.query('START TRANSACTION');
    const recorded = await announcements.record(writer, 1200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toEqual([]);
    await writer.query('COMMIT');
    await until(() => received.length === 3);
    expect(received.every((payload) => Buffer.byteLength(payload) < 8000)).toBe(true);
    expect(announcements.ids()).toEqual(recorded);
  });

  it('sends nothing for events of a transaction rolled back', async () => {
    const { received, until } = announcements;
    received.length = 0;
    await writer.query('START TRANSACTION');
    await announcements.record(writer, 3);
    await writer.query('ROLLBACK');
    const [id] = await announcements.record(writer, 1);
    await until(() => received.length === 1);
    expect(received).toEqual([String(id)]);
  });
});
