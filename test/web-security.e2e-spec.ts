import { createActor } from './support/actors';
import { fileBug, writtenCounts } from './support/items';
import { startTestApp, type TestApp } from './support/test-app';

/** A browser's cookie jar, reduced to what these tests need. */
class Jar {
  readonly cookies = new Map<string, string>();
  lastSetCookie: string[] = [];

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  take(response: Response): void {
    this.lastSetCookie = response.headers.getSetCookie();
    for (const line of this.lastSetCookie) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/Max-Age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

describe('web pages: sessions, CSRF and the API rules', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ config: { TRUST_PROXY: true } });
  });
  afterAll(() => app.close());

  async function get(jar: Jar, path: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${app.url}${path}`, { headers: { cookie: jar.header(), ...headers }, redirect: 'manual' });
    jar.take(response);
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  async function post(jar: Jar, path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header(), ...headers },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
    jar.take(response);
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  /** A fresh visitor who has loaded one page (and so holds a CSRF cookie). */
  async function visitor(): Promise<{ jar: Jar; csrf: string }> {
    const jar = new Jar();
    await get(jar, '/login');
    return { jar, csrf: jar.cookies.get('hw_csrf')! };
  }

  async function registered(username: string): Promise<{ jar: Jar; csrf: string }> {
    const { jar, csrf } = await visitor();
    const response = await post(jar, '/register', { _csrf: csrf, username, email: `${username}@example.org`, password: `${username}-password-1`, next: '/' });
    expect(response.status).toBe(303);
    return { jar, csrf };
  }

  it('serves pages with a strict Content-Security-Policy and HttpOnly, SameSite=Lax cookies', async () => {
    const jar = new Jar();
    const response = await get(jar, '/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(jar.lastSetCookie.find((c) => c.startsWith('hw_csrf='))).toMatch(/; Path=\/; HttpOnly; SameSite=Lax$/);
    // Nothing the page loads is on another host.
    expect(response.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    const script = await fetch(`${app.url}/assets/site.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect((await script.arrayBuffer()).byteLength).toBeLessThan(100 * 1024);
  });

  it('signs in with a session cookie (Secure behind https) that carries the API viewer', async () => {
    await app.gql(`mutation { register(input: { username: "sam", email: "sam@example.org", password: "sam-password-1" }) { token } }`);
    const { jar, csrf } = await visitor();
    const response = await post(jar, '/login', { _csrf: csrf, username: 'sam', password: 'sam-password-1', next: '/settings' }, { 'x-forwarded-proto': 'https' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/settings');
    const session = jar.lastSetCookie.find((c) => c.startsWith('hw_session='))!;
    expect(session).toMatch(/HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
    const settings = await get(jar, '/settings');
    expect(settings.status).toBe(200);
    expect(settings.text).toContain('Signed in as <strong>sam</strong>');
    // The cookie's token is the identity library's session token: the API takes it too.
    const token = jar.cookies.get('hw_session')!;
    const viewer = await app.gql<{ viewer: { user: { username: string } } }>(`{ viewer { user { username } } }`, {}, { token });
    expect(viewer.body.data?.viewer.user.username).toBe('sam');

    // Signing out revokes it for the API as well.
    expect((await post(jar, '/logout', { _csrf: csrf })).status).toBe(303);
    expect(jar.cookies.has('hw_session')).toBe(false);
    const after = await app.gql(`{ viewer { user { username } } }`, {}, { token });
    expect(after.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('treats an ended session as signed out and drops its cookie', async () => {
    const { jar } = await registered('gone');
    const token = jar.cookies.get('hw_session')!;
    await app.gql(`mutation { revokeSessions { revoked } }`, {}, { token });
    const page = await get(jar, '/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/login"');
    expect(jar.cookies.has('hw_session')).toBe(false);
  });

  it('refuses a form post without the CSRF token, or from another site, and writes nothing', async () => {
    const { jar, csrf } = await registered('carol');
    const before = await writtenCounts(app);
    const missing = await post(jar, '/new', { kind: 'BUG', title: 'Forged report', description: 'x' });
    expect(missing.status).toBe(403);
    const wrong = await post(jar, '/new', { _csrf: `${csrf.slice(0, -2)}xx`, kind: 'BUG', title: 'Forged report', description: 'x' });
    expect(wrong.status).toBe(403);
    const crossSite = await post(jar, '/new', { _csrf: csrf, kind: 'BUG', title: 'Forged report', description: 'x' }, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(await writtenCounts(app)).toEqual(before);
    const good = await post(jar, '/new', { _csrf: csrf, kind: 'BUG', title: 'A real report about xenopsd', description: 'x', componentSlug: 'xapi/xenopsd' }, { origin: app.url });
    expect(good.status).toBe(303);
    expect(good.headers.get('location')).toMatch(/^\/items\/\d+$/);
  });

  it("answers with the API's errors: bad input names the field, rights are the API's, and nothing is written", async () => {
    const { jar, csrf } = await registered('dave');
    const before = await writtenCounts(app);
    const empty = await post(jar, '/new', { _csrf: csrf, kind: 'BUG', title: '   ', description: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toMatch(/<p role="alert" class="error" id="form-error">title[^<]*<\/p>/);
    expect(empty.text).toMatch(/id="title"[^>]*value=" {3}"[^>]*aria-invalid="true"/);
    const unknown = await post(jar, '/new', { _csrf: csrf, kind: 'BUG', title: 'Crash in a component that does not exist', description: 'x', componentSlug: 'nope/none' });
    expect(unknown.status).toBe(400);
    expect(await writtenCounts(app)).toEqual(before);

    const reporter = await createActor(app);
    const item = await fileBug(app, reporter, { componentSlug: 'xapi/xenopsd' });
    const forbidden = await post(jar, `/items/${item.number}/triage`, { _csrf: csrf, status: 'CONFIRMED', currentStatus: 'NEW', importance: 'HIGH', currentImportance: 'UNDECIDED' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.text).toContain('role="alert"');
    const [row] = await app.sql<{ status: string; importance: string }>(`SELECT status, importance FROM item WHERE number = $1`, [item.number]);
    expect(row).toEqual({ status: 'NEW', importance: 'UNDECIDED' });

    const anonymous = new Jar();
    await get(anonymous, `/items/${item.number}`);
    const vote = await post(anonymous, `/items/${item.number}/vote`, { _csrf: anonymous.cookies.get('hw_csrf')!, intent: 'vote' });
    expect(vote.status).toBe(303);
    expect(vote.headers.get('location')).toBe(`/login?next=${encodeURIComponent(`/items/${item.number}`)}`);
    expect((await get(anonymous, '/items/999999')).status).toBe(404);
    expect((await get(anonymous, '/items?q=colour:blue')).status).toBe(400);
  });

  it('files embargoed, tagged bugs and lets their maintainer tag, plan and assign them', async () => {
    const { jar, csrf } = await registered('erin');
    const filed = await post(jar, '/new', { _csrf: csrf, kind: 'BUG', title: 'xenopsd leaks a domain handle to guests', description: 'Details under embargo.', componentSlug: 'xapi/xenopsd', tags: 'windows, leak', security: 'yes' });
    expect(filed.status).toBe(303);
    const path = filed.headers.get('location')!;
    const mine = await get(jar, path);
    expect(mine.text).toContain('Security report under embargo');
    expect(mine.text).toContain('href="/items?q=tag%3Awindows"');
    expect((await get(new Jar(), path)).status).toBe(404);

    await app.gql(`mutation { register(input: { username: "mike", email: "mike@example.org", password: "mike-password-1" }) { token } }`);
    const admin = await app.gql<{ login: { token: string } }>(`mutation { login(input: { username: "admin", password: "admin-password-for-tests" }) { token } }`);
    await app.gql(`mutation { grantRole(input: { username: "mike", role: MAINTAINER, upstreamSlug: "xapi-project" }) { user { username } } }`, {}, { token: admin.body.data!.login.token });
    const maintainer = await visitor();
    await post(maintainer.jar, '/login', { _csrf: maintainer.csrf, username: 'mike', password: 'mike-password-1', next: '/' });
    const triaged = await post(maintainer.jar, `${path}/triage`, { _csrf: maintainer.csrf, kind: 'BUG', status: 'CONFIRMED', currentStatus: 'NEW', importance: 'CRITICAL', currentImportance: 'UNDECIDED', addTags: 'security', removeTags: 'leak', releaseSlug: 'xenserver-6.2' });
    expect(triaged.status).toBe(303);
    const assigned = await post(maintainer.jar, `${path}/assign`, { _csrf: maintainer.csrf, username: 'mike' });
    expect(assigned.status).toBe(303);
    const page = (await get(maintainer.jar, path)).text;
    expect(page).toContain('<dt>Assignee</dt><dd>mike</dd>');
    expect(page).toContain('<dt>Fixed in</dt><dd>XenServer 6.2</dd>');
    expect(page).toMatch(/tag%3Asecurity/);
    expect(page).not.toMatch(/tag%3Aleak/);
    expect(page).toContain('id="assignee"');
  });

  it('pages through search results with keyset cursors, both ways', async () => {
    const reporter = await createActor(app);
    for (let i = 0; i < 30; i++) await fileBug(app, reporter, { title: `Paging report number ${i}`, componentSlug: 'xen' });
    const jar = new Jar();
    const first = await get(jar, `/items?q=${encodeURIComponent('component:xen sort:number-asc')}`);
    const numbers = (text: string) => [...text.matchAll(/<a href="\/items\/(\d+)">#/g)].map((m) => Number(m[1]));
    const page1 = numbers(first.text);
    expect(page1).toHaveLength(25);
    const next = /href="(\/items\?q=[^"]*&amp;after=[^"]*)" rel="next"/.exec(first.text)![1].replace(/&amp;/g, '&');
    const second = await get(jar, next);
    const page2 = numbers(second.text);
    expect(page2).toHaveLength(5);
    expect(Math.min(...page2)).toBeGreaterThan(Math.max(...page1));
    const previous = /href="(\/items\?q=[^"]*&amp;before=[^"]*)" rel="prev"/.exec(second.text)![1].replace(/&amp;/g, '&');
    expect(numbers((await get(jar, previous)).text)).toEqual(page1);
  });
});
