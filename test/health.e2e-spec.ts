import { startTestApp, type TestApp } from './support/test-app';

describe('the server', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('answers { __typename } over POST and GET', async () => {
    const post = await app.gql('{ __typename }');
    expect(post.status).toBe(200);
    expect(post.body).toEqual({ data: { __typename: 'Query' } });
    const get = await fetch(`${app.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`);
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('reports live and ready', async () => {
    const live = await fetch(`${app.url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${app.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('gives every response a request id, keeping a sane one the client sent', async () => {
    const mine = await app.gql('{ __typename }', undefined, { headers: { 'x-request-id': 'abc-123' } });
    expect(mine.headers.get('x-request-id')).toBe('abc-123');
    const generated = await app.gql('{ __typename }', undefined, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves GraphiQL to browsers at GET /graphql, from local files', async () => {
    const page = await fetch(app.graphqlUrl, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ['graphiql.js', 'graphiql.css', 'react.js', 'react-dom.js']) {
      const response = await fetch(`${app.url}/graphiql/${asset}`);
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    expect((await fetch(`${app.url}/graphiql/nothing.js`)).status).toBe(404);
  });

  it('resolves unknown global IDs to null', async () => {
    const response = await app.gql('query ($ids: [ID!]!) { node(id: "nope") { id } nodes(ids: $ids) { id } }', { ids: ['bm9wZQ', Buffer.from('User:999999').toString('base64url')] });
    expect(response.body).toEqual({ data: { node: null, nodes: [null, null] } });
  });

  it('refuses more than 100 ids in nodes()', async () => {
    const response = await app.gql('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array.from({ length: 101 }, () => 'x') });
    expect(response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0].message).toMatch(/ids/);
  });
});
