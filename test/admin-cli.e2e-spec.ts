import { buildCli, type BuiltCli } from './support/cli';
import { startTestApp, type TestApp } from './support/test-app';

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { token } }`;
const VIEWER = `{ viewer { user { username } roles { role upstream { slug } component { slug } } } }`;
const TOKEN = `mutation { createAccessToken(input: { name: "script" }) { token } }`;

// Each command is a process of its own (about a second each on a loaded machine).
jest.setTimeout(120_000);

describe('the admin command line', () => {
  let app: TestApp;
  let cli: BuiltCli;
  const admin = (args: string[], input?: string) => cli.run('admin', args, { env: { DATABASE_URL: app.db.url }, input });
  const login = async (username: string, password: string) => (await app.gql<{ login: { token: string } | null }>(LOGIN, { input: { username, password } })).body.data?.login?.token;
  const viewer = async (token: string) => (await app.gql<{ viewer: { user: { username: string }; roles: { role: string; upstream: { slug: string } | null; component: { slug: string } | null }[] } | null }>(VIEWER, {}, { token })).body.data?.viewer ?? null;

  const makeUser = async (username: string, password: string) => expect(await admin(['create-user', username, '--email', `${username}@example.org`, '--password-stdin'], `${password}\n`)).toMatchObject({ code: 0 });

  beforeAll(async () => {
    cli = buildCli();
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
    await cli?.remove();
  });

  it('says how it is used', async () => {
    const help = await admin(['--help']);
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toContain('create-user USERNAME --email EMAIL [--password-stdin] [--admin]');
    expect(help.stdout).toContain('revoke-tokens USERNAME');
    const none = await admin([]);
    expect(none.code).toBe(64);
    expect(none.stderr).toContain('Name a command');
    const unknown = await admin(['frobnicate']);
    expect(unknown).toMatchObject({ code: 64, stderr: expect.stringContaining('Unknown command "frobnicate"') });
    expect(await admin(['create-user', 'x1', '--email', 'x@example.org', '--colour', 'red'])).toMatchObject({ code: 64, stderr: expect.stringContaining("Unknown option '--colour'") });
    expect(await admin(['revoke-tokens'])).toMatchObject({ code: 64, stderr: expect.stringContaining('Usage: revoke-tokens USERNAME') });
    expect(await admin(['create-user', 'nomail'])).toMatchObject({ code: 64, stderr: expect.stringContaining('create-user needs --email EMAIL') });
  });

  it('creates a user with a password from stdin, who signs in, and an admin with a generated one', async () => {
    const made = await admin(['create-user', 'olga', '--email', 'Olga@Example.org', '--password-stdin'], 'olga-password-1234\n');
    expect(made).toMatchObject({ code: 0, stdout: expect.stringMatching(/^created olga \(id \d+\)\n$/) });
    const token = await login('olga', 'olga-password-1234');
    expect(await viewer(token!)).toEqual({ user: { username: 'olga' }, roles: [] });
    expect(await app.sql(`SELECT email FROM app_user WHERE username = 'olga'`)).toEqual([{ email: 'olga@example.org' }]);

    const boss = await admin(['create-user', 'boss', '--email', 'boss@example.org', '--admin']);
    expect(boss.code).toBe(0);
    const password = /password \(shown once\): (\S+)/.exec(boss.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await viewer((await login('boss', password!))!)).toEqual({ user: { username: 'boss' }, roles: [{ role: 'ADMIN', upstream: null, component: null }] });
  });

  it('refuses bad input with the API\'s rules, and writes nothing', async () => {
    await makeUser('tina', 'tina-password-1234');
    const before = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM app_user`);
    expect(await admin(['create-user', 'a b', '--email', 'ab@example.org'])).toMatchObject({ code: 65, stderr: expect.stringContaining('username must be 2 to 39 letters') });
    expect(await admin(['create-user', 'carl', '--email', 'not-an-address'])).toMatchObject({ code: 65, stderr: expect.stringContaining('email must be an e-mail address') });
    expect(await admin(['create-user', 'carl', '--email', 'carl@example.org', '--password-stdin'], 'short\n')).toMatchObject({ code: 65, stderr: expect.stringContaining('password must be 10 to 200 characters') });
    expect(await admin(['create-user', 'carl', '--email', 'carl@example.org', '--password-stdin'], '')).toMatchObject({ code: 65, stderr: expect.stringContaining('standard input held no password') });
    expect(await admin(['create-user', 'TINA', '--email', 't2@example.org'])).toMatchObject({ code: 67, stderr: expect.stringContaining('"TINA" is already taken') });
    expect(await app.sql(`SELECT count(*)::int AS n FROM app_user`)).toEqual(before);
  });

  it('grants the roles the identity library knows, with their scopes', async () => {
    await makeUser('gina', 'gina-password-1234');
    expect(await admin(['grant', 'gina', 'maintainer', '--upstream', 'xapi-project'])).toMatchObject({ code: 0, stdout: 'gina holds MAINTAINER of upstream xapi-project (1 role(s) in all)\n' });
    expect(await admin(['grant', 'gina', 'MAINTAINER', '--component', 'xapi/xenopsd'])).toMatchObject({ code: 0 });
    const token = await login('gina', 'gina-password-1234');
    expect((await viewer(token!))!.roles).toEqual([
      { role: 'MAINTAINER', upstream: { slug: 'xapi-project' }, component: null },
      { role: 'MAINTAINER', upstream: null, component: { slug: 'xapi/xenopsd' } },
    ]);
    expect(await app.sql(`SELECT granted_by_id FROM role_grant g JOIN app_user u ON u.id = g.user_id WHERE u.username = 'gina'`)).toEqual([{ granted_by_id: null }, { granted_by_id: null }]);
    expect(await admin(['grant', 'gina', 'maintainer'])).toMatchObject({ code: 65, stderr: expect.stringContaining('MAINTAINER needs exactly one of --upstream or --component') });
    expect(await admin(['grant', 'gina', 'admin', '--upstream', 'xapi-project'])).toMatchObject({ code: 65, stderr: expect.stringContaining('ADMIN holds everywhere and takes no scope') });
    expect(await admin(['grant', 'gina', 'owner'])).toMatchObject({ code: 65, stderr: expect.stringContaining('"owner" is not a role: admin or maintainer') });
    expect(await admin(['grant', 'gina', 'maintainer', '--upstream', 'nowhere'])).toMatchObject({ code: 66, stderr: expect.stringContaining('--upstream: no upstream has the slug "nowhere"') });
    expect(await admin(['grant', 'nobody', 'admin'])).toMatchObject({ code: 66, stderr: expect.stringContaining('nobody is called "nobody"') });
  });

  it('resets a password: the old one and every session stop working, personal tokens stay', async () => {
    await makeUser('rita', 'rita-password-1234');
    const session = (await login('rita', 'rita-password-1234'))!;
    const personal = (await app.gql<{ createAccessToken: { token: string } }>(TOKEN, {}, { token: session })).body.data!.createAccessToken.token;
    const reset = await admin(['reset-password', 'Rita']);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/^password of rita set; [1-9]\d* session\(s\) ended\npassword \(shown once\): \S+\n$/);
    const fresh = /shown once\): (\S+)/.exec(reset.stdout)![1];
    expect(await viewer(session)).toBeNull();
    expect(await viewer(personal)).toMatchObject({ user: { username: 'rita' } });
    expect(await login('rita', 'rita-password-1234')).toBeUndefined();
    expect(await login('rita', fresh)).toEqual(expect.any(String));
    expect(await admin(['reset-password', 'rita', '--password-stdin'], 'another-password-99\n')).toMatchObject({ code: 0 });
    expect(await login('rita', 'another-password-99')).toEqual(expect.any(String));
    expect(await admin(['reset-password', 'ghost'])).toMatchObject({ code: 66 });
  });

  it('revokes every token of a user, sessions and personal ones', async () => {
    await makeUser('vera', 'vera-password-1234');
    const session = (await login('vera', 'vera-password-1234'))!;
    const personal = (await app.gql<{ createAccessToken: { token: string } }>(TOKEN, {}, { token: session })).body.data!.createAccessToken.token;
    const revoked = await admin(['revoke-tokens', 'vera']);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/^revoked [2-9]\d* token\(s\) of vera\n$/);
    expect(await viewer(session)).toBeNull();
    expect(await viewer(personal)).toBeNull();
    expect(await admin(['revoke-tokens', 'vera'])).toMatchObject({ code: 0, stdout: 'revoked 0 token(s) of vera\n' });
  });
});
