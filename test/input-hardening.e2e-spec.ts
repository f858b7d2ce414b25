import { createActor, createAdmin, type TestActor } from './support/actors';
import { fileBug, writtenCounts } from './support/items';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const cursor = (...values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

describe('hostile input, by case', () => {
  let app: TestApp;
  let alice: TestActor;
  let admin: TestActor;
  let bugId: string;

  beforeAll(async () => {
    app = await startTestApp();
    alice = await createActor(app);
    admin = await createAdmin(app);
    bugId = (await fileBug(app, alice, { title: 'A bug to comment on' })).id;
  });
  afterAll(() => app.close());

  describe('a NUL character', () => {
    it.each([
      ['search', 'query ($q: String!) { search(query: $q) { totalCount } }', { q: 'a\u0000b' }, 'query'],
      ['filter.text', 'query ($f: ItemFilter) { items(filter: $f) { totalCount } }', { f: { text: 'a\u0000' } }, 'filter.text'],
      ['filter.reporter', 'query ($f: ItemFilter) { items(filter: $f) { totalCount } }', { f: { reporter: 'x\u0000' } }, 'filter.reporter'],
      ['similarItems', 'query ($t: String!) { similarItems(title: $t) { id } }', { t: 'mem\u0000leak' }, 'title'],
      ['login', 'mutation ($i: LoginInput!) { login(input: $i) { token } }', { i: { username: 'al\u0000ice', password: 'whatever-long' } }, 'input.username'],
      ['register', 'mutation ($i: RegisterInput!) { register(input: $i) { token } }', { i: { username: 'zed', email: 'z\u0000@example.org', password: 'long-enough-pw' } }, 'input.email'],
      ['a key of an input object', 'mutation ($i: LoginInput!) { login(input: $i) { token } }', { i: { username: 'alice', password: 'whatever-long', 'x\u0000': 1 } }, 'input.x\\u0000'],
      ['a nested variable', 'mutation ($t: String!) { createAccessToken(input: { name: $t }) { token } }', { t: 'n\u0000' }, 'input.name'],
    ])('in %s is BAD_USER_INPUT naming the field', async (_, query, variables, field) => {
      const before = await writtenCounts(app);
      const response = await app.gql(query, variables, { token: alice.token });
      expect(response.status).toBe(200);
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.errors![0].extensions!.field).toBe(field);
      expect(await writtenCounts(app)).toEqual(before);
    });

    it('in a string literal of the document is BAD_USER_INPUT naming the argument', async () => {
      const response = await app.gql(`mutation { addComment(input: { itemId: "${bugId}", body: "hi\\u0000there" }) { comment { id } } }`, {}, { token: alice.token });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.errors![0].extensions!.field).toBe('input.body');
      const search = await app.gql(`{ search(query: "\\u0000") { totalCount } }`);
      expect(search.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query' });
    });
  });

  describe('a tampered cursor', () => {
    it.each([
      ['a date that is none', 'query ($c: String) { items(after: $c) { totalCount } }', cursor('CREATED_AT:DESC', 'not-a-date', 1)],
      ['the 30th of February', 'query ($c: String) { items(after: $c) { totalCount } }', cursor('CREATED_AT:DESC', '2019-02-30 00:00:00+00', 1)],
      ['a string in a NUMBER cursor', 'query ($c: String) { items(after: $c, orderBy: { field: NUMBER, direction: ASC }) { totalCount } }', cursor('NUMBER:ASC', 'x', 1)],
      ['2^40', 'query ($c: String) { items(after: $c, orderBy: { field: NUMBER, direction: ASC }) { totalCount } }', cursor('NUMBER:ASC', 2 ** 40, 1)],
      ['an id past int4', 'query ($c: String) { items(before: $c, orderBy: { field: VOTES, direction: DESC }) { totalCount } }', cursor('VOTES:DESC', 1, 2 ** 31)],
      ['an importance past smallint', 'query ($c: String) { items(after: $c, orderBy: { field: IMPORTANCE, direction: DESC }) { totalCount } }', cursor('IMPORTANCE:DESC', 70000, 1)],
      ['a relevance rank that is a string', 'query ($c: String) { items(after: $c, filter: { text: "memory" }) { totalCount } }', cursor('RELEVANCE:DESC', 1, 'high', 1)],
      ['a bad timeline cursor', 'query ($c: String) { item(number: 1) { timeline(after: $c) { totalCount } } }', cursor('timeline', 'x')],
      ['a comments cursor past int4', 'query ($c: String) { item(number: 1) { comments(after: $c) { totalCount } } }', cursor('comments', 2 ** 40)],
      ['a search cursor of another order', 'query ($c: String) { search(query: "memory", after: $c) { totalCount } }', cursor('NUMBER:ASC', 1, 1)],
      ['a components cursor that is a number', 'query ($c: String) { components(after: $c) { totalCount } }', cursor('slug', 5)],
    ])('(%s) is BAD_USER_INPUT INVALID_CURSOR naming the argument', async (_, query, value) => {
      const response = await app.gql(query, { c: value });
      expect(response.status).toBe(200);
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.errors![0].extensions).toMatchObject({ reason: 'INVALID_CURSOR', field: expect.stringMatching(/^(after|before)$/) });
    });

    it('made by the server still pages', async () => {
      const first = await app.gql<{ items: { pageInfo: { endCursor: string } } }>(`{ items(first: 1, orderBy: { field: CREATED_AT, direction: DESC }) { pageInfo { endCursor } } }`);
      const next = await app.gql(`query ($c: String) { items(first: 1, after: $c, orderBy: { field: CREATED_AT, direction: DESC }) { totalCount } }`, { c: first.body.data!.items.pageInfo.endCursor });
      expect(next.body.errors).toBeUndefined();
    });
  });

  it('names the field of a variable of the wrong type', async () => {
    const response = await app.gql('mutation ($i: LoginInput!) { login(input: $i) { token } }', { i: { username: 5, password: 'x' } });
    expect(response.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'i.username' });
    const missing = await app.gql('query ($n: Int!) { item(number: $n) { id } }', {});
    expect(missing.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'n' });
    expect(admin.userId).toBeGreaterThan(0);
  });
});
