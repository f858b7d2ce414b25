import { createActor, type TestActor } from './support/actors';
import { startTestApp, type TestApp } from './support/test-app';

const NODE = 'query ($id: ID!) { node(id: $id) { id ... on AccessToken { kind name } } }';

describe('node(id) for an AccessToken', () => {
  let app: TestApp;
  let alice: TestActor;
  let bob: TestActor;
  let tokenId: string;
  beforeAll(async () => {
    app = await startTestApp();
    alice = await createActor(app);
    bob = await createActor(app);
    const created = await app.gql<{ createAccessToken: { accessToken: { id: string } } }>(
      'mutation { createAccessToken(input: { name: "ci bot" }) { accessToken { id } } }', {}, { token: alice.token },
    );
    tokenId = created.body.data!.createAccessToken.accessToken.id;
  });
  afterAll(() => app.close());

  it('resolves the token for its owner', async () => {
    const answer = await app.gql(NODE, { id: tokenId }, { token: alice.token });
    expect(answer.body).toEqual({ data: { node: { id: tokenId, kind: 'PERSONAL', name: 'ci bot' } } });
    const many = await app.gql('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [tokenId, tokenId] }, { token: alice.token });
    expect(many.body).toEqual({ data: { nodes: [{ id: tokenId }, { id: tokenId }] } });
  });

  it('answers null to anyone else and to the anonymous', async () => {
    await expect(app.gql(NODE, { id: tokenId }, { token: bob.token })).resolves.toMatchObject({ body: { data: { node: null } } });
    await expect(app.gql(NODE, { id: tokenId })).resolves.toMatchObject({ body: { data: { node: null } } });
  });

  it('answers null once the token is revoked', async () => {
    await app.gql('mutation ($id: ID!) { revokeAccessToken(input: { id: $id }) { accessToken { id } } }', { id: tokenId }, { token: alice.token });
    await expect(app.gql(NODE, { id: tokenId }, { token: alice.token })).resolves.toMatchObject({ body: { data: { node: null } } });
  });
});
