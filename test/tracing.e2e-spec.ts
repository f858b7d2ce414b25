import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@headwaters/database/testing';
import { buildOnce, freePort, startServerProcess, type ServerProcess } from './support/built-server';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { WebhookReceiver } from './support/webhook-receiver';

const root = join(__dirname, '..');
const SECRET = 'the tracing receiver secret, 32 chars';
const SERVER_KIND = 2;

/**
 * The built server as operators run it, with OTEL_EXPORTER_OTLP_ENDPOINT pointing to a collector
 * of the test's own: what it exports, decoded.
 */
/**
 * Starts `collector` and the built server on a database of its own, exporting its traces there;
 * `env` adds to (or overrides) the settings every traced server here runs with.
 */
async function startTracedServer(collector: OtlpReceiver, env: Record<string, string>): Promise<{ db: TestDatabase; server: ServerProcess; url: string }> {
  buildOnce();
  await collector.start();
  const db = await createTestDatabase();
  const port = await freePort();
  const server = startServerProcess({
    DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', RATE_LIMIT_POINTS_PER_HOUR: '0', EXPIRY_INTERVAL_SECONDS: '0',
    TRACKER_ADMIN_USERNAME: 'admin', TRACKER_ADMIN_PASSWORD: 'admin-password-for-tests',
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'headwaters-under-test', OTEL_BSP_SCHEDULE_DELAY: '100',
    ...env,
  });
  await server.waitFor('Headwaters is serving GraphQL', 150_000);
  return { db, server, url: `http://127.0.0.1:${port}` };
}

// Real servers and peers on a shared machine: starting them can take a while under load.
jest.setTimeout(120_000);

describe('OpenTelemetry traces', () => {
  const collector = new OtlpReceiver();
  const hooks = new WebhookReceiver(SECRET);
  let db: TestDatabase;
  let server: ServerProcess;
  let url: string;

  const gql = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!;
  };

  beforeAll(async () => {
    await hooks.start();
    ({ db, server, url } = await startTracedServer(collector, { WEBHOOK_ALLOW_PRIVATE: 'true', JOBS_POLL_SECONDS: '0.5' }));
  }, 200_000);

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
    await collector.stop();
    await hooks.stop();
  });

  it('names the request span after its operation, makes it a child of the caller’s traceparent, with the SQL inside', async () => {
    const traceId = randomBytes(16).toString('hex');
    const parentId = randomBytes(8).toString('hex');
    await gql('query ItemsForTrace { items(first: 2) { totalCount nodes { number } } }', {}, { traceparent: `00-${traceId}-${parentId}-01` });

    const spans = await collector.until((all) => all.some((s) => s.traceId === traceId && s.name === 'query ItemsForTrace') && all.filter((s) => s.traceId === traceId).length >= 2);
    const request = spans.find((s) => s.traceId === traceId && s.name === 'query ItemsForTrace')!;
    expect(request.parentSpanId).toBe(parentId);
    expect(request.kind).toBe(SERVER_KIND);
    expect(request.service).toBe('headwaters-under-test');
    expect(request.attributes).toMatchObject({ 'graphql.operation.name': 'ItemsForTrace', 'graphql.operation.type': 'query', 'http.request.method': 'POST' });
    expect(collector.contentTypes[0]).toBe('application/json');

    const sql = spans.filter((s) => s.traceId === traceId && s.parentSpanId === request.spanId && isSql(s));
    expect(sql.length).toBeGreaterThanOrEqual(1);
    expect(sql.some((s) => /FROM item/i.test(statementOf(s)))).toBe(true);
    // Statement texts, never the values bound to them.
    for (const s of sql) expect(s.attributes).not.toHaveProperty('db.statement.parameters');
  });

  it('starts a trace of its own without traceparent, and traces mutations by name', async () => {
    const login = await gql('mutation SignIn($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { token } }', { u: 'admin', p: 'admin-password-for-tests' });
    expect(login).toHaveProperty('login.token');
    const spans = await collector.until((all) => all.some((s) => s.name === 'mutation SignIn'));
    const span = spans.find((s) => s.name === 'mutation SignIn')!;
    expect(span.parentSpanId).toBeUndefined();
    expect(spans.some((s) => s.traceId === span.traceId && s.parentSpanId === span.spanId && isSql(s))).toBe(true);
  });

  it('traces a job run with its SQL, apart from the request that queued it', async () => {
    const { login } = (await gql('mutation { login(input: { username: "admin", password: "admin-password-for-tests" }) { token } }')) as unknown as { login: { token: string } };
    const auth = { authorization: `Bearer ${login.token}` };
    await gql(`mutation ($input: CreateUpstreamInput!) { createUpstream(input: $input) { upstream { slug } } }`, { input: { slug: 'traced', name: 'Traced Project', forwarding: 'WEBHOOK', webhookUrl: hooks.url, webhookSecret: SECRET } }, auth);
    await gql(`mutation { createComponent(input: { slug: "traced-part", name: "Traced part", ownerSlug: "traced" }) { component { slug } } }`, {}, auth);
    const { fileBug } = (await gql(`mutation { fileBug(input: { title: "Traced bug", description: "Sent by a job.", componentSlug: "traced-part" }) { bug { id } } }`, {}, auth)) as unknown as { fileBug: { bug: { id: string } } };
    await gql(`mutation ForwardForTrace($input: ForwardInput!) { forward(input: $input) { forward { state } } }`, { input: { itemId: fileBug.bug.id } }, auth);

    const spans = await collector.until((all) => all.some((s) => s.name === 'job delivery') && hooks.hooks.length === 1);
    const job = spans.find((s) => s.name === 'job delivery')!;
    expect(job.attributes).toMatchObject({ 'messaging.system': 'pg-boss', 'messaging.destination.name': 'delivery' });
    expect(job.status.code ?? 0).not.toBe(2);
    const inside = await collector.until((all) => all.filter((s) => s.traceId === job.traceId && s.parentSpanId === job.spanId && isSql(s)).length >= 2);
    expect(inside.filter((s) => s.traceId === job.traceId && isSql(s)).some((s) => /delivery/i.test(statementOf(s)))).toBe(true);
    const forward = spans.find((s) => s.name === 'mutation ForwardForTrace')!;
    expect(forward.traceId).not.toBe(job.traceId);
  });

  it('exports nothing for health probes and scrapes', async () => {
    const before = collector.spans.length;
    await fetch(`${url}/health/live`);
    await fetch(`${url}/metrics`);
    await gql('query AfterProbes { __typename }');
    const spans = await collector.until((all) => all.some((s) => s.name === 'query AfterProbes'));
    expect(spans.slice(before).filter((s) => s.kind === SERVER_KIND).map((s) => s.name)).toEqual(['query AfterProbes']);
  });
});

