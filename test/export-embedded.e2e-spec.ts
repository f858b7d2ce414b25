import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@headwaters/database/testing';
import { createActor } from './support/actors';
import { buildCli, type BuiltCli } from './support/cli';
import { fileBug } from './support/items';
import { startTestApp } from './support/test-app';

jest.setTimeout(180_000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const rowsOf = async (file: string, table: string) =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.startsWith(`{"row":"${table}"`))
    .map((line) => (JSON.parse(line) as { values: unknown[] }).values);

/**
 * Without DATABASE_URL the tools use the embedded PostgreSQL in DATA_DIR, as the server does:
 * they start it (initialising a new DATA_DIR) and stop it again, or, while the server runs on it,
 * connect to the server's own.
 */
describe('export and import with the embedded PostgreSQL', () => {
  let cli: BuiltCli;
  let work: string;
  let source: TestDatabase;
  let server: ChildProcess | undefined;
  let env: Record<string, string | undefined>;
  const pidFile = () => join(work, 'data', 'pg', 'postmaster.pid');

  beforeAll(async () => {
    cli = buildCli();
    work = await mkdtemp(join(tmpdir(), 'headwaters-embedded-'));
    await chmod(work, 0o755); // PostgreSQL runs as its own user when the tests run as root
    source = await createTestDatabase();
    const app = await startTestApp({ database: source });
    try {
      const actor = await createActor(app, { username: 'embedded-reporter' });
      await fileBug(app, actor, { title: 'filed before the export' });
    } finally {
      await app.close();
    }
    expect(await cli.run('export', [join(work, 'from-url.jsonl.gz')], { env: { DATABASE_URL: source.url } })).toMatchObject({ code: 0 });
    env = { DATABASE_URL: undefined, DATA_DIR: join(work, 'data'), EMBEDDED_PG_PORT: String(await freePort()) };
  });
  afterAll(async () => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    await source?.drop();
    await cli?.remove();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('imports into a new DATA_DIR, starting and stopping its PostgreSQL', async () => {
    const imported = await cli.run('import', [join(work, 'from-url.jsonl.gz')], { env });
    expect(imported).toMatchObject({ code: 0, stdout: expect.stringContaining('imported') });
    expect(imported.stderr).toMatch(/import: \d+\/\d+ rows \(100%\)/);
    expect(existsSync(join(work, 'data', 'pg', 'PG_VERSION'))).toBe(true);
    expect(existsSync(pidFile())).toBe(false);
  });

  it('exports from the server\'s PostgreSQL while the server runs on it, and the server keeps serving', async () => {
    const port = await freePort();
    let output = '';
    server = spawn(process.execPath, [cli.serverEntry], {
      env: { PATH: process.env.PATH, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', TRACKER_ADMIN_USERNAME: 'admin', TRACKER_ADMIN_PASSWORD: 'admin-password-for-tests' } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    for (let i = 0; i < 600 && !output.includes('Headwaters is serving GraphQL') && server.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('Headwaters is serving GraphQL');

    const file = join(work, 'while-running.jsonl');
    expect(await cli.run('export', [file], { env })).toMatchObject({ code: 0 });
    expect((await rowsOf(file, 'item')).map((values) => values[3])).toEqual(['filed before the export']);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(ready.status).toBe(200);
    const answer = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ item(number: 1) { title } }' }) });
    expect(await answer.json()).toEqual({ data: { item: { title: 'filed before the export' } } });
    expect(await cli.run('export', [file], { env })).toMatchObject({ code: 73, stderr: expect.stringContaining('exists: choose another name, or add --force') });

    server.kill('SIGTERM');
    await new Promise((resolve) => server!.once('exit', resolve));
    expect(existsSync(pidFile())).toBe(false);
  });

  it('exports with the server stopped, starting PostgreSQL for the export only', async () => {
    const file = join(work, 'stopped.jsonl');
    const exported = await cli.run('export', [file], { env });
    expect(exported).toMatchObject({ code: 0 });
    expect(exported.stderr).toMatch(/export: \d+\/\d+ rows \(100%\)/);
    expect(existsSync(pidFile())).toBe(false);
    expect((await rowsOf(file, 'app_user')).map((values) => values[1])).toEqual(expect.arrayContaining(['admin', 'embedded-reporter']));
  });
});
