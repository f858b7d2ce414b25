// npm run bench:forwarding [-- --items 100000 --forwards 10000 --senders 50 --baseline 20 --pg-port 54369 --api-port 3994]
// The write path of forwarding: N forwards queued at once through the `forward` mutation, first to
// a MAILING_LIST upstream (a real SMTP server here), then to a WEBHOOK upstream (a real HTTP
// receiver that checks every signature), each timed until every delivery is DELIVERED and
// counted at its sink exactly once; meanwhile the read scenarios of `npm run bench` run as one
// mix, compared with the same mix without a burst, in the same run. The API (HEADWATERS_ROLE=api)
// is pinned to core 0 as in `npm run bench`; the worker runs as its own process
// (HEADWATERS_ROLE=worker) on core 1 with the load, as a 2-core deployment would run it.
// Uses the dataset and cluster of `npm run bench`; stops everything it starts.
import { spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { forgetBenchFilings, machineLine, openDataset, pinTo, stopServer, waitForServer } from './harness.mjs';

const root = resolve(import.meta.dirname, '..');
const { values: options } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    forwards: { type: 'string', default: '10000' },
    senders: { type: 'string', default: '50' },
    connections: { type: 'string', default: '10' },
    baseline: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    'delivery-concurrency': { type: 'string', default: '' },
    'worker-core': { type: 'string', default: '1' },
    'pg-port': { type: 'string', default: '54369' },
    'api-port': { type: 'string', default: '3994' },
    'floor-port': { type: 'string', default: '' }, // accepted for symmetry with `npm run bench`; no floor here
  },
});
const ITEMS = Number(options.items);
const FORWARDS = Number(options.forwards);
const SENDERS = Number(options.senders);
const API = `http://127.0.0.1:${options['api-port']}`;
const SECRET = 'bench-webhook-secret-0123456789';
const LIMIT_MS = 60_000;
const children = new Set();

function start(args, env, core) {
  const command = [...pinTo(core), process.execPath, ...args];
  const child = spawn(command[0], command.slice(1), { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** CPU seconds (user + system) a process has used so far, from /proc; 0 where there is no /proc. */
function cpuOf(pid, withChildren = false) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12]) + (withChildren ? Number(fields[13]) + Number(fields[14]) : 0)) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by the PostgreSQL of the cluster: its postmaster with the backends that ended, and every backend still running. */
function postgresCpu(postmasterPid) {
  let total = cpuOf(postmasterPid, true);
  for (const name of existsSync('/proc') ? readdirSync('/proc') : []) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ');
      // Backends' own CPU, plus what their finished children (parallel workers) used.
      if (Number(stat[1]) === postmasterPid) total += (Number(stat[11]) + Number(stat[12]) + Number(stat[13]) + Number(stat[14])) / 100;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A real SMTP server that counts every mail by its Message-ID and checks its recipient. */
function smtpSink(recipient) {
  const sink = { byId: new Map(), wrongRecipient: 0, received: 0, server: null, port: 0 };
  sink.server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const id = /^message-id:\s*(.+)$/im.exec(raw)?.[1].trim() ?? '';
        if (session.envelope.rcptTo.map((r) => r.address).join() !== recipient) sink.wrongRecipient++;
        sink.byId.set(id, (sink.byId.get(id) ?? 0) + 1);
        sink.received++;
        callback();
      });
    },
  });
  return new Promise((ok) => sink.server.listen(0, '127.0.0.1', () => ok(Object.assign(sink, { port: sink.server.server.address().port }))));
}

/** A real HTTP receiver: checks each POST's signature with the secret, counts it by its delivery id, answers a reference. */
function webhookReceiver() {
  const sink = { byId: new Map(), badSignature: 0, received: 0, server: null, port: 0 };
  sink.server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-headwaters-signature-256'] ?? ''));
      const id = String(req.headers['x-headwaters-delivery'] ?? '');
      let parsed;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        parsed = null;
      }
      if (given.length !== expected.length || !timingSafeEqual(given, expected) || parsed?.delivery !== id) {
        sink.badSignature++;
        res.writeHead(401).end();
        return;
      }
      sink.byId.set(id, (sink.byId.get(id) ?? 0) + 1);
      sink.received++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ reference: `BENCH-${parsed.item.number}` }));
    });
  });
  sink.server.keepAliveTimeout = 60_000;
  return new Promise((ok) => sink.server.listen(0, '127.0.0.1', () => ok(Object.assign(sink, { port: sink.server.address().port }))));
}

