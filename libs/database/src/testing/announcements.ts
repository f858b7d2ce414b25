import { Client } from 'pg';

/** A listener on the live events channel, and the recording of timeline events on one item. */
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

/**
 * Listens on `headwaters_events` of the database at `url`; events are recorded on item `itemId`
 * (which the test makes: the item's own library alone writes that table's rows).
 */
export async function listenToAnnouncements(url: string, itemId: number): Promise<Announcements> {
  const listener = new Client({ connectionString: url });
  await listener.connect();
  const received: string[] = [];
  listener.on('notification', (message) => message.channel === 'headwaters_events' && received.push(message.payload ?? ''));
  await listener.query('LISTEN headwaters_events');
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
