import { createActor, type TestActor } from './support/actors';
import { insertItems } from './support/seed-items';
import { StatementLog } from './support/statement-log';
import { startTestApp, type TestApp } from './support/test-app';

const PAGE = `query ($first: Int!) {
  items(first: $first, orderBy: { field: NUMBER, direction: ASC }) {
    nodes { number forwards { state upstream { slug } deliveries(first: 2) { totalCount nodes { state destination messageId } } } }
  }
}`;

interface Page {
  items: { nodes: { number: number; forwards: { state: string; upstream: { slug: string }; deliveries: { totalCount: number; nodes: { state: string; destination: string; messageId: string }[] } }[] }[] };
}

describe('the deliveries of a page of forwards', () => {
  let app: TestApp;
  let reporter: TestActor;
  const log = new StatementLog();

  beforeAll(async () => {
    // API only: the job queue's workers poll in the background, and their statements are not the page's.
    app = await startTestApp({ config: { HEADWATERS_ROLE: 'api' } });
    reporter = await createActor(app);
    const ids = await insertItems(
      app,
      Array.from({ length: 30 }, (_, i) => ({ title: `Forwarded ${i}`, componentSlug: 'xapi', upstreamSlug: 'xapi-project', reporterId: reporter.userId, forwardState: 'FORWARDED' })),
    );
    // Each item also affects Debian; each forward has as many deliveries as its item's place mod 3 (0, 1 or 2 rounds).
    await app.sql(`INSERT INTO forward (item_id, upstream_id, kind, state) SELECT id, (SELECT id FROM upstream WHERE slug = 'debian'), 'ALSO_AFFECTS', 'PENDING' FROM item WHERE id = ANY($1)`, [ids]);
    await app.sql(
      `INSERT INTO delivery (event, channel, destination, subject, payload, headers, message_id, forward_id, max_attempts, state, attempts)
       SELECT 'item.forwarded', 'MAIL', u.mailing_list, 'bench', 'body', '{}', '<item-' || f.item_id || '.forward-' || f.id || '.' || n || '@test>', f.id, 10,
              CASE WHEN n = 1 THEN 'FAILED' ELSE 'DELIVERED' END, 1
       FROM forward f JOIN upstream u ON u.id = f.upstream_id, generate_series(1, 2) n
       WHERE f.item_id = ANY($1) AND n <= (SELECT count(*) FROM item i WHERE i.id <= f.item_id AND i.id = ANY($1)) % 3
       ORDER BY f.id, n`,
      [ids],
    );
    log.start();
  });
  afterAll(async () => {
    log.stop();
    await app.close();
  });

  /**
   * One request of the page and its statements. The cached catalogue is read again once a second,
   * which may fall into any request on a loaded machine: the least of three requests is the page's
   * own cost.
   */
  async function page(first: number): Promise<{ page: Page; deliveryStatements: number; all: number }> {
    await app.gql(PAGE, { first }); // warms the catalogue cache
    const runs: { page: Page; deliveryStatements: number; all: number }[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      log.statements = [];
      const response = await app.gql<Page>(PAGE, { first });
      expect(response.body.errors).toBeUndefined();
      const all = log.statements.filter((sql) => !/api_usage/.test(sql));
      runs.push({ page: response.body.data!, deliveryStatements: all.filter((sql) => /FROM delivery/.test(sql)).length, all: all.length });
    }
    return runs.reduce((least, run) => (run.all < least.all ? run : least));
  }

  it('reads the deliveries of every forward on the page in one statement, whatever the page size', async () => {
    const small = await page(3);
    const large = await page(30);
    expect(small.deliveryStatements).toBe(1);
    expect(large.deliveryStatements).toBe(1);
    expect(large.all).toBe(small.all);
    expect(large.page.items.nodes).toHaveLength(30);
  });

  it('gives each forward its own deliveries, newest first', async () => {
    const { page: result } = await page(30);
    const rows = await app.sql<{ number: number; slug: string; messageId: string; state: string }>(
      `SELECT i.number, u.slug, d.message_id AS "messageId", d.state FROM delivery d JOIN forward f ON f.id = d.forward_id JOIN item i ON i.id = f.item_id JOIN upstream u ON u.id = f.upstream_id
       WHERE i.title LIKE 'Forwarded %' ORDER BY d.id DESC`,
    );
    expect(rows.length).toBeGreaterThan(20);
    let seen = 0;
    for (const item of result.items.nodes) {
      expect(item.forwards.map((f) => f.upstream.slug)).toEqual(['xapi-project', 'debian']);
      for (const forward of item.forwards) {
        const expected = rows.filter((r) => r.number === item.number && r.slug === forward.upstream.slug);
        expect(forward.deliveries.totalCount).toBe(expected.length);
        expect(forward.deliveries.nodes.map((d) => [d.messageId, d.state])).toEqual(expected.slice(0, 2).map((r) => [r.messageId, r.state]));
        seen += expected.length;
      }
    }
    expect(seen).toBe(rows.length);
  });
});
