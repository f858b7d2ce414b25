// npm run bench:pages [-- --items 100000 --duration 10 --warmup 3 --only assist,roadmap]
// The web pages under load: the same dataset and server as `npm run bench`, each page requested
// over loopback by one connection (its latency is the page's server time plus a loopback round
// trip) and then by 10 (throughput). Writes bench/results/pages-<items>.md. Stops all it starts.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { openDataset, stopServer, machineLine, waitForServer } from './harness.mjs';

const root = resolve(import.meta.dirname, '..');
const { values: options } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    'pg-port': { type: 'string', default: '54349' },
    port: { type: 'string', default: '3992' },
    // Comma-separated parts of page names: measure only those pages (in the usual order).
    only: { type: 'string', default: '' },
  },
});
const items = Number(options.items);
const duration = Number(options.duration);
const warmup = Number(options.warmup);
const PORT = Number(options.port);
const base = `http://127.0.0.1:${PORT}`;

/** Two bench people with session tokens: a reader, and a maintainer of the XAPI project. */
async function people(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const made = {};
    for (const [name, upstream] of [['bench-pages-reader', null], ['bench-pages-maintainer', 'xapi-project']]) {
      const [{ id }] = (await client.query(`INSERT INTO app_user (username, email, password_hash) VALUES ($1, $2, '!') ON CONFLICT (lower(username)) DO UPDATE SET email = EXCLUDED.email RETURNING id`, [name, `${name}@example.org`])).rows;
      if (upstream) {
        await client.query(`DELETE FROM role_grant WHERE user_id = $1`, [id]);
        await client.query(`INSERT INTO role_grant (user_id, role, upstream_id) VALUES ($1, 'MAINTAINER', (SELECT id FROM upstream WHERE slug = $2))`, [id, upstream]);
      }
      const token = `hwt_${randomBytes(32).toString('base64url')}`;
      await client.query(`INSERT INTO access_token (user_id, kind, name, token_hash) VALUES ($1, 'SESSION', 'bench', $2)`, [id, createHash('sha256').update(token).digest()]);
      made[name] = token;
    }
    return made;
  } finally {
    await client.end();
  }
}

const random = (n) => 1 + Math.floor(Math.random() * n);
const TITLES = ['xenopsd crashes during live migration', 'memory leak in squeezed', 'storage timeout on NFS SR', 'XenCenter freezes on pool reboot', 'network bond loses VLAN'];

function pages(tokens) {
  const reader = `hw_session=${tokens['bench-pages-reader']}`;
  const maintainer = `hw_session=${tokens['bench-pages-maintainer']}`;
  let turn = 0;
  return [
    { name: '/ (home), anonymous', path: () => '/' },
    { name: '/items?q=is:open', path: () => '/items?q=is%3Aopen' },
    { name: '/items?q="live migration" is:open', path: () => `/items?q=${encodeURIComponent('"live migration" is:open')}` },
    { name: '/items?q=component:xapi sort:votes-desc', path: () => `/items?q=${encodeURIComponent('is:open component:xapi sort:votes-desc')}` },
    { name: '/items/{n}, anonymous', path: () => `/items/${random(items)}` },
    { name: '/items/{n}, its maintainer', path: () => `/items/${random(items)}`, cookie: maintainer },
    { name: '/new, signed in', path: () => '/new', cookie: reader },
    { name: '/new/assist (while typing)', path: () => `/new/assist?kind=BUG&componentSlug=xapi%2Fxenopsd&title=${encodeURIComponent(TITLES[turn++ % TITLES.length])}`, cookie: reader },
    { name: '/inbox, maintainer of XAPI', path: () => '/inbox', cookie: maintainer },
    { name: '/roadmap', path: () => '/roadmap' },
    { name: '/upstreams/xapi-project', path: () => '/upstreams/xapi-project' },
    { name: '/components/xapi', path: () => '/components/xapi' },
    { name: '/settings', path: () => '/settings', cookie: reader },
    { name: '/notifications', path: () => '/notifications', cookie: maintainer },
    { name: '/login', path: () => '/login' },
    { name: '/register', path: () => '/register' },
  ];
}

