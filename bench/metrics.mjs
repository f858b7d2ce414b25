// npm run bench:metrics [-- --items 100000 --runs 3 --duration 10 --warmup 5 --connections 10 --pg-port 54339 --api-port 3990]
// What counting requests for /metrics costs: the read scenarios of `npm run bench` against the
// built API started with METRICS=true and with METRICS=false, alternately within the same run
// (on, off, off, on, on, off...), so both see the same machine. Reports each variant's median
// req/s and p99 per scenario and the ratio. Uses the dataset and cluster of `npm run bench`.
// First, in this process, what the per-request work itself costs (noting the operation, counting
// the request and observing its latency), per request, which a loaded machine blurs far less.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { machineLine, openDataset, stopServer, TYPENAME_POST, waitForServer } from './harness.mjs';
import { scenarios } from './scenarios.mjs';

const root = resolve(import.meta.dirname, '..');
const { values: options } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    'pg-port': { type: 'string', default: '54339' },
    'api-port': { type: 'string', default: '3990' },
  },
});
const items = Number(options.items);
const runs = Number(options.runs);
const port = Number(options['api-port']);
const pinned = (core, command, args) => (existsSync('/usr/bin/taskset') ? ['taskset', ['-c', String(core), command, ...args]] : [command, args]);

async function benchSetup(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tokens = [];
    for (let i = 0; i < 20; i++) {
      const [{ id }] = (await client.query(`INSERT INTO app_user (username, email, password_hash) VALUES ($1, $2, '!') ON CONFLICT (lower(username)) DO UPDATE SET email = EXCLUDED.email RETURNING id`, [`bench-${i}`, `bench-${i}@example.org`])).rows;
      const token = `hwt_${randomBytes(32).toString('base64url')}`;
      await client.query(`INSERT INTO access_token (user_id, kind, name, token_hash) VALUES ($1, 'PERSONAL', 'bench', $2)`, [id, createHash('sha256').update(token).digest()]);
      tokens.push(token);
    }
    const open = (await client.query(`SELECT id FROM item WHERE NOT closed ORDER BY hashint4(id) LIMIT 5000`)).rows.map((r) => r.id);
    return { tokens, open };
  } finally {
    await client.end();
  }
}

function load(index, tokens, open) {
  const settings = { target: 'api', base: `http://127.0.0.1:${port}`, index, items, tokens, open, duration: Number(options.duration), warmup: Number(options.warmup), connections: Number(options.connections) };
  const [command, args] = pinned(1, process.execPath, [join(root, 'bench', 'load.mjs')]);
  const output = execFileSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, BENCH_LOAD: JSON.stringify(settings) }, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(output.trim().split('\n').at(-1));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

/** Nanoseconds per request of what METRICS=true adds to one: the note, the count, the histogram. */
function perRequestCost() {
  const require = createRequire(import.meta.url);
  const { ApiMetrics } = require('../dist/apps/api/src/metrics/api-metrics.js');
  const { noteOperation, noteOf } = require('../dist/apps/api/src/metrics/request-notes.js');
  const { parse } = require('graphql');
  const none = () => ({ total: 0, idle: 0, waiting: 0 });
  const metrics = new ApiMetrics({ pools: { main: none }, queueDepth: async () => [], openDeliveries: async () => [] }, 200);
  const document = parse('query ItemsPage($first: Int) { items(first: $first) { nodes { number title } } }');
  const names = ['ItemsPage', 'ItemByNumber', 'Search', 'Viewer'];
  const round = (n) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      const request = { graphqlNote: null };
      noteOperation(request, document, names[i & 3]);
      metrics.request(noteOf(request), 'ok', 0.004 + (i & 7) / 1000);
    }
    return Number(process.hrtime.bigint() - started) / n;
  };
  round(200_000);
  return median(Array.from({ length: 5 }, () => round(500_000)));
}

async function main() {
  const loadBefore = loadavg()[0];
  const database = await openDataset(items, options['pg-port']);
  let api;
  try {
    const nanos = perRequestCost();
    console.log(`METRICS=true adds ${nanos.toFixed(0)} ns of work per request (median of 5 rounds of 500,000)`);
    const { tokens, open } = await benchSetup(database.url);
    const chosen = scenarios(items, tokens, open).map((s, i) => [s, i]).filter(([s]) => s.read);
    const results = new Map(chosen.map(([s]) => [s.name, { true: [], false: [] }]));
    const env = { DATABASE_URL: database.url, LOG_LEVEL: 'warn', EXPIRY_INTERVAL_SECONDS: '0', DB_POOL_SIZE: '10', TRACKER_ADMIN_USERNAME: 'bench-admin', TRACKER_ADMIN_PASSWORD: 'bench-admin-password', GRAPHIQL: 'false', RATE_LIMIT_POINTS_PER_HOUR: '0', PORT: String(port), HOST: '127.0.0.1' };
    for (let run = 0; run < runs; run++) {
      // Alternating which goes first, so neither always meets the quieter half of a run.
      for (const metrics of run % 2 === 0 ? [true, false] : [false, true]) {
        const [command, args] = pinned(0, process.execPath, [join(root, 'dist/apps/api/src/main.js')]);
        api = spawn(command, args, { env: { ...process.env, ...env, METRICS: String(metrics) }, stdio: ['ignore', 'inherit', 'inherit'] });
        await waitForServer(`http://127.0.0.1:${port}/graphql`, { init: TYPENAME_POST });
        const scrape = await fetch(`http://127.0.0.1:${port}/metrics`);
        if (scrape.status !== (metrics ? 200 : 404)) throw new Error(`/metrics answered ${scrape.status} with METRICS=${metrics}`);
        for (const [scenario, index] of chosen) {
          const result = load(index, tokens, open);
          results.get(scenario.name)[metrics].push(result);
          console.log(`run ${run + 1}, METRICS=${metrics}, ${scenario.name}: ${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99} ms`);
        }
        await stopServer(api);
        api = undefined;
      }
    }
    const rows = [...results].map(([name, r]) => {
      const on = median(r.true.map((x) => x.requestsPerSecond));
      const off = median(r.false.map((x) => x.requestsPerSecond));
      return `| ${name} | ${Math.round(on)} | ${median(r.true.map((x) => x.p99))} | ${Math.round(off)} | ${median(r.false.map((x) => x.p99))} | ${((100 * on) / off).toFixed(1)}% | ${r.true.map((x) => Math.round(x.requestsPerSecond)).join(', ')} / ${r.false.map((x) => Math.round(x.requestsPerSecond)).join(', ')} |`;
    });
    console.log(`\nper request: ${nanos.toFixed(0)} ns of counting (in process)`);
    console.log(`\n${machineLine(loadBefore)}; ${items.toLocaleString('en')} items, ${options.connections} connections, ${options.duration} s, median of ${runs} runs\n`);
    console.log('| scenario | METRICS=true req/s | p99 ms | METRICS=false req/s | p99 ms | on / off | each run, on / off |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
    console.log(rows.join('\n'));
  } finally {
    await stopServer(api);
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