/**
 * One connection in the pool: each statement waits for the one before it, and pg-pool hands the
 * connection over from the release of whoever had it, in that one's async context.
 */
describe('OpenTelemetry traces on a pool with one connection', () => {
  const collector = new OtlpReceiver();
  let db: TestDatabase;
  let server: ServerProcess;
  let url: string;

  beforeAll(async () => {
    ({ db, server, url } = await startTracedServer(collector, { DB_POOL_SIZE: '1' }));
  }, 200_000);

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
    await collector.stop();
  });

  it('keeps the statements of an untraced caller (readiness probes) out of the trace of the request that gave the connection back', async () => {
    const traces: string[] = [];
    for (let round = 0; round < 5; round++) {
      const traceId = randomBytes(16).toString('hex');
      traces.push(traceId);
      const request = fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
        body: JSON.stringify({ query: 'query BusyPool { items(first: 2) { totalCount nodes { number comments(first: 1) { totalCount } } } }' }),
      });
      // Probes kept waiting for the connection for as long as the request runs, five at a time.
      let answered = false;
      const statuses: number[] = [];
      const probing = async () => {
        while (!answered) statuses.push((await fetch(`${url}/health/ready`)).status);
      };
      const probes = Array.from({ length: 5 }, probing);
      const answer = await request;
      answered = true;
      await Promise.all(probes);
      expect(answer.status).toBe(200);
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
    }
    const spans = await collector.until((all) => traces.every((t) => all.some((s) => s.traceId === t && s.name === 'query BusyPool')));
    // The probes' statements are exported after the last request's (or never): give them time to arrive.
    await new Promise((r) => setTimeout(r, 500));
    const traced = collector.spans.filter((s) => traces.includes(s.traceId) && isSql(s));
    expect(traced.some((s) => /FROM item/i.test(statementOf(s)))).toBe(true);
    expect(traced.filter((s) => /health_probe/.test(statementOf(s))).map(statementOf)).toEqual([]);
    expect(spans.filter((s) => s.kind === SERVER_KIND && /ready/.test(s.name))).toEqual([]);
  });
});

/**
 * Unset, the cost is nil: loading the whole application (every module main.ts reaches) loads no
 * OpenTelemetry SDK, exporter or instrumentation, so no request, statement or job meets any
 * tracing code but one `undefined` check, and pg and http are not patched. (prom-client loads
 * the bare @opentelemetry/api for its exemplars, which does nothing without an SDK.)
 */
describe('OpenTelemetry unset', () => {
  const loaded = (env: Record<string, string>) => {
    const script = `require('./dist/apps/api/src/telemetry/preload.js'); require('./dist/apps/api/src/bootstrap.js'); require('pg');
      process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((p) => p.includes('/@opentelemetry/') && !p.includes('/@opentelemetry/api/')).length));`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
    if (run.status !== 0) throw new Error(run.stderr);
    return Number(run.stdout);
  };

  beforeAll(() => buildOnce(), 120_000);

  it('loads no tracing module; set, it does', () => {
    expect(loaded({})).toBe(0);
    expect(loaded({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' })).toBeGreaterThan(10);
  });
});

function isSql(span: ReceivedSpan): boolean {
  return span.attributes['db.system'] === 'postgresql' || span.attributes['db.system.name'] === 'postgresql';
}

function statementOf(span: ReceivedSpan): string {
  return String(span.attributes['db.statement'] ?? span.attributes['db.query.text'] ?? '');
}