/**
 * Bench upstreams (a mailing list and a webhook), an admin with a token, and for each upstream
 * FORWARDS items that also affect it with a PENDING forward, as `alsoAffects` leaves them. Earlier
 * runs' forwards, deliveries, events and jobs are taken out first.
 */
async function prepare(client, webhookUrl) {
  await client.query(`INSERT INTO app_user (username, email, password_hash) VALUES ('bench-forwarder', 'bench-forwarder@example.org', '!') ON CONFLICT (lower(username)) DO UPDATE SET email = EXCLUDED.email`);
  const [{ id: adminId }] = (await client.query(`SELECT id FROM app_user WHERE lower(username) = 'bench-forwarder'`)).rows;
  await client.query(`INSERT INTO role_grant (user_id, role) VALUES ($1, 'ADMIN') ON CONFLICT DO NOTHING`, [adminId]);
  const token = `hwt_${randomBytes(32).toString('base64url')}`;
  await client.query(`INSERT INTO access_token (user_id, kind, name, token_hash) VALUES ($1, 'PERSONAL', 'bench', $2)`, [adminId, createHash('sha256').update(token).digest()]);
  await client.query(
    `INSERT INTO upstream (slug, name, forwarding, mailing_list, tracker_kind) VALUES ('bench-list', 'Bench list', 'MAILING_LIST', 'bench-list@lists.example.org', 'NONE')
     ON CONFLICT (slug) DO UPDATE SET forwarding = 'MAILING_LIST', mailing_list = EXCLUDED.mailing_list, retired_at = NULL`,
  );
  await client.query(
    `INSERT INTO upstream (slug, name, forwarding, webhook_url, webhook_secret, tracker_kind) VALUES ('bench-hook', 'Bench hook', 'WEBHOOK', $1, $2, 'NONE')
     ON CONFLICT (slug) DO UPDATE SET forwarding = 'WEBHOOK', webhook_url = EXCLUDED.webhook_url, webhook_secret = EXCLUDED.webhook_secret, retired_at = NULL`,
    [webhookUrl, SECRET],
  );
  const upstreams = Object.fromEntries((await client.query(`SELECT slug, id FROM upstream WHERE slug IN ('bench-list', 'bench-hook')`)).rows.map((r) => [r.slug, r.id]));
  const ids = [upstreams['bench-list'], upstreams['bench-hook']];
  // What the write scenarios of `npm run bench` filed goes first, as that benchmark does it: the
  // reads here meet the dataset as generated, and the forwarded items are the dataset's.
  const filed = await forgetBenchFilings(client);
  if (filed) {
    console.log(`removed ${filed} items filed by earlier runs of npm run bench`);
    for (const table of ['item', 'timeline_event', 'notification', 'vote']) await client.query(`VACUUM ANALYZE ${table}`);
  }
  const removed = await client.query(`DELETE FROM delivery WHERE forward_id IN (SELECT id FROM forward WHERE upstream_id = ANY($1))`, [ids]);
  await client.query(
    `DELETE FROM timeline_event WHERE item_id IN (SELECT item_id FROM forward WHERE upstream_id = ANY($1)) AND type IN ('FORWARDED', 'FORWARD_FAILED') AND (data->>'upstreamId')::int = ANY($1)`,
    [ids],
  );
  await client.query(`DELETE FROM forward WHERE upstream_id = ANY($1)`, [ids]);
  await client.query(`DELETE FROM pgboss.job WHERE name = 'delivery'`).catch(() => undefined);
  if (removed.rowCount) console.log(`removed ${removed.rowCount} deliveries of earlier runs`);
  // Distinct open items for each upstream (2 x FORWARDS), spread over the dataset.
  const { rows } = await client.query(`SELECT id, kind FROM item WHERE NOT closed ORDER BY hashint4(id + 7) LIMIT $1`, [2 * FORWARDS + 2]);
  const sets = { 'bench-list': rows.slice(0, FORWARDS + 1), 'bench-hook': rows.slice(FORWARDS + 1) };
  for (const [slug, list] of Object.entries(sets)) {
    await client.query(`INSERT INTO forward (item_id, upstream_id, kind, state) SELECT unnest($1::int[]), $2, 'ALSO_AFFECTS', 'PENDING'`, [list.map((r) => r.id), upstreams[slug]]);
  }
  await client.query('VACUUM ANALYZE forward');
  await client.query('VACUUM ANALYZE delivery');
  const globalId = (r) => Buffer.from(`${r.kind === 'BUG' ? 'Bug' : 'FeatureSuggestion'}:${r.id}`).toString('base64url');
  return { token, items: Object.fromEntries(Object.entries(sets).map(([slug, list]) => [slug, list.map(globalId)])) };
}

