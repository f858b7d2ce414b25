// npm run bench [-- --items 100000 --duration 10 --warmup 5 --connections 10 --only read --runs 3]
// Builds the app, starts its own embedded PostgreSQL (data in data/bench-pg-<items>, kept and
// reused across runs), generates the dataset once per size, then measures each scenario against
// the GraphQL API and against the floor, each server pinned to core 0 and the load to core 1.
// Writes a markdown table (and EXPLAIN plans) to bench/results/. Everything it starts, it stops.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generate } from './generate.mjs';
import { scenarios } from './scenarios.mjs';
import { forgetBenchFilings, machineLine, servingFlags, stopServer, TYPENAME_POST, waitForServer } from './harness.mjs';
import { loadavg } from 'node:os';

const root = resolve(import.meta.dirname, '..');
const { values: options } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    only: { type: 'string', default: 'all' },
    runs: { type: 'string', default: '1' },
    'pg-port': { type: 'string', default: '54339' },
    'api-port': { type: 'string', default: '3990' },
    'floor-port': { type: 'string', default: '3991' },
    sequential: { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const items = Number(options.items);
const duration = Number(options.duration);
const warmup = Number(options.warmup);
const connections = Number(options.connections);
const runs = Number(options.runs);
const API_PORT = Number(options['api-port']);
const FLOOR_PORT = Number(options['floor-port']);
// --profile DIR: the API and the floor write V8 CPU profiles there (node --cpu-prof), one file each when they stop.
const profiled = options.profile ? ['--cpu-prof', '--cpu-prof-dir', resolve(options.profile)] : [];
// The V8 flags the API and the floor run with: those `npm start` serves with.
const SERVING_FLAGS = servingFlags();
const pin = (core) => (existsSync('/usr/bin/taskset') ? ['taskset', ['-c', String(core)]] : null);
const children = new Set();
// The hourly budget is on, as it is in service, and large enough for every run's requests (all
// from one address): each request is charged, and the charges go to the database once a second.
const BUDGET = 100_000_000;

function start(command, args, env, core) {
  const pinned = pin(core);
  const child = pinned ? spawn(pinned[0], [...pinned[1], command, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] }) : spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/**
 * Measures one scenario `runs` times and keeps the median run by throughput (its latencies with
 * it): on a shared machine, one run can land on a noisy moment.
 */
function measure(target, server, base, scenario, index, tokens, open) {
  process.stdout.write(`${target.padEnd(5)} ${scenario.name}... `);
  return median(target, Array.from({ length: runs }, () => load(target, server, base, index, tokens, open)));
}

/** The median run by throughput (its latencies with it), with every run's figure and the failures of all. */
function median(target, results) {
  results.sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const failures = (key) => results.reduce((sum, r) => sum + r[key], 0);
  // The server's CPU a request: the median of the runs' own figures.
  const cpus = results.map((r) => r.cpuMicrosPerRequest).filter((c) => c !== null).sort((a, b) => a - b);
  const cpu = cpus.length ? cpus[Math.floor((cpus.length - 1) / 2)] : null;
  const middle = { ...results[Math.floor((runs - 1) / 2)], non2xx: failures('non2xx'), errors: failures('errors'), runs: results.map((r) => Math.round(r.requestsPerSecond)), cpu, cpus: results.map((r) => r.cpuMicrosPerRequest) };
  const cpuText = cpu === null ? '' : `, ${Math.round(cpu)} µs CPU a request`;
  console.log(`${Math.round(middle.requestsPerSecond)} req/s, p99 ${middle.p99} ms${cpuText}${runs > 1 ? ` (runs: ${middle.runs.join(', ')} req/s)` : ''}`);
  return middle;
}

/**
 * Measures a read scenario on the API and the floor by turns (API, floor, API, floor, ...), both
 * servers up: on a shared machine the load of other work changes from minute to minute, and
 * taking turns puts both under the same. Reads leave the dataset as it was, so neither sees
 * the other's writes.
 */
function measureByTurns(servers, scenario, index, tokens, open) {
  const api = [];
  const floor = [];
  for (let run = 0; run < runs; run++) {
    api.push(load('api', servers.api, `http://127.0.0.1:${API_PORT}`, index, tokens, open));
    floor.push(load('floor', servers.floor, `http://127.0.0.1:${FLOOR_PORT}`, index, tokens, open));
  }
  process.stdout.write(`api   ${scenario.name}... `);
  const a = median('api', api);
  process.stdout.write(`floor ${scenario.name}... `);
  return { api: a, floor: median('floor', floor) };
}

/** One run of scenario `index` against `server` (its process, whose CPU the run reads), listening at `base`. */
function load(target, server, base, index, tokens, open) {
  const pinned = pin(1);
  const args = [join(root, 'bench', 'load.mjs')];
  // The run's settings go through the environment: tokens have no place on a command line.
  const env = { ...process.env, BENCH_LOAD: JSON.stringify({ target, base, index, items, tokens, open, duration, warmup, connections, serverPid: server.pid }) };
  const run = { cwd: root, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'], timeout: (warmup + duration + 60) * 1000 };
  const output = pinned ? execFileSync(pinned[0], [...pinned[1], process.execPath, ...args], run) : execFileSync(process.execPath, args, run);
  return JSON.parse(output.trim().split('\n').at(-1));
}

/**
 * Takes out what earlier runs' write scenarios filed, and vacuums, so every run reads the dataset
 * as generated: fresh rows that no vacuum has seen yet would otherwise make runs incomparable.
 */
async function forgetBenchWrites(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rowCount = await forgetBenchFilings(client);
    if (rowCount) console.log(`removed ${rowCount} items filed by earlier runs`);
    await client.query('VACUUM (ANALYZE) item');
  } finally {
    await client.end();
  }
}

/** Bench users with tokens made straight in the database, as the app stores them. */
async function benchTokens(url) {
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
    return tokens;
  } finally {
    await client.end();
  }
}

