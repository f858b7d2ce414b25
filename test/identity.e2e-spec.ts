import { Writable } from 'node:stream';
import { createActor, createAdmin, type TestActor } from './support/actors';
import { errorCodes, startTestApp, type TestApp } from './support/test-app';

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { user { id username } token } }`;
const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { user { username } token } }`;
const VIEWER = `{ viewer { user { username } roles { role upstream { slug } component { slug } } accessTokens { kind name } } }`;
const GRANT = `mutation ($input: GrantRoleInput!) { grantRole(input: $input) { user { username } grants { role upstream { slug } component { slug } } } }`;
const REVOKE = `mutation ($input: GrantRoleInput!) { revokeRole(input: $input) { grants { role } } }`;

async function accountCounts(app: TestApp) {
  const [row] = await app.sql(`SELECT (SELECT count(*)::int FROM app_user) users, (SELECT count(*)::int FROM access_token) tokens, (SELECT count(*)::int FROM role_grant) grants`);
  return row;
}

describe('identity', () => {
  let app: TestApp;
  let admin: TestActor;
  const log: string[] = [];

  beforeAll(async () => {
    app = await startTestApp({ config: { LOG_LEVEL: 'debug', LOGIN_MAX_FAILURES: 3 }, logStream: new Writable({ write: (chunk, _, done) => (log.push(String(chunk)), done()) }) });
    admin = await createAdmin(app, 'boss');
  });
  afterAll(() => app.close());

  describe('register and login', () => {
    it('registers, signs in, and knows the viewer', async () => {
      const registered = await app.gql<{ register: { user: { username: string }; token: string } }>(REGISTER, { input: { username: 'Alice', email: 'alice@example.org', password: 'correct horse battery' } });
      expect(registered.body.data!.register.user.username).toBe('Alice');
      expect(registered.body.data!.register.token).toMatch(/^hwt_[A-Za-z0-9_-]{43}$/);
      const viewer = await app.gql(VIEWER, {}, { token: registered.body.data!.register.token });
      expect(viewer.body.data).toEqual({ viewer: { user: { username: 'Alice' }, roles: [], accessTokens: [{ kind: 'SESSION', name: 'session' }] } });
      const login = await app.gql<{ login: { user: { username: string }; token: string } }>(LOGIN, { input: { username: 'alice', password: 'correct horse battery' } });
      expect(login.body.data!.login.user.username).toBe('Alice');
      expect(login.body.data!.login.token).not.toBe(registered.body.data!.register.token);
      expect((await app.gql(VIEWER)).body.data).toEqual({ viewer: null });
    });

    it('stores only an Argon2id hash of the password and a SHA-256 of each token', async () => {
      const [row] = await app.sql<{ password_hash: string }>(`SELECT password_hash FROM app_user WHERE username = 'Alice'`);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      const tokens = await app.sql<{ token_hash: Buffer }>(`SELECT token_hash FROM access_token t JOIN app_user u ON u.id = t.user_id WHERE u.username = 'Alice'`);
      expect(tokens.every((t) => t.token_hash.length === 32)).toBe(true);
    });

    it('refuses a wrong password and an unknown user alike with UNAUTHENTICATED', async () => {
      const wrong = await app.gql(LOGIN, { input: { username: 'alice', password: 'not the password' } });
      const unknown = await app.gql(LOGIN, { input: { username: 'nobody-at-all', password: 'not the password' } });
      expect(errorCodes(wrong)).toEqual(['UNAUTHENTICATED']);
      expect(unknown.body.errors![0].message).toBe(wrong.body.errors![0].message);
      await app.sql(`DELETE FROM login_failure`);
    });

    it.each([
      ['a username taken in another case', { username: 'ALICE', email: 'a2@example.org', password: 'correct horse battery' }, 'CONFLICT', 'username'],
      ['a weak password', { username: 'bob', email: 'bob@example.org', password: 'short' }, 'BAD_USER_INPUT', 'password'],
      ['a bad e-mail', { username: 'bob', email: 'not-an-email', password: 'correct horse battery' }, 'BAD_USER_INPUT', 'email'],
      ['a bad username', { username: 'b o b', email: 'bob@example.org', password: 'correct horse battery' }, 'BAD_USER_INPUT', 'username'],
    ])('refuses %s, naming the field, writing nothing', async (_, input, code, field) => {
      const before = await accountCounts(app);
      const response = await app.gql(REGISTER, { input });
      expect(errorCodes(response)).toEqual([code]);
      expect(response.body.errors![0].extensions!.field).toBe(field);
      expect(response.body.errors![0].message).toMatch(field);
      expect(await accountCounts(app)).toEqual(before);
    });

    it('registers one of two racing registrations of the same name, in any case', async () => {
      const results = await Promise.all(['carol', 'CAROL', 'Carol'].map((username) => app.gql(REGISTER, { input: { username, email: `${username}@example.org`, password: 'correct horse battery' } })));
      expect(results.filter((r) => !r.body.errors).length).toBe(1);
      expect(results.flatMap((r) => errorCodes(r))).toEqual(['CONFLICT', 'CONFLICT']);
    });

    it('counts failures per address too, and behind a trusted proxy per client', async () => {
      const proxied = await startTestApp({ config: { TRUST_PROXY: true, LOGIN_MAX_FAILURES: 2 } });
      try {
        const attempt = (username: string, client: string) => proxied.gql(LOGIN, { input: { username, password: 'wrong password!' } }, { headers: { 'x-forwarded-for': client } });
        expect(errorCodes(await attempt('one', '203.0.113.7'))).toEqual(['UNAUTHENTICATED']);
        expect(errorCodes(await attempt('two', '203.0.113.7'))).toEqual(['UNAUTHENTICATED']);
        // A third username from the same client: the address is paused, another client is not.
        expect(errorCodes(await attempt('three', '203.0.113.7'))).toEqual(['RATE_LIMITED']);
        expect(errorCodes(await attempt('three', '198.51.100.9'))).toEqual(['UNAUTHENTICATED']);
      } finally {
        await proxied.close();
      }
    });

    it('pauses login after too many failures, per username, with a clear error', async () => {
      await app.gql(REGISTER, { input: { username: 'dave', email: 'dave@example.org', password: 'correct horse battery' } });
      for (let i = 0; i < 3; i++) expect(errorCodes(await app.gql(LOGIN, { input: { username: 'dave', password: 'wrong password!' } }))).toEqual(['UNAUTHENTICATED']);
      const paused = await app.gql(LOGIN, { input: { username: 'DAVE', password: 'correct horse battery' } });
      expect(errorCodes(paused)).toEqual(['RATE_LIMITED']);
      expect(paused.body.errors![0].message).toMatch(/try again in \d+ s/);
      await app.sql(`UPDATE login_failure SET failed_at = failed_at - interval '11 minutes'`);
      expect(errorCodes(await app.gql(LOGIN, { input: { username: 'dave', password: 'correct horse battery' } }))).toEqual([]);
    });
  });

  describe('tokens', () => {
    it('lists, creates, and revokes tokens; a revoked one is UNAUTHENTICATED', async () => {
      const { body } = await app.gql<{ register: { token: string } }>(REGISTER, { input: { username: 'erin', email: 'erin@example.org', password: 'correct horse battery' } });
      const session = body.data!.register.token;
      const created = await app.gql<{ createAccessToken: { token: string; accessToken: { id: string; kind: string; name: string; expiresAt: string } } }>(
        `mutation { createAccessToken(input: { name: "ci bot", expiresInDays: 7 }) { token accessToken { id kind name expiresAt } } }`, {}, { token: session },
      );
      const personal = created.body.data!.createAccessToken;
      expect(personal.accessToken).toMatchObject({ kind: 'PERSONAL', name: 'ci bot' });
      expect(Date.parse(personal.accessToken.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86400_000);
      const viewer = await app.gql<{ viewer: { user: { username: string } } }>(VIEWER, {}, { token: personal.token });
      expect(viewer.body.data!.viewer.user.username).toBe('erin');
      const revoked = await app.gql(`mutation ($id: ID!) { revokeAccessToken(input: { id: $id }) { accessToken { name } } }`, { id: personal.accessToken.id }, { token: session });
      expect(revoked.body.data).toEqual({ revokeAccessToken: { accessToken: { name: 'ci bot' } } });
      expect(errorCodes(await app.gql(VIEWER, {}, { token: personal.token }))).toEqual(['UNAUTHENTICATED']);
      const others = await app.gql(`mutation ($id: ID!) { revokeAccessToken(input: { id: $id }) { accessToken { name } } }`, { id: personal.accessToken.id }, { token: admin.token });
      expect(errorCodes(others)).toEqual(['NOT_FOUND']);
      await app.gql(`mutation { logout { ok } }`, {}, { token: session });
      expect(errorCodes(await app.gql(VIEWER, {}, { token: session }))).toEqual(['UNAUTHENTICATED']);
      expect(errorCodes(await app.gql(VIEWER, {}, { token: 'hwt_made-up' }))).toEqual(['UNAUTHENTICATED']);
      expect(errorCodes(await app.gql(VIEWER, {}, { headers: { authorization: 'Basic abc' } }))).toEqual(['UNAUTHENTICATED']);
    });

    it('changes a password, ending other sessions', async () => {
      const first = await app.gql<{ register: { token: string } }>(REGISTER, { input: { username: 'frank', email: 'frank@example.org', password: 'correct horse battery' } });
      const second = await app.gql<{ login: { token: string } }>(LOGIN, { input: { username: 'frank', password: 'correct horse battery' } });
      const wrong = await app.gql(`mutation { changePassword(input: { currentPassword: "nope nope nope", newPassword: "a brand new passphrase" }) { ok } }`, {}, { token: first.body.data!.register.token });
      expect(wrong.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
      await app.gql(`mutation { changePassword(input: { currentPassword: "correct horse battery", newPassword: "a brand new passphrase" }) { ok } }`, {}, { token: first.body.data!.register.token });
      expect(errorCodes(await app.gql(VIEWER, {}, { token: second.body.data!.login.token }))).toEqual(['UNAUTHENTICATED']);
      expect(errorCodes(await app.gql(VIEWER, {}, { token: first.body.data!.register.token }))).toEqual([]);
      expect(errorCodes(await app.gql(LOGIN, { input: { username: 'frank', password: 'a brand new passphrase' } }))).toEqual([]);
    });
  });

  describe('roles', () => {
    it('lets admins grant and revoke roles, shown to the viewer', async () => {
      const user = await createActor(app, { username: 'grace' });
      const granted = await app.gql(GRANT, { input: { username: 'GRACE', role: 'MAINTAINER', upstreamSlug: 'xapi-project' } }, { token: admin.token });
      expect(granted.body.data).toEqual({ grantRole: { user: { username: 'grace' }, grants: [{ role: 'MAINTAINER', upstream: { slug: 'xapi-project' }, component: null }] } });
      await app.gql(GRANT, { input: { username: 'grace', role: 'MAINTAINER', componentSlug: 'xencenter' } }, { token: admin.token });
      const again = await app.gql<{ grantRole: { grants: unknown[] } }>(GRANT, { input: { username: 'grace', role: 'MAINTAINER', componentSlug: 'xencenter' } }, { token: admin.token });
      expect(again.body.data!.grantRole.grants).toHaveLength(2);
      const viewer = await app.gql<{ viewer: { roles: unknown[] } }>(VIEWER, {}, { token: user.token });
      expect(viewer.body.data!.viewer.roles).toEqual([
        { role: 'MAINTAINER', upstream: { slug: 'xapi-project' }, component: null },
        { role: 'MAINTAINER', upstream: null, component: { slug: 'xencenter' } },
      ]);
      const revoked = await app.gql(REVOKE, { input: { username: 'grace', role: 'MAINTAINER', upstreamSlug: 'xapi-project' } }, { token: admin.token });
      expect(revoked.body.data).toEqual({ revokeRole: { grants: [{ role: 'MAINTAINER' }] } });
    });

    it.each([
      ['anonymous', undefined, 'UNAUTHENTICATED'],
      ['a non-admin', 'reporter', 'FORBIDDEN'],
      ['a maintainer', 'maintainer', 'FORBIDDEN'],
    ])('refuses grantRole by %s, writing nothing', async (_, who, code) => {
      const actor = who === 'maintainer' ? await createActor(app, { grants: [{ role: 'MAINTAINER', upstreamSlug: 'debian' }] }) : who ? await createActor(app) : undefined;
      const before = await accountCounts(app);
      const response = await app.gql(GRANT, { input: { username: 'boss', role: 'MAINTAINER', upstreamSlug: 'debian' } }, { token: actor?.token });
      expect(errorCodes(response)).toEqual([code]);
      expect(await accountCounts(app)).toEqual(before);
    });

    it.each([
      [{ username: 'boss', role: 'ADMIN', upstreamSlug: 'debian' }, 'BAD_USER_INPUT', 'upstreamSlug'],
      [{ username: 'boss', role: 'MAINTAINER' }, 'BAD_USER_INPUT', 'upstreamSlug'],
      [{ username: 'boss', role: 'MAINTAINER', upstreamSlug: 'debian', componentSlug: 'xapi' }, 'BAD_USER_INPUT', 'upstreamSlug'],
      [{ username: 'nobody-here', role: 'ADMIN' }, 'NOT_FOUND', 'username'],
      [{ username: 'boss', role: 'MAINTAINER', upstreamSlug: 'nope' }, 'NOT_FOUND', 'upstreamSlug'],
      [{ username: 'boss', role: 'MAINTAINER', componentSlug: 'nope' }, 'NOT_FOUND', 'componentSlug'],
    ])('refuses %j, naming the field', async (input, code, field) => {
      const response = await app.gql(GRANT, { input }, { token: admin.token });
      expect(errorCodes(response)).toEqual([code]);
      expect(response.body.errors![0].extensions!.field).toBe(field);
    });

    it('keeps the last admin', async () => {
      await app.sql(`DELETE FROM role_grant WHERE role = 'ADMIN' AND user_id <> $1`, [admin.userId]);
      const response = await app.gql(REVOKE, { input: { username: 'boss', role: 'ADMIN' } }, { token: admin.token });
      expect(errorCodes(response)).toEqual(['CONFLICT']);
    });
  });

  it('never writes a password or a token into the log', async () => {
    const password = 'a very secret passphrase 42';
    const registered = await app.gql<{ register: { token: string } }>(REGISTER, { input: { username: 'heidi', email: 'heidi@example.org', password } });
    const token = registered.body.data!.register.token;
    await app.gql(LOGIN, { input: { username: 'heidi', password } });
    await app.gql(LOGIN, { input: { username: 'heidi', password: `${password}-wrong` } });
    await app.gql(VIEWER, {}, { token });
    await app.gql(`mutation ($input: RegisterInput!) { register(input: $input) { token } }`, { input: { username: 'heidi', email: 'x@example.org', password } });
    const text = log.join('');
    expect(text.length).toBeGreaterThan(100);
    expect(text).not.toContain(password);
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(4));
  });
});

describe('the first admin', () => {
  it('is created from TRACKER_ADMIN_USERNAME and TRACKER_ADMIN_PASSWORD, and can sign in', async () => {
    const app = await startTestApp({ config: { TRACKER_ADMIN_USERNAME: 'chief', TRACKER_ADMIN_PASSWORD: 'chief-password-123' } });
    try {
      const login = await app.gql<{ login: { token: string } }>(LOGIN, { input: { username: 'chief', password: 'chief-password-123' } });
      const viewer = await app.gql(`{ viewer { roles { role } } }`, {}, { token: login.body.data!.login.token });
      expect(viewer.body.data).toEqual({ viewer: { roles: [{ role: 'ADMIN' }] } });
    } finally {
      await app.close();
    }
  });

  it('is generated once, with its password printed to the console only, when nothing is configured', async () => {
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    const log: string[] = [];
    let app: TestApp | undefined;
    try {
      app = await startTestApp({ config: { TRACKER_ADMIN_USERNAME: undefined, TRACKER_ADMIN_PASSWORD: undefined }, logStream: new Writable({ write: (c, _, d) => (log.push(String(c)), d()) }) });
    } finally {
      process.stderr.write = original;
    }
    try {
      const printed = written.join('');
      const password = /password:\s+(\S+)/.exec(printed)?.[1];
      expect(password).toBeDefined();
      expect(log.join('')).not.toContain(password!);
      const login = await app!.gql<{ login: { token: string } }>(LOGIN, { input: { username: 'admin', password } });
      expect(login.body.errors).toBeUndefined();
      const restarted = await app!.app.get((await import('@headwaters/identity')).AdminBootstrapService).ensureAdmin();
      expect(restarted).toEqual({});
    } finally {
      await app!.close();
    }
  });
});
