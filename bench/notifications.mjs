// npm run bench:notifications [-- --followers 10000 --triages 200 --pg-port 54359 --api-port 3993]
// A triage on an item followed by N users against the same triage on an item nobody follows,
// interleaved in one run (so both meet the same background work), one request at a time: the
// p99 of each, and how long until every follower of one triage has its notification.
// Builds the app, starts its own embedded PostgreSQL (fresh, in data/bench-notify-pg), stops
// everything it starts.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { stopServer, waitForServer } from './harness.mjs';

const root = resolve(import.meta.dirname, '..');
const { values: options } = parseArgs({
  options: {
    followers: { type: 'string', default: '10000' },
    triages: { type: 'string', default: '200' },
    'pg-port': { type: 'string', default: '54359' },
    'api-port': { type: 'string', default: '3993' },
  },
});
const FOLLOWERS = Number(options.followers);
const TRIAGES = Number(options.triages);
const API = `http://127.0.0.1:${options['api-port']}`;
let api;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function gql(token, query, variables) {
  const response = await fetch(`${API}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function main() {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  const require = createRequire(import.meta.url);
  const { EmbeddedDatabase, migrate } = require('../dist/libs/database/src/index.js');
  const dataDir = join(root, 'data', 'bench-notify-pg');
  rmSync(dataDir, { recursive: true, force: true });
  const database = await EmbeddedDatabase.start({ dataDir, port: Number(options['pg-port']) });
  const client = new pg.Client({ connectionString: database.url });
  try {
    await migrate(database.url);
    await client.connect();
    const token = `hwt_${randomBytes(32).toString('base64url')}`;
    const [{ id: adminId }] = (await client.query(`INSERT INTO app_user (username, email, password_hash) VALUES ('bench-admin', 'bench-admin@example.org', '!') RETURNING id`)).rows;
    await client.query(`INSERT INTO role_grant (user_id, role) VALUES ($1, 'ADMIN')`, [adminId]);
    await client.query(`INSERT INTO access_token (user_id, kind, name, token_hash) VALUES ($1, 'PERSONAL', 'bench', $2)`, [adminId, createHash('sha256').update(token).digest()]);
    const [{ id: reporterId }] = (await client.query(`INSERT INTO app_user (username, email, password_hash) VALUES ('bench-reporter', 'r@example.org', '!') RETURNING id`)).rows;
    await client.query(`INSERT INTO app_user (username, email, password_hash) SELECT 'follower-' || n, 'follower-' || n || '@example.org', '!' FROM generate_series(1, $1) n`, [FOLLOWERS]);

    api = spawn(process.execPath, [join(root, 'dist/apps/api/src/main.js')], {
      env: { ...process.env, DATABASE_URL: database.url, PORT: options['api-port'], HOST: '127.0.0.1', LOG_LEVEL: 'warn', GRAPHIQL: 'false', EXPIRY_INTERVAL_SECONDS: '0', JOBS_POLL_SECONDS: '0.5' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await waitForServer(`${API}/health/ready`, { expected: 200 });
    const file = (title) => gql(token, `mutation ($input: FileBugInput!) { fileBug(input: $input) { bug { id number } } }`, { input: { title, description: 'bench', componentSlug: 'xen' } });
    const followed = (await file('Followed by everyone')).fileBug.bug;
    const quiet = (await file('Followed by nobody')).fileBug.bug;
    await client.query(`UPDATE item SET reporter_id = $1 WHERE number = ANY($2)`, [reporterId, [followed.number, quiet.number]]);
    await client.query(
      `INSERT INTO subscription (user_id, target_kind, target_id, state) SELECT u.id, 'ITEM', i.id, 'SUBSCRIBED' FROM app_user u, item i WHERE u.username LIKE 'follower-%' AND i.number = $1`,
      [followed.number],
    );
    await client.query('VACUUM ANALYZE');

    const importances = ['HIGH', 'LOW'];
    const triage = async (item, i) => {
      const started = performance.now();
      await gql(token, `mutation ($input: TriageInput!) { triage(input: $input) { item { importance } } }`, { input: { itemId: item.id, importance: importances[i % 2] } });
      return performance.now() - started;
    };
    // Warm-up: plans, pools, the catalogue cache.
    for (let i = 0; i < 20; i++) await triage(quiet, i);
    // One triage of the followed item alone: how long until all its followers are told.
    const [{ max: before }] = (await client.query(`SELECT coalesce(max(id), 0)::int AS max FROM timeline_event`)).rows;
    const sent = Date.now();
    const single = await triage(followed, 0);
    const [{ id: eventId }] = (await client.query(`SELECT id FROM timeline_event WHERE id > $1 AND type = 'IMPORTANCE_CHANGED' ORDER BY id LIMIT 1`, [before])).rows;
    let told = 0;
    while (told < FOLLOWERS && Date.now() - sent < 120_000) {
      told = (await client.query(`SELECT count(*)::int AS n FROM notification WHERE event_id = $1`, [eventId])).rows[0].n;
      if (told < FOLLOWERS) await new Promise((r) => setTimeout(r, 50));
    }
    const allToldMs = Date.now() - sent;

    const times = { followed: [], quiet: [] };
    for (let i = 0; i < TRIAGES; i++) {
      times.quiet.push(await triage(quiet, i + 1));
      times.followed.push(await triage(followed, i + 1));
    }
    for (const list of Object.values(times)) list.sort((a, b) => a - b);
    const row = (name, list) => `| ${name} | ${list.length} | ${percentile(list, 50).toFixed(1)} | ${percentile(list, 99).toFixed(1)} | ${list.at(-1).toFixed(1)} |`;
    const p99Ratio = percentile(times.followed, 99) / percentile(times.quiet, 99);
    const table = [
      `| triage (one at a time, interleaved) | requests | p50 ms | p99 ms | max ms |`,
      '| --- | ---: | ---: | ---: | ---: |',
      row(`item followed by ${FOLLOWERS.toLocaleString('en')} users`, times.followed),
      row('item nobody follows', times.quiet),
    ].join('\n');
    const summary = [
      `p99 followed / p99 nobody: ${(100 * p99Ratio).toFixed(0)}% (the goal: at most 120%)`,
      `one triage alone took ${single.toFixed(1)} ms; all ${told.toLocaleString('en')} of its ${FOLLOWERS.toLocaleString('en')} notifications were written ${(allToldMs / 1000).toFixed(1)} s after it was sent (the goal: within 30 s)`,
    ].join('\n\n');
    const machine = `${execFileSync('nproc').toString().trim()} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    const out = join(root, 'bench', 'results', `notifications-${FOLLOWERS}.md`);
    writeFileSync(out, `# Notifications: a triage on an item followed by ${FOLLOWERS.toLocaleString('en')} users\n\n${machine}; API, its job workers and PostgreSQL on one machine, unpinned.\n\n${table}\n\n${summary}\n`);
    console.log(`\n${table}\n\n${summary}\n\nwritten to ${out}`);
  } finally {
    await client.end().catch(() => undefined);
    await stopServer(api);
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  if (api) api.kill('SIGKILL');
  process.exit(1);
});
