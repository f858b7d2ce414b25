import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createActor, type TestActor } from './support/actors';
import { fileBug, type FiledItem } from './support/items';
import { startTestApp, type TestApp } from './support/test-app';

const possibleTypes = JSON.parse(readFileSync(join(__dirname, '..', 'possible-types.json'), 'utf8')) as Record<string, string[]>;

const ITEM = gql`
  query OneItem($id: ID!) {
    node(id: $id) {
      id
      ... on Item {
        number
        title
      }
    }
  }
`;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A real Apollo Client 4 with the persisted-queries link; `sent` records every request body. */
function apolloClient(app: TestApp, token: string, sent: Record<string, unknown>[]) {
  const recording: typeof fetch = async (input, init) => {
    sent.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
    return fetch(input, init);
  };
  const http = new HttpLink({ uri: app.graphqlUrl, fetch: recording, headers: { authorization: `Bearer ${token}` } });
  return new ApolloClient({ link: new PersistedQueryLink({ sha256 }).concat(http), cache: new InMemoryCache({ possibleTypes }) });
}

describe('automatic persisted queries', () => {
  let app: TestApp;
  let alice: TestActor;
  let bug: FiledItem;
  beforeAll(async () => {
    app = await startTestApp();
    alice = await createActor(app);
    bug = await fileBug(app, alice, { title: 'Persisted and found again' });
  });
  afterAll(() => app.close());

  it('answers a hash it does not know with PersistedQueryNotFound, as Apollo\'s link expects', async () => {
    const response = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ never sent }') } } }),
    });
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
  });

  it('registers the document on the first miss, then runs it from its hash alone, with the fragment on Item kept', async () => {
    const sent: Record<string, unknown>[] = [];
    const first = await apolloClient(app, alice.token, sent).query({ query: ITEM, variables: { id: bug.id } });
    expect(first.data).toEqual({ node: { __typename: 'Bug', id: bug.id, number: bug.number, title: 'Persisted and found again' } });
    expect(sent.map((body) => typeof body.query === 'string')).toEqual([false, true]);

    const again: Record<string, unknown>[] = [];
    const second = await apolloClient(app, alice.token, again).query({ query: ITEM, variables: { id: bug.id } });
    expect(second.data).toEqual(first.data);
    expect(again).toHaveLength(1);
    expect(again[0].query).toBeUndefined();
    const hash = (again[0].extensions as { persistedQuery: { sha256Hash: string } }).persistedQuery.sha256Hash;
    await expect(app.sql('SELECT hash FROM persisted_query WHERE hash = $1', [hash])).resolves.toHaveLength(1);
  });

  it('knows a hash another instance on the same database was told', async () => {
    const other = await startTestApp({ database: app.db });
    try {
      const sent: Record<string, unknown>[] = [];
      const result = await apolloClient(other, alice.token, sent).query({ query: ITEM, variables: { id: bug.id } });
      expect(result.data).toEqual({ node: { __typename: 'Bug', id: bug.id, number: bug.number, title: 'Persisted and found again' } });
      expect(sent).toHaveLength(1);
      expect(sent[0].query).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('refuses a document whose hash does not match, storing nothing', async () => {
    const wrong = sha256('something else');
    const response = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: wrong } } }),
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    await expect(app.sql('SELECT hash FROM persisted_query WHERE hash = $1', [wrong])).resolves.toHaveLength(0);
  });

  it('answers PersistedQueryNotSupported for an unknown version', async () => {
    const response = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 2, sha256Hash: sha256('x') } } }),
    });
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toEqual({ message: 'PersistedQueryNotSupported', extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } });
  });
});
