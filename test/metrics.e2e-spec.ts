import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { createAdmin, createActor, type TestActor } from './support/actors';
import { fileBug } from './support/items';
import { startTestApp, type TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const TOKEN = 'metrics-scraping-token-0123456789abcdef';
const SECRET = 'the metrics receiver secret, 32 chars';

type Sample = { labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string; sum?: string };
type Family = { name: string; help: string; type: string; metrics: Sample[] };

/** Scrapes /metrics and parses it with a Prometheus text-format parser. */
async function scrape(app: TestApp, token = TOKEN): Promise<Map<string, Family> & { text: string }> {
  const response = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  const families = parsePrometheusTextFormat(text) as Family[];
  return Object.assign(new Map(families.map((f) => [f.name, f])), { text });
}

/**
 * One series of a labelled histogram. The parser folds every series of a histogram family into
 * one (it reads buckets, sum and count only of unlabelled ones), so the series' own lines are
 * given to it alone, without the labels that select them.
 */
function histogramOf(text: string, name: string, labels: Record<string, string>): Sample {
  const selector = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const lines = text.split('\n').filter((line) => line.startsWith(`${name}_`) && selector.every((l) => line.includes(l)));
  const stripped = lines.map((line) => selector.reduce((l, label) => l.replace(new RegExp(`,?${label}`), ''), line).replace('{,', '{').replace(/\{\}/, ''));
  const [family] = parsePrometheusTextFormat([`# HELP ${name} -`, `# TYPE ${name} histogram`, ...stripped, ''].join('\n')) as Family[];
  expect(family.metrics).toHaveLength(1);
  return family.metrics[0];
}

/** The value of the sample of `name` whose labels include `labels` (0 when there is none). */
function valueOf(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const family = families.get(name);
  const sample = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  if (!sample) return 0;
  return Number(sample.value ?? sample.count);
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error('still not there');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('GET /metrics', () => {
  let app: TestApp;
  let admin: TestActor;
  const receiver = new WebhookReceiver(SECRET);

  beforeAll(async () => {
    await receiver.start();
    app = await startTestApp({
      withWorker: true,
      config: { METRICS_TOKEN: TOKEN, METRICS_MAX_OPERATIONS: 3, WEBHOOK_ALLOW_PRIVATE: true, JOBS_POLL_SECONDS: 0.5, DELIVERY_RETRY_BASE_SECONDS: 0.2, DELIVERY_MAX_ATTEMPTS: 2 },
    });
    admin = await createAdmin(app);
  });
  afterAll(async () => {
    await app.close();
    await receiver.stop();
  });

  it('wants the token: 401 without it or with another, 200 with it', async () => {
    const none = await fetch(`${app.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    const wrong = await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all-but-long' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
  });

  it('counts requests by operation and outcome, their latency, and errors by code', async () => {
    const before = await scrape(app);
    const labels = { operation: 'ReleasesForMetrics', type: 'query' };
    for (let i = 0; i < 3; i++) expect((await app.gql('query ReleasesForMetrics { releases { slug } }')).body.errors).toBeUndefined();
    // Not found: answered with an error.
    const missing = await app.gql('query NodeForMetrics($id: ID!) { node(id: $id) { id } item(number: 999999) { id } }', { id: 'bm90aGluZw' });
    expect(missing.status).toBe(200);
    // Signed-in mutation that is refused: FORBIDDEN for a plain user.
    const user = await createActor(app);
    const refused = await app.gql('mutation RefusedForMetrics { createUpstream(input: { slug: "nope", name: "Nope", forwarding: HANDLED_HERE }) { upstream { slug } } }', {}, { token: user.token });
    expect(refused.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // Not even a document: unknown operation, GRAPHQL_PARSE_FAILED.
    await app.gql('query {');
    await app.gql('{ releases { slug } }');

    const after = await scrape(app);
    const total = 'headwaters_graphql_requests_total';
    expect(valueOf(after, total, { ...labels, outcome: 'ok' }) - valueOf(before, total, { ...labels, outcome: 'ok' })).toBe(3);
    expect(valueOf(after, total, { operation: 'RefusedForMetrics', type: 'mutation', outcome: 'error' })).toBe(1);
    expect(valueOf(after, total, { operation: 'unknown', outcome: 'error' }) - valueOf(before, total, { operation: 'unknown', outcome: 'error' })).toBe(1);
    expect(valueOf(after, total, { operation: 'unnamed', outcome: 'ok' }) - valueOf(before, total, { operation: 'unnamed', outcome: 'ok' })).toBe(1);

    expect(after.get('headwaters_graphql_request_duration_seconds')!.type).toBe('HISTOGRAM');
    const series = histogramOf(after.text, 'headwaters_graphql_request_duration_seconds', labels);
    expect(Number(series.count)).toBe(3);
    expect(Number(series.sum)).toBeGreaterThan(0);
    expect(Number(series.buckets!['+Inf'])).toBe(3);
    expect(Object.keys(series.buckets!).sort()).toEqual(['0.002', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'].sort());

    const errors = 'headwaters_graphql_errors_total';
    expect(valueOf(after, errors, { code: 'FORBIDDEN' }) - valueOf(before, errors, { code: 'FORBIDDEN' })).toBe(1);
    expect(valueOf(after, errors, { code: 'GRAPHQL_PARSE_FAILED' }) - valueOf(before, errors, { code: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
  });

  it('keeps operation names bounded: past the cap new names count as other', async () => {
    for (let i = 0; i < 6; i++) await app.gql(`query Invented${i} { releases { slug } }`);
    const families = await scrape(app);
    const names = new Set(families.get('headwaters_graphql_requests_total')!.metrics.map((m) => m.labels!.operation));
    // The cap is 3 names: ReleasesForMetrics, NodeForMetrics, RefusedForMetrics were first.
    expect([...names].filter((n) => n.startsWith('Invented'))).toEqual([]);
    expect(valueOf(families, 'headwaters_graphql_requests_total', { operation: 'other', outcome: 'ok' })).toBeGreaterThanOrEqual(6);
  });

  it('reports the pools, the job queue, deliveries and their outcomes, the event loop and the process', async () => {
    const hook = await app.gql(
      `mutation ($input: CreateUpstreamInput!) { createUpstream(input: $input) { upstream { slug } } }`,
      { input: { slug: 'metered', name: 'Metered Project', forwarding: 'WEBHOOK', webhookUrl: receiver.url, webhookSecret: SECRET } },
      { token: admin.token },
    );
    expect(hook.body.errors).toBeUndefined();
    await app.gql(`mutation { createComponent(input: { slug: "metered-part", name: "Metered part", ownerSlug: "metered" }) { component { slug } } }`, {}, { token: admin.token });
    const before = await scrape(app);
    const bug = await fileBug(app, admin, { title: 'Metered bug', description: 'Counted.', componentSlug: 'metered-part' });
    const forwarded = await app.gql(`mutation ($input: ForwardInput!) { forward(input: $input) { forward { state } } }`, { input: { itemId: bug.id } }, { token: admin.token });
    expect(forwarded.body.errors).toBeUndefined();
    await until(async () => receiver.hooks.length, (n) => n >= 1);

    const delivered = { channel: 'WEBHOOK', outcome: 'delivered' };
    const after = await until(() => scrape(app), (f) => valueOf(f, 'headwaters_delivery_attempts_total', delivered) > valueOf(before, 'headwaters_delivery_attempts_total', delivered));
    expect(valueOf(after, 'headwaters_delivery_attempts_total', delivered) - valueOf(before, 'headwaters_delivery_attempts_total', delivered)).toBe(1);
    expect(valueOf(after, 'headwaters_jobs_total', { queue: 'delivery', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(after.get('headwaters_deliveries_open')!.metrics.map((m) => `${m.labels!.channel}/${m.labels!.state}`).sort()).toEqual(['MAIL/FAILED', 'MAIL/PENDING', 'WEBHOOK/FAILED', 'WEBHOOK/PENDING']);
    expect(valueOf(after, 'headwaters_deliveries_open', { channel: 'WEBHOOK', state: 'PENDING' })).toBe(0);

    // A job that waits: the queue's depth shows it (a delivery whose receiver is away, retried later).
    const queued = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'delivery' AND state IN ('created','retry')`);
    expect(valueOf(after, 'headwaters_job_queue_depth', { queue: 'delivery', state: 'queued' })).toBe(queued[0].n);
    expect(after.get('headwaters_job_queue_depth')!.metrics.some((m) => m.labels!.queue === 'delivery')).toBe(true);

    for (const pool of ['main', 'prepared', 'jobs']) {
      for (const state of ['in_use', 'idle', 'waiting']) expect(after.get('headwaters_db_pool_connections')!.metrics.some((m) => m.labels!.pool === pool && m.labels!.state === state)).toBe(true);
    }
    expect(valueOf(after, 'headwaters_db_pool_connections', { pool: 'main', state: 'idle' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(after, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(after.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);
    expect(valueOf(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(valueOf(after, 'process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('counts retried and failed attempts, and shows the deliveries given up', async () => {
    receiver.answer = () => ({ status: 500 });
    const bug = await fileBug(app, admin, { title: 'Metered bug that waits', description: 'Counted.', componentSlug: 'metered-part' });
    await app.gql(`mutation ($input: ForwardInput!) { forward(input: $input) { forward { state } } }`, { input: { itemId: bug.id } }, { token: admin.token });
    const families = await until(() => scrape(app), (f) => valueOf(f, 'headwaters_delivery_attempts_total', { channel: 'WEBHOOK', outcome: 'failed' }) >= 1);
    expect(valueOf(families, 'headwaters_delivery_attempts_total', { channel: 'WEBHOOK', outcome: 'retry' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(families, 'headwaters_deliveries_open', { channel: 'WEBHOOK', state: 'FAILED' })).toBe(1);
  });
});

describe('GET /metrics without METRICS_TOKEN, and METRICS=false', () => {
  it('is open without a token; absent when turned off', async () => {
    const open = await startTestApp({ config: {} });
    const off = await startTestApp({ config: { METRICS: false }, database: open.db });
    try {
      const response = await fetch(`${open.url}/metrics`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('# TYPE headwaters_graphql_requests_total counter');
      expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
    } finally {
      await off.close();
      await open.close();
    }
  });
});
