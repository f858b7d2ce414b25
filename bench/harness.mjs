// What the benchmark scripts share: building the app, opening a dataset's PostgreSQL, taking out
// the bugs write scenarios filed, stopping the server they started, and the line that says what machine (and how busy) a result came from.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from './generate.mjs';

const root = resolve(import.meta.dirname, '..');

/**
 * Takes out the bugs `npm run bench`'s write scenarios filed (through `client`, a connected pg
 * client), so that a benchmark reads the dataset as generated. Returns how many there were.
 */
export async function forgetBenchFilings(client) {
  const { rowCount } = await client.query(
    `DELETE FROM item WHERE title LIKE 'Benchmark report %' AND reporter_id IN (SELECT id FROM app_user WHERE username LIKE 'bench-%')`,
  );
  return rowCount ?? 0;
}

/**
 * Builds dist/, starts the embedded PostgreSQL of `data/bench-pg-<items>`, migrates it and fills it
 * once: of this checkout, or of the checkout at `checkout` with its own build, migrations and
 * generator (`npm run bench:compare`).
 */
export async function openDataset(items, pgPort, checkout = root) {
  execFileSync(process.execPath, [join(checkout, 'scripts', 'build.mjs')], { cwd: checkout, stdio: 'inherit' });
  const require = createRequire(join(checkout, 'bench', 'harness.mjs'));
  const { EmbeddedDatabase, migrate } = require(join(checkout, 'dist/libs/database/src/index.js'));
  const database = await EmbeddedDatabase.start({ dataDir: join(checkout, 'data', `bench-pg-${items}`), port: Number(pgPort) });
  try {
    await migrate(database.url);
    const fill = checkout === root ? generate : (await import(join(checkout, 'bench', 'generate.mjs'))).generate;
    await fill(database.url, items);
  } catch (error) {
    await database.stop();
    throw error;
  }
  return database;
}

/**
 * The V8 flags `npm start` serves with (the node options of package.json's start script, of this
 * checkout or of the one at `checkout`), so that the benchmark's servers, the API and the floor
 * alike, run as a served instance does. Source maps are left out: they cost only when an error's
 * stack is read.
 */
export function servingFlags(checkout = root) {
  const start = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8')).scripts.start;
  const serve = start.split('&&').at(-1).trim().split(/\s+/);
  return serve.filter((word) => word.startsWith('--') && word !== '--enable-source-maps');
}

/** The command prefix that pins a process to `core` (taskset), or none where taskset is missing or no core is given. */
export function pinTo(core) {
  return existsSync('/usr/bin/taskset') && core !== '' && core !== undefined ? ['taskset', '-c', String(core)] : [];
}

/** A request any GraphQL endpoint (or the floor) answers once it is serving. */
export const TYPENAME_POST = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' };

/**
 * Waits until the server at `url` answers: with the status `expected`, or with any status below
 * 500 when none is given. Polls every 100 ms, for at most 30 s.
 */
export async function waitForServer(url, { init, expected } = {}) {
  for (let i = 0; i < 300; i++) {
    try {
      const { status } = await fetch(url, init);
      if (expected === undefined ? status < 500 : status === expected) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** Stops a server process the script started: SIGTERM, then SIGKILL if it has not exited within 5 s. */
export async function stopServer(child) {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** Cores, Node, date and the load average before and after: on a shared machine, every figure above the core count is stretched. */
export function machineLine(loadBefore) {
  return `${execFileSync('nproc').toString().trim()} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average ${loadBefore.toFixed(1)} before and ${loadavg()[0].toFixed(1)} after`;
}
