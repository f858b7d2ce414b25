import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { createActor, type TestActor } from './support/actors';
import { launchBrowser } from './support/browser';
import { startTestApp, type TestApp } from './support/test-app';

const VIEWER = '{ viewer { user { username } } }';

function preflight(app: TestApp, origin: string, headers = 'content-type, authorization'): Promise<Response> {
  return fetch(app.graphqlUrl, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers } });
}

function post(app: TestApp, origin: string, token: string): Promise<Response> {
  return fetch(app.graphqlUrl, { method: 'POST', headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: VIEWER }) });
}

/** A page of another origin: a one-page site on its own port. */
async function otherSite(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>another site</title>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('CORS, any origin by default', () => {
  let app: TestApp;
  let alice: TestActor;
  beforeAll(async () => {
    app = await startTestApp();
    alice = await createActor(app);
  });
  afterAll(() => app.close());

  it('answers the preflight of another origin, without credentials', async () => {
    const response = await preflight(app, 'https://app.example');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('lets a bearer-token request of another origin read its answer', async () => {
    const response = await post(app, 'https://app.example', alice.token);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    await expect(response.json()).resolves.toEqual({ data: { viewer: { user: { username: alice.username } } } });
  });

  it('answers no CORS headers outside /graphql', async () => {
    const response = await fetch(`${app.url}/health/live`, { headers: { origin: 'https://app.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const options = await fetch(`${app.url}/health/live`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' } });
    expect(options.status).toBe(404);
  });

  describe('in Chromium', () => {
    let browser: Browser;
    let site: { origin: string; server: Server };
    beforeAll(async () => {
      browser = await launchBrowser();
      site = await otherSite();
    });
    afterAll(async () => {
      await browser.close();
      await new Promise((resolve) => site.server.close(resolve));
    });

    it('lets a page of another origin query with a bearer token, and never with cookies', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(site.origin);
      const results = (await page.evaluate(
        async ({ url, token, query }) => {
          const withToken = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
          let withCookies: string;
          try {
            const response = await fetch(url, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
            withCookies = `read ${response.status}`;
          } catch (error) {
            withCookies = `blocked: ${(error as Error).name}`;
          }
          return { token: await withToken.json(), withCookies };
        },
        { url: app.graphqlUrl, token: alice.token, query: VIEWER },
      )) as { token: unknown; withCookies: string };
      expect(results.token).toEqual({ data: { viewer: { user: { username: alice.username } } } });
      expect(results.withCookies).toBe('blocked: TypeError');
      await context.close();
    });
  });
});

describe('CORS restricted by CORS_ORIGINS', () => {
  let app: TestApp;
  let alice: TestActor;
  beforeAll(async () => {
    app = await startTestApp({ config: { CORS_ORIGINS: 'https://app.example, https://other.example' } });
    alice = await createActor(app);
  });
  afterAll(() => app.close());

  it('names a listed origin back, and varies on Origin', async () => {
    const response = await preflight(app, 'https://other.example');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://other.example');
    expect(response.headers.get('vary')).toMatch(/origin/i);
    const answer = await post(app, 'https://app.example', alice.token);
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives an unlisted origin no permission', async () => {
    const response = await preflight(app, 'https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const answer = await post(app, 'https://evil.example', alice.token);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a malformed CORS_ORIGINS at start-up', async () => {
    const { loadConfig } = await import('@headwaters/config');
    expect(() => loadConfig({ CORS_ORIGINS: 'app.example' })).toThrow(/CORS_ORIGINS/);
  });
});
