// npm run bench:export [-- --items 100000 --pg-port 54339]
// How fast `npm run export` and `npm run import` go on the benchmark's dataset (generated as
// `npm run bench` generates it, and shared with it): the export of the whole dataset to a file,
// then its import into a new, empty database on the same PostgreSQL, both through the built
// command-line tools as operators run them. Prints rows, bytes, seconds and rows per second.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { machineLine, openDataset } from './harness.mjs';

const root = resolve(import.meta.dirname, '..');
const { values: options } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    'pg-port': { type: 'string', default: '54339' },
    gzip: { type: 'boolean', default: false },
  },
});
const items = Number(options.items);

function runTool(tool, args, env) {
  return new Promise((resolveRun, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [join(root, 'dist-cli/apps/cli/src', `${tool}.js`), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`${tool} exited ${code}: ${stdout}`));
      else resolveRun({ seconds, stdout });
    });
  });
}

async function main() {
  const loadBefore = loadavg()[0];
  const database = await openDataset(items, options['pg-port']);
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet', '--out', 'dist-cli'], { cwd: root, stdio: 'inherit' });
  const work = await mkdtemp(join(tmpdir(), 'headwaters-bench-export-'));
  const target = `bench_import_${Date.now()}`;
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  try {
    const file = join(work, options.gzip ? 'snapshot.jsonl.gz' : 'snapshot.jsonl');
    const exported = await runTool('export', [file], { DATABASE_URL: database.url, LOG_LEVEL: 'warn' });
    const rows = Number(/exported (\d+) rows/.exec(exported.stdout)[1]);
    const bytes = (await stat(file)).size;
    await admin.query(`CREATE DATABASE "${target}"`);
    const url = database.urlOf(target);
    const imported = await runTool('import', [file], { DATABASE_URL: url, LOG_LEVEL: 'warn' });
    const lines = [
      `| step | rows | seconds | rows/s |`,
      `| --- | --- | --- | --- |`,
      `| export (${(bytes / 1e6).toFixed(1)} MB${options.gzip ? ' gzipped' : ''}) | ${rows} | ${exported.seconds.toFixed(1)} | ${Math.round(rows / exported.seconds)} |`,
      `| import (migrations, load, keys, ANALYZE) | ${rows} | ${imported.seconds.toFixed(1)} | ${Math.round(rows / imported.seconds)} |`,
      '',
      `${items} items; ${machineLine(loadBefore)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    await writeFile(join(root, 'bench', 'results', `export-${items}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify({ items, rows, bytes, exportSeconds: exported.seconds, importSeconds: imported.seconds, gzip: options.gzip }, null, 2));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${target}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await database.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
