import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const STAMP = join(root, 'dist', '.sources');

function sourcesDigest(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const { mtimeMs, size } = statSync(path);
        hash.update(`${path}\0${mtimeMs}\0${size}\n`);
      }
    }
  };
  for (const dir of ['apps', 'libs', 'scripts']) walk(join(root, dir));
  return hash.digest('hex');
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds dist/ (`scripts/build.mjs`) unless it was built from these very sources. Test files run
 * in parallel and the build starts by emptying dist/: one builds at a time, under a lock, and the
 * others find it done.
 */
export function buildOnce(): void {
  const lock = join(tmpdir(), `headwaters-build-${createHash('sha256').update(root).digest('hex').slice(0, 12)}.lock`);
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 120_000) throw new Error(`another build holds ${lock}`);
      sleepSync(100);
    }
  }
  try {
    const digest = sourcesDigest();
    if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === digest) return;
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
    writeFileSync(STAMP, digest);
  } finally {
    rmdirSync(lock);
  }
}

/** A built server process (`node dist/apps/api/src/main.js`) and what it printed. */
export interface ServerProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves once `text` has been printed (rejects if the process exits first or after `timeoutMs`). */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts the built server with exactly `env` (plus PATH). */
export function startServerProcess(env: Record<string, string>, args: string[] = []): ServerProcess {
  const child = spawn(process.execPath, [...args, 'dist/apps/api/src/main.js'], { cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    waitFor: async (text, timeoutMs = 60_000) => {
      const end = Date.now() + timeoutMs;
      const seen = () => (typeof text === 'string' ? output.includes(text) : text.test(output));
      while (!seen()) {
        if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before printing ${text}:\n${output}`);
        if (Date.now() > end) throw new Error(`the server did not print ${text} within ${timeoutMs} ms:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: async (graceMs = 10_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A port nothing listens on right now, for a server process that must be told its port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
