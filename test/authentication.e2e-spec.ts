import { createActor } from './support/actors';
import { startTestApp, type TestApp } from './support/test-app';

describe('bearer tokens', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('leave anonymous requests anonymous', async () => {
    const response = await app.gql('{ __typename }');
    expect(response.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuse an unknown token and a malformed header with UNAUTHENTICATED, once the actor is needed', async () => {
    const actor = await createActor(app);
    const { TokenAuthenticator } = await import('@headwaters/identity');
    const authenticator = app.app.get(TokenAuthenticator);
    await expect(authenticator.authenticate(actor.token)).resolves.toMatchObject({ userId: actor.userId, username: actor.username, grants: [] });
    await expect(authenticator.authenticate('hwt_unknown')).resolves.toBeNull();
    await expect(authenticator.authenticate('something-else')).resolves.toBeNull();
    await app.sql('UPDATE access_token SET revoked_at = now() WHERE user_id = $1', [actor.userId]);
    await expect(authenticator.authenticate(actor.token)).resolves.toBeNull();
  });
});
