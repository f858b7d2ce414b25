import { startTestApp, type TestApp } from './support/test-app';

const PAGE = 'query Page { items(first: 20) { totalCount nodes { number title } } rateLimit { cost } }';

async function batch(app: TestApp, operations: unknown[]): Promise<{ status: number; body: unknown }> {
  const response = await fetch(app.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(operations) });
  return { status: response.status, body: await response.json() };
}

describe('batched operations', () => {
  let app: TestApp;
  let pageCost: number;
  beforeAll(async () => {
    app = await startTestApp({ config: { QUERY_MAX_BATCH: 3 } });
    const single = await app.gql<{ rateLimit: { cost: number } }>(PAGE);
    pageCost = single.body.data!.rateLimit.cost;
  });
  afterAll(() => app.close());

  it('answers a JSON array of operations with an array of results, in order', async () => {
    const answer = await batch(app, [{ query: '{ __typename }' }, { query: 'query Two { upstreams { slug } }', operationName: 'Two' }]);
    expect(answer.status).toBe(200);
    const results = answer.body as { data: Record<string, unknown> }[];
    expect(results).toHaveLength(2);
    expect(results[0]).toEqual({ data: { __typename: 'Query' } });
    expect((results[1].data.upstreams as { slug: string }[]).map((u) => u.slug)).toContain('debian');
  });

  it('refuses more operations than QUERY_MAX_BATCH, running none', async () => {
    const answer = await batch(app, Array.from({ length: 4 }, () => ({ query: '{ __typename }' })));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ errors: [{ message: expect.stringMatching(/at most 3 operations/), extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('refuses an empty batch and a malformed operation in one, naming it', async () => {
    await expect(batch(app, [])).resolves.toMatchObject({ status: 400 });
    const answer = await batch(app, [{ query: '{ __typename }' }, { query: 5 }]);
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toMatch(/Operation 1 of the batch/);
  });

  describe('against the cost cap', () => {
    let capped: TestApp;
    beforeAll(async () => {
      capped = await startTestApp({ config: { QUERY_MAX_COST: Math.max(10, Math.floor(pageCost * 1.5)), QUERY_MAX_BATCH: 3 } });
    });
    afterAll(() => capped.close());

    it('counts a batch as the sum of its operations', async () => {
      expect(pageCost).toBeGreaterThan(1);
      const answer = await batch(capped, [{ query: PAGE }, { query: PAGE }]);
      const results = answer.body as { data?: unknown; errors?: { extensions: { code: string; cost?: number } }[] }[];
      const refused = results.filter((r) => r.errors?.[0]?.extensions.code === 'QUERY_TOO_COMPLEX');
      expect(refused).toHaveLength(1);
      expect(refused[0].errors![0].extensions.cost).toBe(pageCost * 2);
      expect(results.filter((r) => r.data && !r.errors)).toHaveLength(1);
    });
  });
});