const FORWARD = `mutation ($input: ForwardInput!) { forward(input: $input) { forward { state } } }`;

async function forward(token, itemId, upstreamSlug) {
  const response = await fetch(`${API}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: FORWARD, variables: { input: { itemId, upstreamSlug } } }),
  });
  const body = await response.json();
  if (body.errors || body.data?.forward?.forward?.state !== 'FORWARDED') throw new Error(`forward ${itemId} to ${upstreamSlug}: ${JSON.stringify(body).slice(0, 400)}`);
}

/** The read mix, in its own process on the load's core; resolves once its measured part has begun, with a way to stop it. */
async function readMix(seconds, connections) {
  const child = start([join(root, 'bench', 'read-mix.mjs')], {
    BENCH_READ_MIX: JSON.stringify({ base: API, items: ITEMS, warmup: Number(options.warmup), connections, duration: seconds }),
  }, 1);
  const lines = createInterface({ input: child.stdout });
  let result;
  const done = new Promise((ok, fail) => {
    lines.on('line', (line) => {
      if (line.startsWith('{')) result = JSON.parse(line);
    });
    child.on('exit', (code) => (code === 0 && result ? ok(result) : fail(new Error(`the read load exited with ${code}`))));
  });
  await new Promise((ok, fail) => {
    lines.on('line', (line) => line === 'measuring' && ok());
    child.on('exit', () => fail(new Error('the read load did not start')));
  });
  return { done, stop: () => child.stdin.write('stop\n') };
}

async function deliveredSince(client, afterId) {
  const { rows: [r] } = await client.query(
    `SELECT count(*) FILTER (WHERE state = 'DELIVERED')::int AS delivered, count(*) FILTER (WHERE state = 'FAILED')::int AS failed, count(*)::int AS queued,
            coalesce(sum(attempts), 0)::int AS attempts FROM delivery WHERE id > $1`,
    [afterId],
  );
  return r;
}

/** The read mix alone, for `--baseline` seconds. */
async function measureBaseline() {
  const mix = await readMix(Number(options.baseline), Number(options.connections));
  return mix.done;
}

/** Sends the FORWARDS `forward` mutations, SENDERS at once; resolves with how long it took. */
async function queueForwards(token, slug, itemIds) {
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: SENDERS }, async () => {
    while (next < itemIds.length) await forward(token, itemIds[next++], slug);
  }));
  return performance.now() - started;
}

/**
 * One burst: the FORWARDS forwards are queued through the API while the worker process, started
 * and warmed up before, is frozen (SIGSTOP), so that all of them wait at once; then, with the read
 * mix running, the worker goes on (SIGCONT: it looks at the queue within JOBS_POLL_SECONDS), and
 * the burst is timed from then to the moment every delivery is DELIVERED and its sink has counted it.
 */
async function burst(client, token, slug, itemIds, sink, worker, pids) {
  const [{ max: afterId }] = (await client.query(`SELECT coalesce(max(id), 0)::int AS max FROM delivery`)).rows;
  const before = sink.received;
  const queuedMs = await queueForwards(token, slug, itemIds);
  const queued = await deliveredSince(client, afterId);
  if (queued.queued !== FORWARDS || queued.delivered !== 0) throw new Error(`expected ${FORWARDS} waiting deliveries, found ${JSON.stringify(queued)}`);
  // The reads with and without the burst meet the same tables: the mutations' rows vacuumed, as `npm run bench` reads them.
  for (const table of ['item', 'forward', 'timeline_event', 'delivery', 'pgboss.job']) await client.query(`VACUUM ANALYZE ${table}`);
  const baselineCpu = { api: cpuOf(pids.api), postgres: postgresCpu(pids.postgres) };
  const baseline = await measureBaseline();
  // PostgreSQL's CPU per read request alone: what the reads cost it during the burst is taken out of the burst's own share.
  baseline.cpu = { api: cpuOf(pids.api) - baselineCpu.api, postgres: postgresCpu(pids.postgres) - baselineCpu.postgres };
  const mix = await readMix(600, Number(options.connections));
  const cpuBefore = { worker: cpuOf(worker.pid), api: cpuOf(pids.api), postgres: postgresCpu(pids.postgres) };
  const started = performance.now();
  // The worker, idle and frozen while the forwards were queued, goes on: all of them wait for it at once.
  worker.kill('SIGCONT');
  let firstMs = null;
  let state;
  for (;;) {
    await sleep(50);
    if (worker.exitCode !== null) throw new Error(`the worker exited with ${worker.exitCode}`);
    if (firstMs === null && sink.received > before) firstMs = performance.now() - started;
    if (performance.now() - started > 10 * LIMIT_MS) break;
    // The sinks count as they receive; the database is asked only once they have every one (so as not to load it meanwhile).
    if (sink.received - before < FORWARDS) continue;
    state = await deliveredSince(client, afterId);
    if (state.delivered === FORWARDS) break;
  }
  const deliveredMs = performance.now() - started;
  const cpu = { worker: cpuOf(worker.pid) - cpuBefore.worker, api: cpuOf(pids.api) - cpuBefore.api, postgres: postgresCpu(pids.postgres) - cpuBefore.postgres };
  mix.stop();
  const reads = await mix.done;
  // Its last completions sent, the worker is frozen again for the next burst.
  await sleep(1000);
  worker.kill('SIGSTOP');
  const counts = [...sink.byId.values()];
  return {
    slug, queuedMs, firstMs, deliveredMs, reads, baseline, cpu, ...(state ?? (await deliveredSince(client, afterId))),
    received: sink.received - before,
    distinct: sink.byId.size,
    duplicates: counts.filter((n) => n > 1).length,
  };
}

async function warmUp(client, token, items, sinks) {
  // One forward of each channel, checked end to end, before anything is measured.
  for (const [slug, sink] of [['bench-list', sinks.mail], ['bench-hook', sinks.hook]]) {
    const before = sink.received;
    await forward(token, items[slug].pop(), slug);
    for (let i = 0; sink.received === before; i++) {
      if (i > 300) throw new Error(`the warm-up forward to ${slug} was not delivered within 30 s`);
      await sleep(100);
    }
  }
  await sleep(1000);
  sinks.mail.byId.clear();
  sinks.hook.byId.clear();
}

async function main() {
  const load = loadavg()[0];
  const database = await openDataset(ITEMS, options['pg-port']);
  const client = new pg.Client({ connectionString: database.url });
  const mailSink = await smtpSink('bench-list@lists.example.org');
  const hookSink = await webhookReceiver();
  let api;
  let worker;
  try {
    await client.connect();
    const { token, items } = await prepare(client, `http://127.0.0.1:${hookSink.port}/hook`);
    const env = {
      DATABASE_URL: database.url, LOG_LEVEL: 'error', EXPIRY_INTERVAL_SECONDS: '0', DB_POOL_SIZE: '10', GRAPHIQL: 'false', RATE_LIMIT_POINTS_PER_HOUR: '0',
      SMTP_URL: `smtp://127.0.0.1:${mailSink.port}`, WEBHOOK_ALLOW_PRIVATE: 'true', MAIL_FROM: 'headwaters@tracker.example.org',
      ...(options['delivery-concurrency'] ? { DELIVERY_CONCURRENCY: options['delivery-concurrency'] } : {}),
    };
    api = start([join(root, 'dist/apps/api/src/main.js')], { ...env, HEADWATERS_ROLE: 'api', PORT: options['api-port'], HOST: '127.0.0.1' }, 0);
    api.stdout.pipe(process.stdout);
    const startWorker = () => {
      worker = start([...(process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean), join(root, 'dist/apps/api/src/main.js')], { ...env, HEADWATERS_ROLE: 'worker' }, options['worker-core']);
      worker.stdout.pipe(process.stdout);
      return worker;
    };
    await waitForServer(`${API}/health/ready`, { expected: 200 });
    startWorker();
    await warmUp(client, token, items, { mail: mailSink, hook: hookSink });
    worker.kill('SIGSTOP');

    const bursts = [];
    for (const [slug, sink, label] of [['bench-list', mailSink, 'mail (SMTP)'], ['bench-hook', hookSink, 'webhook (signed POST)']]) {
      process.stdout.write(`${FORWARDS.toLocaleString('en')} forwards by ${label}... `);
      const result = await burst(client, token, slug, items[slug], sink, worker, { api: api.pid, postgres: Number(readFileSync(join(root, 'data', `bench-pg-${ITEMS}`, 'postmaster.pid'), 'utf8').split('\n')[0]) });
      console.log(`CPU s: worker ${result.cpu.worker.toFixed(1)}, PostgreSQL ${result.cpu.postgres.toFixed(1)}, API ${result.cpu.api.toFixed(1)}`);
      console.log(`queued in ${(result.queuedMs / 1000).toFixed(1)} s; reads alone ${Math.round(result.baseline.requestsPerSecond)} req/s; worker on, first delivered after ${(result.firstMs / 1000).toFixed(1)} s, all after ${(result.deliveredMs / 1000).toFixed(1)} s; reads ${Math.round(result.reads.requestsPerSecond)} req/s`);
      bursts.push({ ...result, label });
    }

    const rows = bursts.map((b) => {
      const sending = (b.deliveredMs - b.firstMs) / 1000;
      const cpu = (seconds) => `${((1000 * seconds) / b.delivered).toFixed(2)}`;
      // PostgreSQL's CPU per read alone times the reads made during the burst: the rest is the burst's.
      const readsPostgres = (b.baseline.cpu.postgres / b.baseline.total) * b.reads.total;
      return `| ${b.label} | ${(b.queuedMs / 1000).toFixed(1)} (${Math.round(FORWARDS / (b.queuedMs / 1000))}/s) | ${b.delivered.toLocaleString('en')} | **${(b.deliveredMs / 1000).toFixed(1)}** | ${(b.firstMs / 1000).toFixed(1)} | ${Math.round(b.delivered / sending)} | ${b.distinct.toLocaleString('en')} | ${b.duplicates} | ${b.attempts - b.delivered} | ${cpu(b.cpu.worker)} / ${cpu(b.cpu.postgres)} / ${cpu(Math.max(0, b.cpu.postgres - readsPostgres))} | ${Math.round(b.baseline.requestsPerSecond)} (${b.baseline.p99}) | ${Math.round(b.reads.requestsPerSecond)} (${b.reads.p99}) | **${Math.round((100 * b.reads.requestsPerSecond) / b.baseline.requestsPerSecond)}%** |`;
    });
    const table = [
      `| ${FORWARDS.toLocaleString('en')} forwards by | queued by ${SENDERS} at once, s (forwards/s) | delivered | all delivered, s from the worker going on | first delivered, s | deliveries/s from the first | distinct at the sink | received twice | retries | CPU ms per delivery: worker / PostgreSQL with the reads / without them | read mix req/s without (p99 ms) | with the burst (p99 ms) | with / without |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
    ].join('\n');
    const failures = bursts.flatMap((b) => [b.reads, b.baseline]).reduce((s, r) => s + r.non2xx + r.errors, 0);
    const checks = [
      `Goal: all ${FORWARDS.toLocaleString('en')} delivered within 60 s, reads at least 80% of their throughput without the burst.`,
      `Mail to the wrong recipient: ${mailSink.wrongRecipient}; webhook POSTs with a bad signature: ${hookSink.badSignature}; failed read requests: ${failures}.`,
    ].join('\n');
    const machine = machineLine(load);
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    const out = join(root, 'bench', 'results', `forwarding-${ITEMS}.md`);
    writeFileSync(out, `# Forwarding: ${FORWARDS.toLocaleString('en')} forwards at once, ${ITEMS.toLocaleString('en')} items\n\n${machine}; API pinned to core 0, worker (its own process) and the load to core ${options['worker-core'] || 'any'}, PostgreSQL unpinned. Read mix: the four read scenarios of \`npm run bench\` in turn on ${options.connections} connections.\n\n${table}\n\n${checks}\n`);
    console.log(`\n${table}\n\n${checks}\n\nwritten to ${out}`);
  } finally {
    await client.end().catch(() => undefined);
    await stopServer(api);
    worker?.kill('SIGCONT');
    await stopServer(worker);
    await new Promise((r) => mailSink.server.close(r));
    hookSink.server.closeAllConnections?.();
    await new Promise((r) => hookSink.server.close(r));
    await database.stop();
  }
}

const cleanup = () => {
  for (const child of children) {
    child.kill('SIGCONT');
    child.kill('SIGTERM');
  }
  process.exit(130);
};
process.once('SIGINT', cleanup);
process.once('SIGTERM', cleanup);
main().then(() => process.exit(0), (error) => {
  console.error(error);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
