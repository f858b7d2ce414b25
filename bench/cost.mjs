// npm run bench:cost [-- --items 100000 --duration 10 --only counts,similar]
// The cost model under its worst: for each kind of expensive query, the most of it one request may
// hold within QUERY_MAX_COST (as many aliases as fit, priced by the server's own cost model), timed
// alone; then run back to back by 2 connections while a reader in a thread of its own reads
// item(number) one request at a time. The reader's latency is compared with the same read alone,
// measured just before each kind (so a machine whose load drifts is compared with itself).
// Same dataset and cluster as `npm run bench` (so the two do not run at once). Writes
// bench/results/cost-<items>.md.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { openDataset, stopServer, machineLine, waitForServer } from './harness.mjs';

const root = resolve(import.meta.dirname, '..');
const { values: options } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    only: { type: 'string', default: '' },
    'pg-port': { type: 'string', default: '54359' },
    port: { type: 'string', default: '3993' },
  },
});
const items = Number(options.items);
const duration = Number(options.duration);
const PORT = Number(options.port);
const base = `http://127.0.0.1:${PORT}`;
const MAX_COST = 1000;
const MAX_ALIASES = 100;
const aliases = (n, field) => Array.from({ length: n }, (_, i) => `a${i}: ${field(i)}`).join(' ');
const WORDS = ['memory', 'migration', 'storage', 'network', 'crash', 'leak', 'host', 'pool', 'toolstack', 'hotfix', 'console', 'reboot'];

/**
 * The kinds: each builds its query from a count of repetitions; the bench uses the most that fit
 * (costs come from the server's own model, so a change of weights changes the counts, not this file).
 */
const KINDS = [
  { key: 'counts', name: 'counts of items with different filters', query: (n) => `{ ${aliases(n, (i) => `items(first: 1, filter: { minVotes: ${i} }) { totalCount }`)} }` },
  { key: 'upstream-counts', name: 'counts of an upstream\'s items', query: (n) => `{ ${aliases(n, (i) => `upstream(slug: "xenserver") { items(first: 1, filter: { minVotes: ${i} }) { totalCount } }`)} }` },
  { key: 'release-counts', name: 'counts of releases\' fixed and planned items', query: (n) => `{ ${aliases(n, (i) => `releases { fixedItems(first: 1, filter: { minVotes: ${i} }) { totalCount } plannedItems(first: 1, filter: { minVotes: ${i} }) { totalCount } }`)} }` },
  { key: 'similar', name: 'similarItems(first: 20)', query: (n) => `{ ${aliases(n, (i) => `similarItems(title: "xenopsd memory leak during live migration ${i}", first: 20) { id title }`)} }` },
  { key: 'suggest', name: 'suggestComponents', query: (n) => `{ ${aliases(n, (i) => `suggestComponents(title: "xenopsd memory leak during live migration ${i}", description: "the toolstack crashes on the pool master", first: 10) { component { slug } }`)} }` },
  { key: 'search', name: 'relevance searches of common words', query: (n) => `{ ${aliases(n, (i) => `search(query: "${WORDS[i % 5]} is:open", first: 1) { nodes { number } }`)} }` },
  { key: 'search-or', name: 'searches of 12 words joined by or, 100 results', query: (n) => `{ ${aliases(n, (i) => `search(query: "${[...WORDS.slice(i % 12), ...WORDS.slice(0, i % 12)].join(' or ')}", first: 100) { nodes { number title } }`)} }` },
  { key: 'search-or-count', name: 'searches of 12 words joined by or, counted', query: (n) => `{ ${aliases(n, (i) => `search(query: "${[...WORDS.slice(i % 12), ...WORDS.slice(0, i % 12)].join(' or ')}", first: 1) { totalCount }`)} }` },
  { key: 'schema', name: 'whole-schema introspections', query: (n) => `{ ${aliases(n, () => '__schema { types { name fields { name args { name type { name } } type { name ofType { name } } } } }')} }` },
  { key: 'types', name: 'introspections of one type', query: (n) => `{ ${aliases(n, (i) => `__type(name: "${['Bug', 'FeatureSuggestion', 'Query', 'Mutation', 'Upstream'][i % 5]}") { name fields { name description args { name type { name ofType { name } } } type { name ofType { name } } } }`)} }` },
  { key: 'pages', name: 'pages of 100 items with 100 comments and events each', query: (n) => `{ ${aliases(n, (i) => `items(first: 100, filter: { minVotes: ${i} }) { nodes { number title comments(first: 100) { nodes { body } } timeline(first: 100) { nodes { summary } } } }`)} }` },
  { key: 'nested', name: 'pages of 10 items with their upstream\'s 100 items each', query: (n) => `{ ${aliases(n, (i) => `items(first: 10, filter: { minVotes: ${i} }) { nodes { number component { owner { items(first: 100) { nodes { number title voteCount } } } } } }`)} }` },
  { key: 'timeline', name: 'pages of 100 items with 100 events and their actors', query: (n) => `{ ${aliases(n, (i) => `items(first: 100, orderBy: { field: VOTES, direction: DESC }, filter: { minVotes: ${i} }) { nodes { timeline(first: 100) { totalCount nodes { summary createdAt actor { username } } } } }`)} }` },
  // A batch: 10 operations whose costs add up against the same cap, run by the server side by side.
  { key: 'batch', name: 'operations of counts of an upstream\'s items, in a batch of 10', batch: 10, query: (n) => `{ ${aliases(n, (i) => `upstream(slug: "xen-project") { items(first: 1, filter: { minVotes: ${i} }) { totalCount } }`)} }` },
];

