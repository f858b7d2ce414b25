import { Client } from 'pg';
import { MIGRATIONS } from '@headwaters/database';
import { createEmptyTestDatabase, type TestDatabase } from '@headwaters/database/testing';
import { buildOnce, freePort, startServerProcess, type ServerProcess } from './support/built-server';
import { subscribeItemEvents } from './support/live';
import type { TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const SECRET = 'the two-instance receiver secret, 32';
const ADMIN = { username: 'admin', password: 'admin-password-for-tests' };
const BUDGET = 3000;

interface Instance {
  name: string;
  url: string;
  server: ServerProcess;
}

type Answer = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };

/**
 * Two built servers (`node dist/apps/api/src/main.js`), each running the API and the background
 * work, started at once over one empty PostgreSQL database: what several instances behind a load
 * balancer share.
 */
describe('two instances on one database', () => {
  const receiver = new WebhookReceiver(SECRET);
  let db: TestDatabase;
  let sql: Client;
  let a: Instance;
  let b: Instance;
  let token: string;

  const gql = async (instance: Instance, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(`${instance.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as Answer;
  };
  const ok = async (instance: Instance, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const answer = await gql(instance, query, variables, { authorization: `Bearer ${token}`, ...headers });
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
    return answer.data as Record<string, never>;
  };
  const codes = (answer: Answer) => (answer.errors ?? []).map((e) => e.extensions?.code);

  beforeAll(async () => {
    buildOnce();
    await receiver.start();
    db = await createEmptyTestDatabase();
    const start = async (name: string): Promise<Instance> => {
      const port = await freePort();
      const server = startServerProcess({
        DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', HEADWATERS_ROLE: 'all', EXPIRY_INTERVAL_SECONDS: '0',
        TRACKER_ADMIN_USERNAME: ADMIN.username, TRACKER_ADMIN_PASSWORD: ADMIN.password, TRUST_PROXY: 'true', LOGIN_MAX_FAILURES: '4',
        RATE_LIMIT_POINTS_PER_HOUR: String(BUDGET), WEBHOOK_ALLOW_PRIVATE: 'true', JOBS_POLL_SECONDS: '0.5', DELIVERY_CONCURRENCY: '4',
      });
      return { name, url: `http://127.0.0.1:${port}`, server };
    };
    // Started together: both find the database empty and race to migrate it.
    [a, b] = await Promise.all([start('a'), start('b')]);
    await Promise.all([a.server.waitFor('Headwaters is serving GraphQL', 90_000), b.server.waitFor('Headwaters is serving GraphQL', 90_000)]);
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    const login = await gql(a, 'mutation ($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { token } }', { u: ADMIN.username, p: ADMIN.password }, { 'x-forwarded-for': '198.51.100.1' });
    token = (login.data as { login: { token: string } }).login.token;
  }, 150_000);

  afterAll(async () => {
    await Promise.all([a?.server.stop(), b?.server.stop()]);
    await sql?.end();
    await db?.drop();
    await receiver.stop();
  });

  it('runs the migrations once: one instance migrates, the other finds nothing to do', async () => {
    const migrated = [a, b].filter((i) => i.server.output().includes('"msg":"database migrated"'));
    expect(migrated).toHaveLength(1);
    const { rows } = await sql.query<{ n: number; names: number }>('SELECT count(*)::int AS n, count(DISTINCT name)::int AS names FROM migrations');
    expect(rows[0]).toEqual({ n: MIGRATIONS.length, names: MIGRATIONS.length });
    const admins = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM app_user WHERE username = 'admin'`);
    expect(admins.rows[0].n).toBe(1);
  });

  it('runs each job once: every forward reaches the webhook once, whichever instance took it', async () => {
    await ok(a, `mutation ($input: CreateUpstreamInput!) { createUpstream(input: $input) { upstream { slug } } }`, { input: { slug: 'shared', name: 'Shared Project', forwarding: 'WEBHOOK', webhookUrl: receiver.url, webhookSecret: SECRET } });
    await ok(b, `mutation { createComponent(input: { slug: "shared-part", name: "Shared part", ownerSlug: "shared" }) { component { slug } } }`);
    const filed: number[] = [];
    for (let i = 0; i < 8; i++) {
      const via = i % 2 ? b : a;
      const { fileBug } = (await ok(via, `mutation ($t: String!) { fileBug(input: { title: $t, description: "Forwarded once.", componentSlug: "shared-part" }) { bug { id number } } }`, { t: `Shared bug ${i}` })) as unknown as { fileBug: { bug: { id: string; number: number } } };
      await ok(via, `mutation ($input: ForwardInput!) { forward(input: $input) { forward { state } } }`, { input: { itemId: fileBug.bug.id } });
      filed.push(fileBug.bug.number);
    }
    const end = Date.now() + 20_000;
    while (receiver.hooks.length < filed.length && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    // Time enough for a second delivery of any of them to show up.
    await new Promise((r) => setTimeout(r, 2500));
    const deliveryIds = receiver.hooks.map((h) => h.headers['x-headwaters-delivery']);
    expect(receiver.hooks).toHaveLength(filed.length);
    expect(new Set(deliveryIds).size).toBe(filed.length);
    expect(receiver.hooks.every((h) => h.signatureValid)).toBe(true);
    const { rows } = await sql.query<{ state: string; attempts: number }>(`SELECT state, attempts FROM delivery WHERE channel = 'WEBHOOK'`);
    expect(rows).toEqual(Array.from({ length: filed.length }, () => ({ state: 'DELIVERED', attempts: 1 })));
    // Each instance counts what it sent: together, each delivery once.
    const sent = async (instance: Instance) => {
      const text = await (await fetch(`${instance.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('headwaters_delivery_attempts_total{') && l.includes('channel="WEBHOOK"') && l.includes('outcome="delivered"'));
      return line ? Number(line.split(' ').at(-1)) : 0;
    };
    expect((await sent(a)) + (await sent(b))).toBe(filed.length);
  });

  it('shares login throttling: failures on either instance count together', async () => {
    await ok(a, `mutation { register(input: { username: "grete", email: "grete@example.org", password: "correct horse battery" }) { token } }`);
    const login = (instance: Instance, password: string) =>
      gql(instance, 'mutation ($p: String!) { login(input: { username: "grete", password: $p }) { token } }', { p: password }, { 'x-forwarded-for': '192.0.2.10' });
    for (const instance of [a, b, a, b]) expect(codes(await login(instance, 'wrong password!'))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await login(a, 'correct horse battery'))).toEqual(['RATE_LIMITED']);
    expect(codes(await login(b, 'correct horse battery'))).toEqual(['RATE_LIMITED']);
  });

  it('shares the hourly cost budget: what one instance charged, the other refuses', async () => {
    const address = { 'x-forwarded-for': '203.0.113.50' };
    const query = '{ rateLimit { cost remaining } items(first: 50) { nodes { number comments(first: 10) { nodes { body } } } } }';
    const first = await gql(a, query, {}, address);
    const { cost } = (first.data as { rateLimit: { cost: number } }).rateLimit;
    expect(cost).toBeGreaterThan(10);
    // On one instance alone the budget runs out after BUDGET / cost requests.
    let answered = 1;
    for (let i = 0; i < Math.ceil(BUDGET / cost) + 5; i++) {
      if (codes(await gql(a, query, {}, address)).includes('RATE_LIMITED')) break;
      answered += 1;
    }
    expect(answered).toBeLessThanOrEqual(Math.floor(BUDGET / cost));
    // A adds its charges to the shared table once a second; B learns a subject's total when it
    // adds its own: its first request for the subject may still pass (the overspend of about a
    // second of requests per instance that the budget's design allows), the next is refused.
    await new Promise((r) => setTimeout(r, 1500));
    await gql(b, query, {}, address);
    await new Promise((r) => setTimeout(r, 1500));
    expect(codes(await gql(b, query, {}, address))).toEqual(['RATE_LIMITED']);
    expect(codes(await gql(a, query, {}, address))).toEqual(['RATE_LIMITED']);
    const { rows } = await sql.query<{ points: number }>(`SELECT sum(points)::int AS points FROM api_usage WHERE subject = 'address:203.0.113.50'`);
    expect(rows[0].points).toBeGreaterThan(BUDGET - cost);
    // Another address still has its whole budget on that instance.
    const other = await gql(b, '{ rateLimit { remaining limit } }', {}, { 'x-forwarded-for': '203.0.113.51' });
    expect(other.errors).toBeUndefined();
    expect(other.data).toMatchObject({ rateLimit: { limit: BUDGET } });
  });

  it('delivers a live event to the subscribers of both instances', async () => {
    const onA = await subscribeItemEvents({ url: a.url } as TestApp, null);
    const onB = await subscribeItemEvents({ url: b.url } as TestApp, null);
    try {
      const { fileBug } = (await ok(a, `mutation { fileBug(input: { title: "Seen by everyone", description: "Live on both." }) { bug { number } } }`)) as unknown as { fileBug: { bug: { number: number } } };
      const [fromA, fromB] = await Promise.all([onA.until(1), onB.until(1)]);
      expect(fromA[0].item.number).toBe(fileBug.bug.number);
      expect(fromB[0]).toEqual(fromA[0]);
      expect(onA.errors).toEqual([]);
      expect(onB.errors).toEqual([]);
    } finally {
      await onA.close();
      await onB.close();
    }
  });
});
