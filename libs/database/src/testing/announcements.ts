import { Client } from 'pg';

/** A listener on the live events channel, with an item to record timeline events on. */
export interface Announcements {
  /** Every payload received, in order (clear it with `received.length = 0`). */
  readonly received: string[];
  /** The event ids of every payload received, in order. */
  ids(): number[];
  /** Waits (up to 5 s) until `condition` holds. */
  until(condition: () => boolean): Promise<void>;
  /** Records `count` events on the item through `client`: their ids, ascending. */
  record(client: Pick<Client, 'query'>, count: number): Promise<number[]>;
  close(): Promise<void>;
}

/** Listens on `headwaters_events` of the database at `url`, and makes a user and an item there for the events. */
export async function listenToAnnouncements(url: string): Promise<Announcements> {
  const listener = new Client({ connectionString: url });
  await listener.connect();
  const received: string[] = [];
  listener.on('notification', (message) => message.channel === 'headwaters_events' && received.push(message.payload ?? ''));
  await listener.query('LISTEN headwaters_events');
  const [{ id: userId }] = (await listener.query(`INSERT INTO app_user (username, email, password_hash) VALUES ('announcer', 'announcer@example.org', '!') RETURNING id`)).rows;
  const [{ id: upstreamId }] = (await listener.query(`SELECT id FROM upstream ORDER BY id LIMIT 1`)).rows;
  const [{ id: itemId }] = (await listener.query(
    `INSERT INTO item (kind, title, description, reporter_id, route_upstream_id, route_reason) VALUES ('BUG', 'Announced', 'd', $1, $2, 'test') RETURNING id`,
    [userId, upstreamId],
  )).rows;
  return {
    received,
    ids: () => received.flatMap((payload) => payload.split(',').map(Number)),
    async until(condition) {
      for (let waited = 0; !condition(); waited += 20) {
        if (waited > 5000) throw new Error(`timed out waiting for notifications (got ${JSON.stringify(received)})`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async record(client, count) {
      const { rows } = await client.query<{ id: number }>(`INSERT INTO timeline_event (item_id, type, summary) SELECT $1, 'COMMENTED', 'x' FROM generate_series(1, $2) RETURNING id`, [itemId, count]);
      return rows.map((r) => r.id).sort((a, b) => a - b);
    },
    close: () => listener.end(),
  };
}