/** Ids of open originals, for the vote scenario (votes are for open items). */
async function openItems(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(`SELECT id FROM item WHERE NOT closed AND kind = 'BUG' ORDER BY hashint4(id) LIMIT 5000`)).rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of each read scenario's main statement, captured from the API's own SQL. */
async function explain(url) {
  const require = createRequire(import.meta.url);
  const { listItems } = require('../dist/libs/items/src/query/item-list.query.js');
  const { ItemVisibility } = require('../dist/libs/items/src/visibility/item-visibility.js');
  const { parseSearch } = require('../dist/libs/items/src/query/search-string.parser.js');
  const { loadSnapshot } = require('../dist/libs/catalogue/src/catalogue-reader.js');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const plans = [];
  const record = (label, sql, plan) =>
    plans.push(`### ${label}\n\n\`\`\`sql\n${sql.trim()}\n\`\`\`\n\n\`\`\`\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n\`\`\``);
  const capture = (label) => ({
    query: async (sql, params) => {
      const { rows } = await client.query(sql, params);
      if ((/FROM item i\s+WHERE/.test(sql) || /^WITH newest/.test(sql)) && /LIMIT/.test(sql) && !/count\(\*\)::int/.test(sql)) {
        record(label, sql, await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params));
      }
      return rows;
    },
  });
  // The API runs a relevance search read by blocks prepared, with its generic plan (PreparedReads):
  // so is its plan shown.
  const generic = (label) => ({
    query: async (sql, params) => {
      const { rows } = await client.query(sql, params);
      await client.query(`PREPARE bench_explain AS ${sql}`);
      await client.query('SET plan_cache_mode = force_generic_plan');
      try {
        const values = params.map((v) => client.escapeLiteral(Array.isArray(v) ? `{${v.join(',')}}` : String(v)));
        // The first run plans it; the one explained reuses that plan, as the API's runs do.
        await client.query(`EXECUTE bench_explain(${values.join(', ')})`);
        record(`${label} (prepared, generic plan)`, sql, await client.query(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_explain(${values.join(', ')})`));
      } finally {
        await client.query('RESET plan_cache_mode');
        await client.query('DEALLOCATE bench_explain');
      }
      return rows;
    },
  });
  const page = { limit: 25, direction: 'forward', after: null };
  try {
    const catalogue = await loadSnapshot({ query: async (sql, params) => (await client.query(sql, params)).rows });
    const [{ id }] = (await client.query(`SELECT id FROM item WHERE number = $1`, [Math.floor(items / 2)])).rows;
    const plan = await client.query(`EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM item i WHERE i.number = $1`, [Math.floor(items / 2)]);
    plans.push(`### item by number\n\n\`\`\`\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n\`\`\``);
    const comments = await client.query(`EXPLAIN (ANALYZE, BUFFERS) SELECT c.id FROM comment c WHERE c.item_id = $1 AND TRUE ORDER BY c.id ASC LIMIT 6`, [id]);
    plans.push(`### comments of an item\n\n\`\`\`\n${comments.rows.map((r) => r['QUERY PLAN']).join('\n')}\n\`\`\``);
    const visibility = ItemVisibility.PUBLIC;
    await listItems(capture('25 open items of a subtree by importance (xapi)'), { filter: { components: ['xapi'], closed: false }, order: { field: 'IMPORTANCE', direction: 'DESC' }, page, catalogue, visibility });
    await listItems(capture('25 open items by votes'), { filter: { closed: false }, order: { field: 'VOTES', direction: 'DESC' }, page, catalogue, visibility });
    const search = parseSearch('"live migration" is:open');
    const label = 'text search "live migration" is:open';
    await listItems(capture(label), { filter: search.filter, order: { field: 'RELEVANCE', direction: 'DESC' }, page, catalogue, visibility, prepared: generic(label) });
  } finally {
    await client.end();
  }
  return plans.join('\n\n');
}

/** A CPU figure for the table: whole microseconds, or a dash where /proc gave none. */
const micros = (value) => (value === null || value === undefined ? '-' : String(Math.round(value)));

async function main() {
  const loadBefore = loadavg()[0];
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  const require = createRequire(import.meta.url);
  const { EmbeddedDatabase, migrate } = require('../dist/libs/database/src/index.js');
  const database = await EmbeddedDatabase.start({ dataDir: join(root, 'data', `bench-pg-${items}`), port: Number(options['pg-port']) });
  let api;
  let floor;
  try {
    await migrate(database.url);
    await generate(database.url, items);
    await forgetBenchWrites(database.url);
    const tokens = await benchTokens(database.url);
    const open = await openItems(database.url);
    const all = scenarios(items, tokens, open);
    const chosen = all.map((s, i) => [s, i]).filter(([s]) => options.only === 'all' || (options.only === 'read' ? s.read : !s.read));
    const env = { DATABASE_URL: database.url, LOG_LEVEL: 'warn', EXPIRY_INTERVAL_SECONDS: '0', DB_POOL_SIZE: '10', TRACKER_ADMIN_USERNAME: 'bench-admin', TRACKER_ADMIN_PASSWORD: 'bench-admin-password', GRAPHIQL: 'false', RATE_LIMIT_POINTS_PER_HOUR: String(BUDGET) };
    const results = [];
    // Read scenarios: the API and the floor by turns, both up; write scenarios: the API's runs,
    // then the floor's on the dataset as the API found it (see forgetBenchWrites).
    const byTurns = chosen.filter(([s]) => s.read && !options.sequential);
    const alone = chosen.filter(([s]) => !(s.read && !options.sequential));
    api = start(process.execPath, [...SERVING_FLAGS, ...profiled, join(root, 'dist/apps/api/src/main.js')], { ...env, PORT: String(API_PORT), HOST: '127.0.0.1' }, 0);
    await waitForServer(`http://127.0.0.1:${API_PORT}/graphql`, { init: TYPENAME_POST });
    const startFloor = async () => {
      floor = start(process.execPath, [...SERVING_FLAGS, ...profiled, join(root, 'bench', 'floor.mjs')], { ...env, PORT: String(FLOOR_PORT) }, 0);
      await waitForServer(`http://127.0.0.1:${FLOOR_PORT}/votes`, { init: TYPENAME_POST });
    };
    if (byTurns.length) {
      await startFloor();
      for (const [scenario, index] of byTurns) results[index] = { scenario, ...measureByTurns({ api, floor }, scenario, index, tokens, open) };
      await stopServer(floor);
    }
    for (const [scenario, index] of alone) results[index] = { scenario, api: measure('api', api, `http://127.0.0.1:${API_PORT}`, scenario, index, tokens, open) };
    await stopServer(api);
    if (alone.length) {
      // The floor reads the dataset as the API did, without the bugs the API's write scenarios filed.
      await forgetBenchWrites(database.url);
      await startFloor();
      for (const [scenario, index] of alone) results[index].floor = measure('floor', floor, `http://127.0.0.1:${FLOOR_PORT}`, scenario, index, tokens, open);
      await stopServer(floor);
    }
    const plans = await explain(database.url);
    const rows = results.filter(Boolean).map(({ scenario, api: a, floor: f }) =>
      `| ${scenario.name} | ${Math.round(a.requestsPerSecond)} | ${a.p50} | ${a.p99} | ${Math.round(f.requestsPerSecond)} | ${f.p99} | ${Math.round((100 * a.requestsPerSecond) / f.requestsPerSecond)}% | ${micros(a.cpu)} | ${micros(f.cpu)} | ${a.cpu && f.cpu ? `${Math.round((100 * f.cpu) / a.cpu)}%` : '-'} | ${a.non2xx + a.errors + f.non2xx + f.errors} |`);
    const table = [
      `| scenario (${items.toLocaleString('en')} items, ${connections} connections, ${duration} s${runs > 1 ? `, median of ${runs} runs` : ''}) | GraphQL req/s | p50 ms | p99 ms | floor req/s | floor p99 ms | GraphQL / floor | GraphQL CPU µs a request | floor CPU µs a request | floor CPU / GraphQL CPU | failed |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
    ].join('\n');
    const spread = runs > 1
      ? `\n\nEach run's req/s, GraphQL / floor (and CPU µs a request):\n\n${results.filter(Boolean).map(({ scenario, api: a, floor: f }) => `- ${scenario.name}: ${a.runs.join(', ')} / ${f.runs.join(', ')} (${a.cpus.map(micros).join(', ')} / ${f.cpus.map(micros).join(', ')})`).join('\n')}`
      : '';
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    const file = join(root, 'bench', 'results', `${items}.md`);
    const machine = machineLine(loadBefore);
    writeFileSync(file, `# Headwaters benchmark: ${items.toLocaleString('en')} items\n\n${machine}; API and floor pinned to core 0 (node ${SERVING_FLAGS.join(' ') || 'with no flags'}, as \`npm start\` serves), load to core 1, PostgreSQL unpinned${options.sequential ? '' : '; read scenarios measured on the API and the floor by turns'}.\n\n${table}${spread}\n\n## Plans of the read scenarios\n\n${plans}\n`);
    console.log(`\n${table}\n\nwritten to ${file}`);
  } finally {
    await stopServer(api);
    await stopServer(floor);
    await database.stop();
  }
}

/** `--only forwarding`: the write path of forwarding (bench/forwarding.mjs), with this run's ports and dataset. */
function forwarding() {
  const args = [join(root, 'bench', 'forwarding.mjs'), '--items', options.items, '--connections', options.connections, '--warmup', options.warmup, '--pg-port', options['pg-port'], '--api-port', options['api-port']];
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
}

const cleanup = async () => {
  for (const child of children) child.kill('SIGTERM');
  process.exit(130);
};
process.once('SIGINT', cleanup);
process.once('SIGTERM', cleanup);
if (options.only === 'forwarding') forwarding();
else main().catch(async (error) => {
  console.error(error);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});

