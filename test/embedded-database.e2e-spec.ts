import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { EmbeddedDatabase, EmbeddedDatabaseInUseError, embeddedSocketDir, embeddedUrl, openLocalDatabase, QueryScope, runInQueryScope, watchPool } from '@headwaters/database';
import { buildOnce, freePort } from './support/built-server';

const root = join(__dirname, '..');

async function answers(port: number): Promise<boolean> {
  const client = new Client({ connectionString: embeddedUrl(port) });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const postmasterOf = async (dataDir: string) => Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Two starts on one data folder: a second Headwaters (a second `npm start` in the same
 * checkout) must not take the first one's PostgreSQL down, while the leftover of a SIGKILLed
 * run is still cleared away.
 */
describe('the embedded PostgreSQL of a data folder', () => {
  let work: string;
  let dataDir: string;
  let port: number;
  let first: ChildProcess;

  beforeAll(async () => {
    buildOnce();
    work = await mkdtemp(join(tmpdir(), 'headwaters-embedded-'));
    await chmod(work, 0o755); // PostgreSQL runs as its own user when the tests run as root
    dataDir = join(work, 'pg');
    port = await freePort();
    // The first owner: a Node process that started the cluster and keeps running.
    const script = `require('./dist/libs/database/src/index.js').EmbeddedDatabase.start({ dataDir: ${JSON.stringify(dataDir)}, port: ${port} })
      .then(() => { console.log('started'); setInterval(() => undefined, 1000); }, (error) => { console.error(error); process.exit(1); });`;
    first = spawn(process.execPath, ['-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      first.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('started') && resolve());
      first.once('exit', (code) => reject(new Error(`the first start exited with ${code}`)));
    });
  }, 120_000);

  afterAll(async () => {
    if (first.exitCode === null && first.signalCode === null) first.kill('SIGKILL');
    const postmaster = await postmasterOf(dataDir).catch(() => 0);
    if (postmaster && alive(postmaster)) process.kill(postmaster, 'SIGINT');
    for (let i = 0; i < 100 && postmaster && alive(postmaster); i++) await new Promise((r) => setTimeout(r, 50));
    await rm(work, { recursive: true, force: true });
  });

  it('refuses a second start while the first owner runs, naming it, and leaves its database answering', async () => {
    const started = EmbeddedDatabase.start({ dataDir, port: await freePort() });
    await expect(started).rejects.toThrow(EmbeddedDatabaseInUseError);
    await expect(started).rejects.toThrow(`Another Headwaters process (pid ${first.pid}) is running on the embedded PostgreSQL in ${dataDir}`);
    expect(await answers(port)).toBe(true);
  });

  it('lets a second server exit with that message alone, the first one still answering', async () => {
    const second = spawnSync(process.execPath, ['dist/apps/api/src/main.js'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH, DATA_DIR: work, EMBEDDED_PG_PORT: String(await freePort()), PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'error' },
    });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`Headwaters failed to start: Another Headwaters process (pid ${first.pid}) is running on the embedded PostgreSQL in ${dataDir}.`);
    expect(second.stderr).toContain('give this one a DATA_DIR (and EMBEDDED_PG_PORT) of its own');
    expect(second.stderr).not.toMatch(/\n\s+at /);
    expect(await answers(port)).toBe(true);
  });

  it('stops the PostgreSQL a SIGKILLed owner left running, and starts its own', async () => {
    const leftover = await postmasterOf(dataDir);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(alive(leftover)).toBe(true); // adopted, no longer anyone's

    const otherPort = await freePort();
    const database = await EmbeddedDatabase.start({ dataDir, port: otherPort });
    try {
      expect(alive(leftover)).toBe(false);
      expect(await answers(otherPort)).toBe(true);
      expect(await postmasterOf(dataDir)).not.toBe(leftover);
    } finally {
      await database.stop();
    }
  }, 60_000);
});

