import { errorCodes, startTestApp, type TestApp } from './support/test-app';

describe('query limits', () => {
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

  it('runs a query 15 levels deep', async () => {
    const response = await app.gql(nested(13));
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({ item: null });
  });

  it('refuses a query deeper than 15 levels before running it', async () => {
    const response = await app.gql(nested(14));
    expect(errorCodes(response)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(response.body.errors![0].message).toMatch(/15 levels/);
    expect(response.body.data).toBeUndefined();
  });

  it('refuses a query that could return more than 50,000 nodes, counting variables too', async () => {
    const page = (n: string) => `nodes { comments(first: ${n}) { nodes { body } } timeline(first: ${n}) { nodes { summary } } duplicateOf { comments(first: ${n}) { nodes { body } } } }`;
    const query = `query ($n: Int) { a: items(first: 100) { ${page('$n')} } b: search(query: "x", first: 100) { ${page('$n')} } }`;
    const refused = await app.gql(query, { n: 100 });
    expect(errorCodes(refused)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(refused.body.errors![0].message).toMatch(/50000 nodes/);
    const allowed = await app.gql(query, { n: 10 });
    expect(allowed.body.errors).toBeUndefined();
  });
});
