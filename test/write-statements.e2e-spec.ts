import { ANNOUNCE_AFTER_COMMIT, ANNOUNCE_COMMITTED } from '@headwaters/database';
import { createActor, type TestActor } from './support/actors';
import { StatementLog } from './support/statement-log';
import { startTestApp, type TestApp } from './support/test-app';

const FILE = `mutation ($input: FileBugInput!) { fileBug(input: $input) { bug { id number route { upstream { slug } reason } } } }`;
const VOTE = `mutation ($input: VoteInput!) { vote(input: $input) { item { id voteCount } } }`;
const UNVOTE = `mutation ($input: VoteInput!) { unvote(input: $input) { item { id voteCount } } }`;

/**
 * The statements (each one round trip to PostgreSQL) a filing and a vote cost, as the
 * benchmark's write scenarios send them. `WRITE_STATEMENTS=1` prints them.
 */
describe('the cost of a write', () => {
  let app: TestApp;
  let reporter: TestActor;
  const log = new StatementLog();

  beforeAll(async () => {
    // API only: the job queue's workers poll in the background, and their statements are not the write's.
    app = await startTestApp({ config: { HEADWATERS_ROLE: 'api' } });
    reporter = await createActor(app);
    log.start();
  });
  afterAll(async () => {
    log.stop();
    await app.close();
  });

  /**
   * The fewest statements of three runs of `send` (the catalogue cache and the token's last use
   * are refreshed now and then). Each run's transaction must switch its marked statements to their
   * generic plans once, and not back and forth, in the round trip that opens it.
   */
  async function measure(label: string, send: (attempt: number) => Promise<{ errors?: unknown }>): Promise<number> {
    await send(-1);
    const runs: string[][] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      log.statements = [];
      expect((await send(attempt)).errors).toBeUndefined();
      // The hourly budget's flush runs once a second beside requests, not as part of one; the
      // live announcement follows a commit on its connection, and the request does not wait for it.
      runs.push(log.statements.filter((sql) => !/api_usage/.test(sql) && sql !== ANNOUNCE_COMMITTED));
    }
    const fewest = runs.reduce((a, b) => (b.length < a.length ? b : a));
    // Once, riding with START TRANSACTION (the connection's last transaction ran marked statements too).
    expect(fewest.filter((sql) => /plan_cache_mode/.test(sql))).toEqual([`START TRANSACTION; SET LOCAL plan_cache_mode = force_generic_plan; ${ANNOUNCE_AFTER_COMMIT}`]);
    if (process.env.WRITE_STATEMENTS === '1') console.log(`${label}: ${fewest.length} statements\n${fewest.map((s, i) => `${i + 1}. ${s.replace(/\s+/g, ' ').slice(0, 160)}`).join('\n')}`);
    return fewest.length;
  }

  it('files a bug in a few statements: one writes the item, its releases and its events', async () => {
    const file = async (attempt: number) =>
      (await app.gql(FILE, { input: { title: `Benchmark-like report ${attempt + 1}`, description: 'Filed by the test.', componentSlug: 'xapi/xenopsd' } }, { token: reporter.token })).body;
    log.named = [];
    // The SET LOCAL that keeps the marked statements' plans (PostgreSQL would plan the audience
    // and the webhook lookup again at each run: 4 ms of planning per filing) rides with START
    // TRANSACTION, the live NOTIFY is no statement of its own (the timeline's trigger sends it),
    // and the events' audience and webhooks are looked up in one statement.
    expect(await measure('fileBug', file)).toBeLessThanOrEqual(5);
    // The filing's own statement and its events' sinks' heavy ones go prepared (parsed and planned once per connection).
    expect(log.named.some((sql) => /INSERT INTO item AS i/.test(sql))).toBe(true);
    expect(log.named.some((sql) => /INSERT INTO notification/.test(sql))).toBe(true);
    expect(log.named.some((sql) => /INSERT INTO notification/.test(sql) && /FROM timeline_event e\s+JOIN item i/.test(sql) && /webhook w/.test(sql))).toBe(true);
  });

  it('files from the catalogue in memory only while it is current: an edit made behind it counts at once', async () => {
    const file = async (componentSlug: string) =>
      (await app.gql<{ fileBug: { bug: { number: number; route: { upstream: { slug: string } } } } }>(FILE, { input: { title: 'Report on a changing component', description: 'd', componentSlug } }, { token: reporter.token })).body;
    expect((await file('xapi/xenopsd')).errors).toBeUndefined(); // the catalogue is now in memory
    // Edits straight in the database: no instance has cleared its copy.
    await app.sql(`UPDATE component SET retired_at = now() WHERE slug = 'xapi/xenopsd'`);
    try {
      const refused = await file('xapi/xenopsd');
      expect(refused.errors).toHaveLength(1);
      expect(refused.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'componentSlug' } });
    } finally {
      await app.sql(`UPDATE component SET retired_at = NULL WHERE slug = 'xapi/xenopsd'`);
    }
    const [{ id: newest }] = await app.sql<{ id: number }>(`INSERT INTO component (slug, name, description, parent_id) SELECT 'xapi/brand-new', 'Brand new', '', id FROM component WHERE slug = 'xapi' RETURNING id`);
    const filed = await file('xapi/brand-new');
    expect(filed.errors).toBeUndefined();
    const [row] = await app.sql<{ component_id: number }>(`SELECT component_id FROM item WHERE number = $1`, [filed.data!.fileBug.bug.number]);
    expect(row.component_id).toBe(newest);
  });

  it('never waits inside a filing for a connection of the pool: concurrent filings on a small pool, the catalogue copy expired', async () => {
    const small = await startTestApp({ config: { HEADWATERS_ROLE: 'api', DB_POOL_SIZE: 2 } });
    try {
      const filer = await createActor(small);
      // The catalogue in memory is kept a second: let it expire, so the filings must load it.
      await new Promise((r) => setTimeout(r, 1100));
      const filings = Array.from({ length: 6 }, (_, i) =>
        fetch(small.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${filer.token}` },
          body: JSON.stringify({ query: FILE, variables: { input: { title: `Report on a small pool ${i}`, description: 'd', componentSlug: 'xapi' } } }),
          signal: AbortSignal.timeout(20_000),
        }).then(async (r) => ((await r.json()) as { errors?: unknown }).errors),
      );
      expect(await Promise.all(filings)).toEqual(Array.from({ length: 6 }, () => undefined));
    } finally {
      await small.close();
    }
  }, 90_000);

  it('votes and takes a vote back in a few statements', async () => {
    const filed = await app.gql<{ fileBug: { bug: { id: string } } }>(FILE, { input: { title: 'Something to vote for', description: 'd', componentSlug: 'xapi' } }, { token: reporter.token });
    const id = filed.body.data!.fileBug.bug.id;
    const voter = await createActor(app);
    const vote = async (attempt: number) => (await app.gql(attempt % 2 ? UNVOTE : VOTE, { input: { itemId: id } }, { token: voter.token })).body;
    log.named = [];
    // The vote's event is told to nobody: its webhooks are looked up in the statement that writes it.
    expect(await measure('vote/unvote', vote)).toBeLessThanOrEqual(7);
    expect(log.named.some((sql) => /INSERT INTO timeline_event/.test(sql) && /webhook w/.test(sql))).toBe(true);
  });
});