/** The app reaches its embedded cluster through a Unix socket in the data folder, where it can. */
describe('the embedded PostgreSQL\'s connection', () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'headwaters-socket-'));
    await chmod(work, 0o755); // PostgreSQL runs as its own user when the tests run as root
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  /** The server's address as the connection sees it: null over a Unix socket. */
  async function serverAddress(url: string): Promise<string | null> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<{ address: string | null }>(`SELECT inet_server_addr()::text AS address`)).rows[0].address;
    } finally {
      await client.end();
    }
  }

  it('goes through the socket in the data folder, for every database of the cluster, and answers on TCP too', async () => {
    const dataDir = join(work, 'pg');
    const port = await freePort();
    expect(embeddedSocketDir(dataDir, port)).toBe(dataDir);
    const database = await EmbeddedDatabase.start({ dataDir, port });
    try {
      expect(database.url).toBe(`postgres://postgres:postgres@127.0.0.1:${port}/postgres?host=${encodeURIComponent(dataDir)}`);
      expect(await serverAddress(database.url)).toBeNull();
      expect(new URL(database.urlOf('template1')).searchParams.get('host')).toBe(dataDir);
      expect(await serverAddress(database.urlOf('template1'))).toBeNull();
      expect(await serverAddress(embeddedUrl(port))).toBe('127.0.0.1/32');
      // A statement of a request whose client went away is cancelled through the socket too.
      const pool = new Pool({ connectionString: database.url, max: 1 });
      watchPool(pool);
      const watcher = new Client({ connectionString: database.url });
      await watcher.connect();
      try {
        const scope = new QueryScope();
        const client = await pool.connect();
        const running = runInQueryScope(scope, () => client.query('SELECT pg_sleep(5)')).catch((error: Error) => error).finally(() => client.release());
        for (let waited = 0; ; waited += 20) {
          const { rows } = await watcher.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(5)' AND state = 'active'`);
          if (rows[0].n > 0 || waited > 3000) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        scope.abandon();
        expect(((await running) as Error).message).toMatch(/canceling statement due to user request/);
      } finally {
        await Promise.all([pool.end(), watcher.end()]);
      }
      // A command started beside the running server finds the socket in postmaster.pid.
      const local = await openLocalDatabase({ DATA_DIR: work, EMBEDDED_PG_PORT: await freePort() });
      expect(local.origin).toBe('running');
      expect(local.url).toBe(database.url);
    } finally {
      await database.stop();
    }
  }, 60_000);

  it('starts on TCP only when PostgreSQL cannot make its socket there', async () => {
    const dataDir = join(work, 'pg');
    const port = await freePort();
    // A folder where the socket would go: PostgreSQL can neither remove it nor bind there.
    await mkdir(join(dataDir, `.s.PGSQL.${port}`, 'in-the-way'), { recursive: true });
    const lines: string[] = [];
    const database = await EmbeddedDatabase.start({ dataDir, port, log: (line) => lines.push(line) });
    try {
      expect(database.url).toBe(embeddedUrl(port));
      expect(await serverAddress(database.url)).toBe('127.0.0.1/32');
      expect(lines.some((line) => line.includes(`did not start with a Unix socket in ${dataDir}`))).toBe(true);
    } finally {
      await database.stop();
      await rm(join(dataDir, `.s.PGSQL.${port}`), { recursive: true, force: true });
    }
  }, 60_000);

  it('listens on TCP only when the socket\'s path would be too long for a socket address', async () => {
    const dataDir = join(work, 'a-folder-whose-name-is-long-enough'.repeat(3), 'pg');
    const port = await freePort();
    expect(embeddedSocketDir(dataDir, port)).toBeUndefined();
    await mkdir(dataDir, { recursive: true });
    await chmod(join(dataDir, '..'), 0o755);
    const database = await EmbeddedDatabase.start({ dataDir, port });
    try {
      expect(database.url).toBe(embeddedUrl(port));
      expect(await serverAddress(database.url)).toBe('127.0.0.1/32');
    } finally {
      await database.stop();
    }
  }, 60_000);
});
