// npm run bench:cost [-- --items 100000 --duration 10]
// The cost model under its worst: the most expensive queries one request may hold within
// QUERY_MAX_COST, each timed alone, then each run back to back by 2 connections while one more
// connection reads item(number), whose latency is compared with the same read alone. Same dataset
// and cluster as `npm run bench` (so the two do not run at once). Writes bench/results/cost-<items>.md.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { openDataset, stopServer, machineLine } from './harness.mjs';

const root = resolve(import.meta.dirname, '..');
const { values: options } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    'pg-port': { type: 'string', default: '54359' },
    port: { type: 'string', default: '3993' },
  },
});
const items = Number(options.items);
const duration = Number(options.duration);
const PORT = Number(options.port);
const base = `http://127.0.0.1:${PORT}`;
const random = (n) => 1 + Math.floor(Math.random() * n);
const aliases = (n, field) => Array.from({ length: n }, (_, i) => `a${i}: ${field(i)}`).join(' ');

/** The heaviest queries of each kind that still fit in 1000 points (their cost in the name). */
const WORST = [
  { name: '19 counts of items with different filters (969)', query: () => `{ ${aliases(19, (i) => `items(first: 1, filter: { minVotes: ${i} }) { totalCount }`)} }` },
  { name: '9 similarItems(first: 20) (900)', query: () => `{ ${aliases(9, (i) => `similarItems(title: "xenopsd memory leak during live migration ${i}", first: 20) { id title }`)} }` },
  { name: '99 relevance searches of common words (990)', query: () => `{ ${aliases(99, (i) => `search(query: "${['memory', 'migration', 'storage', 'network', 'crash'][i % 5]} is:open", first: 1) { nodes { number } }`)} }` },
  { name: '9 whole-schema introspections (900)', query: () => `{ ${aliases(9, () => '__schema { types { name fields { name args { name type { name } } type { name ofType { name } } } } }')} }` },
  { name: '4 x 100 items with 100 comments and events each (804)', query: () => `{ ${aliases(4, (i) => `items(first: 100, filter: { minVotes: ${i} }) { nodes { number title comments(first: 100) { nodes { body } } timeline(first: 100) { nodes { summary } } } }`)} }` },
];
const ITEM = () => ({ query: `query ($n: Int!) { item(number: $n) { number title status voteCount component { slug } reporter { username } comments(first: 5) { nodes { body } } } }`, variables: { n: random(items) } });

/** Answers that were not a clean 200 (a statement timeout under load, say): counted, not fatal. */
const failures = [];

async function post(body) {
  const started = performance.now();
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 200 || text.includes('"errors"')) {
    failures.push(`${response.status} ${text.slice(0, 200)}`);
  }
  return performance.now() - started;
}

async function readItems(seconds) {
  const result = await autocannon({
    url: base,
    connections: 1,
    duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ITEM()) }) }],
  });
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, failed: result.non2xx + result.errors };
}

async function main() {
  const database = await openDataset(items, options['pg-port']);
  let api;
  try {
    // The hourly budget off: this measures what one request may cost, as many users at once could spend it.
    const env = { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn', EXPIRY_INTERVAL_SECONDS: '0', RATE_LIMIT_POINTS_PER_HOUR: '0', TRACKER_ADMIN_USERNAME: 'bench-admin', TRACKER_ADMIN_PASSWORD: 'bench-admin-password', PORT: String(PORT), HOST: '127.0.0.1', HEADWATERS_ROLE: 'api' };
    const command = [process.execPath, join(root, 'dist/apps/api/src/main.js')];
    api = existsSync('/usr/bin/taskset') ? spawn('taskset', ['-c', '0', ...command], { env, stdio: ['ignore', 'inherit', 'inherit'] }) : spawn(command[0], command.slice(1), { env, stdio: ['ignore', 'inherit', 'inherit'] });
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/health/live`)).status === 200) break;
      } catch {
        // not up yet
      }
      if (i > 300) throw new Error('the server did not come up');
      await new Promise((r) => setTimeout(r, 100));
    }
    const loadBefore = loadavg()[0];
    await readItems(3); // warm-up
    const alone = await readItems(duration);
    console.log(`item(number) alone: p50 ${alone.p50} ms, p99 ${alone.p99} ms`);
    const rows = [];
    for (const worst of WORST) {
      for (let i = 0; i < 2; i++) await post({ query: worst.query() }); // warm-up, and checked
      const times = [];
      for (let i = 0; i < 5; i++) times.push(await post({ query: worst.query() }));
      times.sort((a, b) => a - b);
      let loading = true;
      let runs = 0;
      const attackers = Array.from({ length: 2 }, async () => {
        while (loading) {
          await post({ query: worst.query() });
          runs++;
        }
      });
      const beside = await readItems(duration);
      loading = false;
      await Promise.all(attackers);
      const failed = failures.splice(0).length;
      const row = { name: worst.name, median: times[2], max: times[4], runs, beside, ratio: beside.p50 / alone.p50, failed };
      console.log(`${row.name}: median ${row.median.toFixed(0)} ms, max ${row.max.toFixed(0)} ms; item(number) beside it p50 ${beside.p50} ms (x${row.ratio.toFixed(2)})`);
      rows.push(`| ${row.name} | ${row.median.toFixed(0)} | ${row.max.toFixed(0)} | ${runs} | ${beside.p50} | ${beside.p99} | ${row.ratio.toFixed(2)} | ${row.failed} / ${beside.failed} |`);
    }
    const table = [
      `| worst query within 1000 points (${items.toLocaleString('en')} items) | alone, median ms | alone, max ms | runs by 2 connections in ${duration} s | item(number) beside, p50 ms | p99 ms | p50 / alone | failed (worst / item) |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| (none: item(number) alone) | | | | ${alone.p50} | ${alone.p99} | 1.00 | - / ${alone.failed} |`,
      ...rows,
    ].join('\n');
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    const file = join(root, 'bench', 'results', `cost-${items}.md`);
    const machine = machineLine(loadBefore);
    writeFileSync(file, `# Headwaters cost model: ${items.toLocaleString('en')} items\n\n${machine}; the server pinned to core 0. Hourly budget off (RATE_LIMIT_POINTS_PER_HOUR=0), per-request cap 1000.\n\n${table}\n`);
    console.log(`\n${table}\n\nwritten to ${file}`);
  } finally {
    await stopServer(api);
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
