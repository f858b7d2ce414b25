import { auditServer } from 'graphql-http';
import { startTestApp, type TestApp } from './support/test-app';

describe('GraphQL over HTTP (graphql-http audit)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('passes every MUST and SHOULD of the spec, with no warning', async () => {
    const results = await auditServer({ url: app.graphqlUrl });
    const failures = await Promise.all(
      results
        .filter((r) => r.status !== 'ok')
        .map(async (r) => ('reason' in r ? `${r.status} ${r.id} ${r.name}: ${r.reason} (${await r.response.clone().text().catch(() => '')})` : '')),
    );
    expect(failures).toEqual([]);
    expect(results.length).toBeGreaterThan(50);
  });

  it('refuses a body over the size limit', async () => {
    const big = JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(1024 * 1024 + 10) } });
    const response = await fetch(app.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a malformed request shape with 400 and a clear message', async () => {
    const response = await fetch(app.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 1 }) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(body.errors[0].message).toMatch(/query/);
  });

  it('names parse and validation failures with their codes', async () => {
    const parse = await app.gql('{ __typename');
    expect(parse.body.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const validation = await app.gql('{ nope }');
    expect(validation.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(validation.body.errors?.[0].message).toMatch(/nope/);
  });
});
