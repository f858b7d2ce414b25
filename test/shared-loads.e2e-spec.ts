import { Client } from 'pg';
import { startTestApp, type TestApp } from './support/test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What requests share (the cached catalogue, a page's cached counts) is loaded by whichever
 * request comes first. Its client leaving cancels that request's statements, but not the shared
 * load: the others waiting on it still get their answer, not a 503.
 */
describe('a load shared by waiting requests', () => {
  let app: TestApp;
  let locker: Client;

  beforeAll(async () => {
    app = await startTestApp({ config: { DB_STATEMENT_TIMEOUT_MS: 60_000 } });
    locker = new Client({ connectionString: app.db.url });
    await locker.connect();
  });
  afterAll(async () => {
    await locker.end();
    await app.close();
  });


  it.each([
    ['the API', (url: string) => `${url.replace(/\/graphql$/, '')}/graphql?query=${encodeURIComponent('{ upstreams { slug } }')}`],
    ['a page', (url: string) => `${url.replace(/\/graphql$/, '')}/roadmap`],
  ])('is not cancelled when the client that started it goes away (%s)', async (_, urlOf) => {
    const url = urlOf(app.graphqlUrl);
    // The cached catalogue is a second old at most: let it go stale, then hold its tables.
    await sleep(1100);
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE upstream IN ACCESS EXCLUSIVE MODE');
    let locked = true;
    try {
      const abort = new AbortController();
      const first = fetch(url, { signal: abort.signal }).catch((e: Error) => e);
      for (let i = 0; i < 100 && (await app.backendsWaitingOnLocks()) === 0; i++) await sleep(20);
      expect(await app.backendsWaitingOnLocks()).toBeGreaterThan(0);
      // A second request joins the load the first one started, then the first client leaves.
      const second = fetch(url).then(async (r) => ({ status: r.status, body: await r.text() }));
      await sleep(200);
      abort.abort();
      expect(String(await first)).toMatch(/abort/i);
      await sleep(200);
      await locker.query('COMMIT');
      locked = false;
      const answer = await second;
      expect(answer.status).toBe(200);
      expect(answer.body).not.toMatch(/SERVICE_UNAVAILABLE|was stopped/);
    } finally {
      if (locked) await locker.query('COMMIT');
    }
  });
});

describe('a page meeting a stuck database', () => {
  let app: TestApp;
  let locker: Client;

  beforeAll(async () => {
    app = await startTestApp({ config: { DB_STATEMENT_TIMEOUT_MS: 600 } });
    locker = new Client({ connectionString: app.db.url });
    await locker.connect();
  });
  afterAll(async () => {
    await locker.end();
    await app.close();
  });

  it('answers 503 with Retry-After, not an internal error, when even the session cannot be read', async () => {
    const registered = await app.gql<{ register: { token: string } }>(`mutation ($input: RegisterInput!) { register(input: $input) { token } }`, {
      input: { username: 'stuck', email: 'stuck@example.org', password: 'stuck-password-1' },
    });
    const token = registered.body.data!.register.token;
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE access_token IN ACCESS EXCLUSIVE MODE');
    try {
      const response = await fetch(`${app.url}/settings`, { headers: { cookie: `hw_session=${token}` }, redirect: 'manual' });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.text()).toMatch(/Try again shortly/);
    } finally {
      await locker.query('COMMIT');
    }
    const after = await fetch(`${app.url}/settings`, { headers: { cookie: `hw_session=${token}` }, redirect: 'manual' });
    expect(after.status).toBe(200);
  });
});
