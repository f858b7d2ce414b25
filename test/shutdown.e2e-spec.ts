import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { buildOnce } from './support/built-server';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const root = join(__dirname, '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  sentAt: number;
  status: number;
  ok: boolean;
  error?: string;
}

/**
 * The built server as operators run it (`node dist/apps/api/src/main.js`, embedded PostgreSQL
 * and all), stopped with SIGTERM while requests are in flight.
 */
describe('SIGTERM', () => {
  let dataDir: string;
  let child: ChildProcess;
  let output = '';
  let port: number;
  let pgPort: number;

  beforeAll(async () => {
    buildOnce();
    dataDir = await mkdtemp(join(tmpdir(), 'headwaters-shutdown-'));
    await chmod(dataDir, 0o755); // PostgreSQL runs as its own user when the tests run as root
    port = await freePort();
    pgPort = await freePort();
    child = spawn(process.execPath, ['dist/apps/api/src/main.js'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HOST: '127.0.0.1',
        EMBEDDED_PG_PORT: String(pgPort),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        SHUTDOWN_TIMEOUT_MS: '10000',
        RATE_LIMIT_POINTS_PER_HOUR: '0',
        TRACKER_ADMIN_USERNAME: 'admin',
        TRACKER_ADMIN_PASSWORD: 'admin-password-for-tests',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk) => (output += chunk.toString()));
    for (let i = 0; i < 300 && !output.includes('Headwaters is serving GraphQL'); i++) {
      if (child.exitCode !== null) break;
      await sleep(100);
    }
    if (!output.includes('Headwaters is serving GraphQL')) throw new Error(`the server did not start:\n${output}`);
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  const gql = async (query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Answer> => {
    const sentAt = Date.now();
    try {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
      return { sentAt, status: response.status, ok: response.status === 200 && !body.errors && body.data !== null };
    } catch (error) {
      return { sentAt, status: 0, ok: false, error: String((error as Error).cause ?? error) };
    }
  };

  it('answers every request in flight, stops the work, the pool and PostgreSQL, and exits 0', async () => {
    const login = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { login(input: { username: "admin", password: "admin-password-for-tests" }) { token } }' }),
    });
    const token = ((await login.json()) as { data: { login: { token: string } } }).data.login.token;

    // Requests that are surely in flight when the signal comes: they wait on a lock this test holds.
    const locker = new Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres` });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE item IN ACCESS EXCLUSIVE MODE');
    const blocked = Array.from({ length: 8 }, (_, i) =>
      i % 2 ? gql('{ items(first: 5) { totalCount nodes { number } } }') : gql('mutation ($t: String!) { fileBug(input: { title: $t, description: "d" }) { bug { number } } }', { t: `Filed during shutdown ${i}` }, token),
    );
    // And a steady load of ordinary requests around the signal.
    let loading = true;
    const load: Promise<Answer[]> = (async () => {
      const answers: Answer[] = [];
      while (loading) answers.push(await gql('{ releases { slug } }'));
      return answers;
    })();
    await sleep(600);
    const signalAt = Date.now();
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
    child.kill('SIGTERM');
    await sleep(700);
    await locker.query('COMMIT');
    await locker.end().catch(() => undefined);

    const answers = await Promise.all(blocked);
    const { code, at } = await exited;
    loading = false;
    const loadAnswers = await load;

    expect(answers).toEqual(answers.map((a) => ({ ...a, status: 200, ok: true })));
    expect(code).toBe(0);
    expect(at - signalAt).toBeLessThan(10_000);
    // Ordinary requests sent before the signal were answered; later ones were refused cleanly.
    for (const a of loadAnswers.filter((x) => x.sentAt < signalAt - 50)) expect(a).toMatchObject({ status: 200, ok: true });
    for (const a of loadAnswers.filter((x) => x.sentAt >= signalAt)) expect([0, 200, 503]).toContain(a.status);
    expect(output).toMatch(/requests drained/);
    expect(output).toMatch(/"msg":"stopped"/);
    expect(output).not.toMatch(/shutting down|already released|did not close cleanly|took too long/);
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 60_000);
});