const READ = `query ($n: Int!) { item(number: $n) { number title status voteCount component { slug } reporter { username } comments(first: 5) { nodes { body } } } }`;

/** Answers that were not a clean 200 (a statement timeout under load, say): counted, not fatal. */
const failures = [];

async function post(body) {
  const started = performance.now();
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 200 || text.includes('"errors"')) failures.push(`${response.status} ${text.slice(0, 300)}`);
  return performance.now() - started;
}

const bodyOf = (kind, n) => (kind.batch ? Array.from({ length: kind.batch }, () => ({ query: kind.query(n) })) : { query: kind.query(n) });

/**
 * The reader, in a thread of its own so that the big answers the attackers parse here do not
 * delay its clock: one request at a time for `seconds`, each timed to the microsecond.
 */
function readItems(seconds) {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { performance } = require('node:perf_hooks');
    (async () => {
      const times = []; let failed = 0;
      const end = performance.now() + workerData.seconds * 1000;
      while (performance.now() < end) {
        const body = JSON.stringify({ query: workerData.query, variables: { n: 1 + Math.floor(Math.random() * workerData.items) } });
        const started = performance.now();
        const response = await fetch(workerData.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const text = await response.text();
        times.push(performance.now() - started);
        if (response.status !== 200 || text.includes('"errors"')) failed++;
      }
      parentPort.postMessage({ times, failed });
    })();`;
  return new Promise((done, fail) => {
    const worker = new Worker(source, { eval: true, workerData: { seconds, query: READ, items, url: `${base}/graphql` } });
    worker.once('message', ({ times, failed }) => {
      times.sort((a, b) => a - b);
      const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
      done({ p50: at(0.5), p99: at(0.99), count: times.length, failed });
      void worker.terminate();
    });
    worker.once('error', fail);
  });
}

/** The server's own cost model, on the schema it prints: how many repetitions of a kind fit. */
function fitter() {
  const require = createRequire(import.meta.url);
  const { buildSchema, parse } = require('graphql');
  const { queryCost } = require('../dist/apps/api/src/graphql/query-cost.js');
  const schema = buildSchema(readFileSync(join(root, 'schema.gql'), 'utf8'));
  const costOf = (kind, n) => (kind.batch ?? 1) * queryCost(schema, parse(kind.query(n)), undefined, {}).cost;
  return (kind) => {
    let n = 0;
    while (n < MAX_ALIASES && costOf(kind, n + 1) <= MAX_COST) n++;
    return { n, cost: n > 0 ? costOf(kind, n) : costOf(kind, 1) };
  };
}

const ms = (v) => (v === undefined ? '-' : v < 10 ? v.toFixed(2) : v.toFixed(0));

async function main() {
  const database = await openDataset(items, options['pg-port']);
  const fit = fitter();
  let api;
  try {
    // The hourly budget off: this measures what one request may cost, as many users at once could spend it.
    const env = { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'error', EXPIRY_INTERVAL_SECONDS: '0', RATE_LIMIT_POINTS_PER_HOUR: '0', TRACKER_ADMIN_USERNAME: 'bench-admin', TRACKER_ADMIN_PASSWORD: 'bench-admin-password', PORT: String(PORT), HOST: '127.0.0.1', HEADWATERS_ROLE: 'api' };
    const command = [process.execPath, join(root, 'dist/apps/api/src/main.js')];
    api = existsSync('/usr/bin/taskset') ? spawn('taskset', ['-c', '0', ...command], { env, stdio: ['ignore', 'inherit', 'inherit'] }) : spawn(command[0], command.slice(1), { env, stdio: ['ignore', 'inherit', 'inherit'] });
    await waitForServer(`${base}/health/live`, { expected: 200 });
    const loadBefore = loadavg()[0];
    await readItems(3); // warm-up
    const only = options.only ? new Set(options.only.split(',')) : null;
    const rows = [];
    for (const kind of KINDS) {
      if (only && !only.has(kind.key)) continue;
      const { n, cost } = fit(kind);
      const name = `${kind.batch ? `${kind.batch} x ` : ''}${n} ${kind.name} (${cost})`;
      if (n === 0) {
        console.log(`${kind.name}: not even one fits (${cost} points)`);
        rows.push(`| ${kind.name}: one alone costs ${cost}, refused | | | | | | | | |`);
        continue;
      }
      const alone = await readItems(duration / 2);
      // Alone: each run after a rest of 4 times the last one's time, longer than the pause the
      // server's gate makes after an expensive request (QUERY_EXPENSIVE_SHARE 0.3: 2.3 times).
      const rest = (took) => new Promise((r) => setTimeout(r, Math.min(took * 4, 20_000)));
      for (let i = 0; i < 2; i++) await rest(await post(bodyOf(kind, n))); // warm-up, and checked
      const times = [];
      for (let i = 0; i < 5; i++) {
        times.push(await post(bodyOf(kind, n)));
        await rest(times[i]);
      }
      times.sort((a, b) => a - b);
      let loading = true;
      let runs = 0;
      const attackers = Array.from({ length: 2 }, async () => {
        while (loading) {
          await post(bodyOf(kind, n));
          runs++;
        }
      });
      const beside = await readItems(duration);
      loading = false;
      await Promise.all(attackers);
      const failed = failures.splice(0);
      if (failed.length) console.log(`  ${failed.length} failed, e.g. ${failed[0]}`);
      const ratio = beside.p50 / alone.p50;
      console.log(`${name}: median ${ms(times[2])} ms, max ${ms(times[4])} ms; item(number) alone p50 ${ms(alone.p50)} p99 ${ms(alone.p99)}, beside p50 ${ms(beside.p50)} p99 ${ms(beside.p99)} (x${ratio.toFixed(2)})`);
      rows.push(`| ${name} | ${ms(times[2])} | ${ms(times[4])} | ${runs} | ${ms(alone.p50)} / ${ms(alone.p99)} | ${ms(beside.p50)} / ${ms(beside.p99)} | ${ratio.toFixed(2)} | ${(beside.p99 / alone.p99).toFixed(1)} | ${failed.length} / ${beside.failed} |`);
    }
    const table = [
      `| worst query of its kind within ${MAX_COST} points (${items.toLocaleString('en')} items) | alone, median ms | alone, max ms | runs by 2 connections in ${duration} s | item(number) alone, p50 / p99 ms | beside, p50 / p99 ms | p50 ratio | p99 ratio | failed (worst / reads) |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
    ].join('\n');
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    const file = join(root, 'bench', 'results', `cost-${items}.md`);
    const machine = machineLine(loadBefore);
    writeFileSync(file, `# Headwaters cost model: ${items.toLocaleString('en')} items\n\n${machine}; the server pinned to core 0. Hourly budget off (RATE_LIMIT_POINTS_PER_HOUR=0), per-request cap ${MAX_COST}.\n\n${table}\n`);
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
