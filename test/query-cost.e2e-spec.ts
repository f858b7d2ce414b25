import { createActor } from './support/actors';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

describe('the cost model', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const nested = (levels: number): string => {
    let selection = 'id';
    for (let i = 0; i < levels; i++) selection = `duplicateOf { ${selection} }`;
    return `{ item(number: 1) { ${selection} } }`;
  };

  it('runs a query 15 levels deep, and refuses one deeper before running it', async () => {
    const ok = await app.gql(nested(13));
    expect(ok.body).toEqual({ data: { item: null } });
    const deep = await app.gql(nested(14));
    expect(errorCodes(deep)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(deep.body.errors![0].message).toMatch(/15 levels/);
    expect(deep.body.data).toBeUndefined();
  });

  it('refuses a request over 1000 points, counting page sizes from variables', async () => {
    // Each alias: its list (1, or 10 for a search) + 100 items read (10) + 100 items x (2 connections + 2 counts) = 411 or 420.
    const page = (n: string) => `nodes { comments(first: ${n}) { totalCount nodes { body } } timeline(first: ${n}) { totalCount nodes { summary } } }`;
    const query = `query ($n: Int) { a: items(first: 100) { ${page('$n')} } b: search(query: "x", first: 100) { ${page('$n')} } c: items(last: 100) { ${page('$n')} } }`;
    const refused = await app.gql(query, { n: 10 });
    expect(errorCodes(refused)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(refused.body.errors![0].message).toMatch(/costs 1242 points; at most 1000/);
    const smaller = `query ($n: Int) { a: items(first: 100) { ${page('$n')} } b: search(query: "x", first: 100) { ${page('$n')} } }`;
    expect((await app.gql(smaller, { n: 10 })).body.errors).toBeUndefined();
  });

  it.each([
    ['2,000 aliases of the whole schema', `{ ${Array.from({ length: 2000 }, (_, i) => `a${i}: __schema { types { name fields { name type { name } } } }`).join(' ')} }`, /2000 aliases; at most 100/],
    ['7 introspections of the whole schema', `{ ${Array.from({ length: 7 }, (_, i) => `a${i}: __schema { types { name fields { name type { name } } } }`).join(' ')} }`, /costs 1050 points/],
    ['1000 aliases of similarItems', `{ ${Array.from({ length: 1000 }, (_, i) => `s${i}: similarItems(title: "memory leak", first: 20) { id }`).join(' ')} }`, /aliases/],
    ['41 aliases of similarItems', `{ ${Array.from({ length: 41 }, (_, i) => `s${i}: similarItems(title: "memory leak", first: 20) { id }`).join(' ')} }`, /costs 1025 points/],
    ['4 counts of every item', `{ ${Array.from({ length: 4 }, (_, i) => `c${i}: items(first: 1, filter: { minVotes: ${i} }) { totalCount }`).join(' ')} }`, /costs 1005 points/],
    ['a tree of fragments, 7 levels of 10 spreads', treeOfFragments(7), /points/],
    ['11 operations', Array.from({ length: 11 }, (_, i) => `query q${i} { __typename }`).join('\n'), /11 operations/],
  ])('refuses %s quickly, before running anything', async (_, query, message) => {
    const response = await app.gql(query);
    expect(errorCodes(response)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(response.body.errors![0].message).toMatch(message);
  });

  it('answers rateLimit as GitHub does: this request\'s cost and what is left of the hour', async () => {
    const response = await app.gql<{ rateLimit: { cost: number; limit: number; remaining: number; resetAt: string } }>(`{ rateLimit { cost limit remaining resetAt } items(first: 5) { totalCount } }`);
    const { rateLimit } = response.body.data!;
    // items 1 + 5 items read (0.5) + a count of items 250, rounded up.
    expect(rateLimit).toMatchObject({ cost: 252, limit: 100_000_000 });
    expect(rateLimit.remaining).toBeLessThanOrEqual(100_000_000 - 252);
    const reset = new Date(rateLimit.resetAt).getTime();
    expect(reset % 3_600_000).toBe(0);
    expect(reset - Date.now()).toBeLessThanOrEqual(3_600_000);
  });
});

describe('the hourly budget', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    first = await startTestApp({ config: { RATE_LIMIT_POINTS_PER_HOUR: 800 } });
    second = await startTestApp({ config: { RATE_LIMIT_POINTS_PER_HOUR: 800 } });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('answers RATE_LIMITED with HTTP 429 and Retry-After once the hour\'s points are spent, per address', async () => {
    const count = `{ items(first: 1) { totalCount } }`; // 1 + 0.1 + 250: 252 points
    for (let i = 0; i < 3; i++) expect((await first.gql(count)).body.errors).toBeUndefined();
    const spent = await first.gql(count);
    expect(spent.status).toBe(429);
    expect(errorCodes(spent)).toEqual(['RATE_LIMITED']);
    expect(spent.body.errors![0].extensions).toMatchObject({ cost: 252, limit: 800, remaining: 44 });
    const retryAfter = Number(spent.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // What is left still buys cheaper requests.
    const cheap = await first.gql<{ rateLimit: { remaining: number } }>(`{ rateLimit { remaining } item(number: 1) { id } }`);
    expect(cheap.body.data!.rateLimit.remaining).toBe(43);
  });

  it('counts a signed-in user on their own budget, not their address\'s', async () => {
    const user = await createActor(first);
    const response = await first.gql<{ rateLimit: { cost: number; remaining: number } }>(`{ rateLimit { cost remaining } items(first: 1) { totalCount } }`, {}, { token: user.token });
    expect(response.body.data!.rateLimit).toEqual({ cost: 252, remaining: 548 });
  });

  it('is shared by instances over one database, without a write per request', async () => {
    const shared = await startTestApp({ config: { RATE_LIMIT_POINTS_PER_HOUR: 200 } });
    try {
      // `shared` gets its own database; point a second app at the same one through SQL instead:
      // the budget lives in api_usage, so points written there by another instance count here.
      const window = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
      await shared.sql(`INSERT INTO api_usage (subject, window_start, points) VALUES ('address:127.0.0.1', $1, 100)`, [window]);
      const before = await shared.sql<{ n: number }>(`SELECT count(*)::int AS n FROM api_usage`);
      const one = await shared.gql<{ rateLimit: { remaining: number } }>(`{ rateLimit { remaining } }`);
      expect(one.body.data!.rateLimit.remaining).toBe(199); // not known yet: learned at the next flush
      await new Promise((r) => setTimeout(r, 1300));
      expect(await shared.sql(`SELECT points::int FROM api_usage WHERE subject = 'address:127.0.0.1'`)).toEqual([{ points: 101 }]);
      expect(await shared.sql(`SELECT count(*)::int AS n FROM api_usage`)).toEqual(before);
      const two = await shared.gql<{ rateLimit: { remaining: number } }>(`{ rateLimit { remaining } }`);
      expect(two.body.data!.rateLimit.remaining).toBe(98);
    } finally {
      await shared.close();
    }
    expect(second.url).toBeTruthy();
  });
});

function treeOfFragments(levels: number): string {
  let document = 'fragment f0 on Item { comments(first: 1) { totalCount } }\n';
  for (let level = 1; level <= levels; level++) {
    document += `fragment f${level} on Item { ${Array.from({ length: 10 }, () => `...f${level - 1}`).join(' ')} }\n`;
  }
  return `${document}{ item(number: 1) { ...f${levels} } }`;
}