/** Fetches a page three times, failing on anything but a clean 200; returns the bytes of script it loads. */
async function check(page) {
  let text = '';
  for (let i = 0; i < 3; i++) {
    const response = await fetch(`${base}${page.path()}`, { headers: page.cookie ? { cookie: page.cookie } : {}, redirect: 'manual' });
    text = await response.text();
    if (response.status !== 200 || /role="alert"/.test(text)) throw new Error(`${page.name}: ${response.status} ${text.slice(0, 300)}`);
  }
  let bytes = 0;
  for (const [, src] of text.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) bytes += (await (await fetch(new URL(src, base))).arrayBuffer()).byteLength;
  if (/<script(?![^>]*\ssrc=)[^>]*>/.test(text)) throw new Error(`${page.name}: an inline script`);
  return bytes;
}

async function run(page, connections, seconds) {
  let bad = 0;
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, method: 'GET', path: page.path(), headers: page.cookie ? { cookie: page.cookie } : {} }) }],
    onResponse: (status) => (status === 200 ? undefined : bad++),
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, failed: result.non2xx + result.errors + bad };
}

async function main() {
  const database = await openDataset(items, options['pg-port']);
  let api;
  try {
    const tokens = await people(database.url);
    const env = { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn', EXPIRY_INTERVAL_SECONDS: '0', RATE_LIMIT_POINTS_PER_HOUR: '0', DB_POOL_SIZE: '10', TRACKER_ADMIN_USERNAME: 'bench-admin', TRACKER_ADMIN_PASSWORD: 'bench-admin-password', PORT: String(PORT), HOST: '127.0.0.1' };
    const command = [process.execPath, join(root, 'dist/apps/api/src/main.js')];
    api = existsSync('/usr/bin/taskset') ? spawn('taskset', ['-c', '0', ...command], { env, stdio: ['ignore', 'inherit', 'inherit'] }) : spawn(command[0], command.slice(1), { env, stdio: ['ignore', 'inherit', 'inherit'] });
    await waitForServer(`${base}/login`, { expected: 200 });
    const rows = [];
    const only = options.only.split(',').filter(Boolean);
    const loadBefore = loadavg()[0];
    for (const page of pages(tokens).filter((p) => !only.length || only.some((part) => p.name.includes(part)))) {
      const script = await check(page);
      if (warmup > 0) await run(page, 4, warmup);
      process.stdout.write(`${page.name}... `);
      const one = await run(page, 1, duration);
      const ten = await run(page, 10, Math.max(3, Math.round(duration / 2)));
      console.log(`p50 ${one.p50} ms, p99 ${one.p99} ms; ${Math.round(ten.rps)} req/s at 10`);
      rows.push(`| ${page.name} | ${one.p50} | ${one.p99} | ${one.max} | ${Math.round(one.rps)} | ${Math.round(ten.rps)} | ${one.failed + ten.failed} | ${(script / 1024).toFixed(1)} |`);
    }
    const table = [
      `| page (${items.toLocaleString('en')} items, ${duration} s each) | p50 ms | p99 ms | max ms | req/s, 1 connection | req/s, 10 connections | failed | script KB |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
    ].join('\n');
    if (only.length) {
      console.log(`\n${table}\n\n(some pages only: no file written)`);
      return;
    }
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    const file = join(root, 'bench', 'results', `pages-${items}.md`);
    // Shared machines: the load average says how much else ran meanwhile (above the core count, every figure is stretched).
    const machine = machineLine(loadBefore);
    writeFileSync(file, `# Headwaters pages: ${items.toLocaleString('en')} items\n\n${machine}; the server pinned to core 0, the load on the others. Latencies at one connection are a page's server time plus one loopback round trip.\n\n${table}\n`);
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
