import { loadConfig } from '@headwaters/config';
import { createApp } from '../apps/api/src/bootstrap';
import { createLogger } from '../apps/api/src/logging/logger';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { token } }`;
const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { token } }`;

describe('the login throttle', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ config: { TRUST_PROXY: true, LOGIN_MAX_FAILURES: 5 } });
  });
  afterAll(() => app.close());

  const login = (username: string, password: string, client = '203.0.113.1') => app.gql(LOGIN, { input: { username, password } }, { headers: { 'x-forwarded-for': client } });

  it('lets at most the limit of 50 parallel wrong logins for one username have their password checked', async () => {
    await app.gql(REGISTER, { input: { username: 'erin', email: 'erin@example.org', password: 'correct horse battery' } });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => login('erin', `wrong password ${i}`, `198.51.100.${i % 2}`)));
    const codes = results.flatMap(errorCodes);
    expect(codes.filter((c) => c === 'UNAUTHENTICATED').length).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => c === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(45);
    expect(codes.filter((c) => c !== 'UNAUTHENTICATED' && c !== 'RATE_LIMITED')).toEqual([]);
    expect(await app.sql(`SELECT count(*)::int AS n FROM login_failure WHERE username_lower = 'erin'`)).toEqual([{ n: 5 }]);
  });

  it('does not lock the owner out: a correct password from an address that has not failed still works', async () => {
    await app.gql(REGISTER, { input: { username: 'frida', email: 'frida@example.org', password: 'correct horse battery' } });
    for (let i = 0; i < 5; i++) expect(errorCodes(await login('frida', 'wrong password!', `192.0.2.${i}`))).toEqual(['UNAUTHENTICATED']);
    // The username is over its limit: the addresses that failed for it are paused, even with the right password ...
    expect(errorCodes(await login('frida', 'correct horse battery', '192.0.2.0'))).toEqual(['RATE_LIMITED']);
    // ... but the owner's own address, which never failed, is not.
    const own = await login('frida', 'correct horse battery', '203.0.113.200');
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data).toMatchObject({ login: { token: expect.any(String) } });
  });

  it('keeps the per-address limit across usernames', async () => {
    for (let i = 0; i < 5; i++) expect(errorCodes(await login(`nobody${i}`, 'wrong password!', '192.0.2.77'))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await login('nobody-else', 'wrong password!', '192.0.2.77'))).toEqual(['RATE_LIMITED']);
    expect(errorCodes(await login('nobody-else', 'wrong password!', '192.0.2.78'))).toEqual(['UNAUTHENTICATED']);
  });

  it('shares its state between instances through the database', async () => {
    // A second instance over the same database sees the first one's failures.
    const other = await createApp(loadConfig({}, { LOG_LEVEL: 'silent', EXPIRY_INTERVAL_SECONDS: 0, TRUST_PROXY: true, LOGIN_MAX_FAILURES: 5, TRACKER_ADMIN_USERNAME: 'admin', TRACKER_ADMIN_PASSWORD: 'admin-password-for-tests' }), app.db.url, createLogger('silent'));
    await other.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = other.getHttpServer().address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.77' },
        body: JSON.stringify({ query: LOGIN, variables: { input: { username: 'anyone', password: 'whatever it is' } } }),
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
    } finally {
      await other.close();
    }
  });
});
