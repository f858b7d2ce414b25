import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { loadConfig } from '@headwaters/config';
import { EmbeddedDatabase, migrate } from '@headwaters/database';
import { hashToken, newToken } from '@headwaters/identity';
import { createApp } from '../apps/api/src/bootstrap';
import { createLogger } from '../apps/api/src/logging/logger';

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Outcome {
  status: number;
  codes: string[];
  retryAfter: string | null;
  number?: number;
  at: number;
}

/**
 * The whole stack over a PostgreSQL of this test's own, which it kills (an immediate shutdown,
 * as a crash) and starts again while requests keep coming.
 */
describe('a database outage', () => {
  let root: string;
  let port: number;
  let database: EmbeddedDatabase;
  let app: NestFastifyApplication;
  let url: string;
  let token: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'headwaters-outage-'));
    await chmod(root, 0o755); // PostgreSQL runs as its own user when the tests run as root
    port = await freePort();
    database = await EmbeddedDatabase.start({ dataDir: join(root, 'pg'), port });
    await migrate(database.url);
    const config = loadConfig({}, { LOG_LEVEL: 'silent', EXPIRY_INTERVAL_SECONDS: 0, RATE_LIMIT_POINTS_PER_HOUR: 0, DATA_DIR: root, DB_STATEMENT_TIMEOUT_MS: 2000, TRACKER_ADMIN_USERNAME: 'admin', TRACKER_ADMIN_PASSWORD: 'admin-password-for-tests' });
    app = await createApp(config, database.url, createLogger('silent'));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
    const pool = new Pool({ connectionString: database.url, max: 1 });
    const [{ id }] = (await pool.query(`INSERT INTO app_user (username, email, password_hash) VALUES ('writer', 'writer@example.org', '!') RETURNING id`)).rows;
    token = newToken();
    await pool.query(`INSERT INTO access_token (user_id, kind, name, token_hash) VALUES ($1, 'SESSION', 'test', $2)`, [id, hashToken(token)]);
    await pool.end();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await database?.stop().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  });

  async function fileBug(i: number): Promise<Outcome> {
    const at = Date.now();
    try {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `mutation ($t: String!) { fileBug(input: { title: $t, description: "d" }) { bug { number } } }`, variables: { t: `Outage report ${i}` } }),
      });
      const body = (await response.json()) as { data?: { fileBug?: { bug: { number: number } } } | null; errors?: { extensions?: { code?: string } }[] };
      return { status: response.status, codes: (body.errors ?? []).map((e) => String(e.extensions?.code)), retryAfter: response.headers.get('retry-after'), number: body.data?.fileBug?.bug.number, at };
    } catch {
      return { status: 0, codes: ['NETWORK'], retryAfter: null, at };
    }
  }

  async function ready(): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${url}/health/ready`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After while it is down, recovers by itself, and loses no acknowledged write', async () => {
    const outcomes: Outcome[] = [];
    let running = true;
    let i = 0;
    const workers = Array.from({ length: 6 }, async () => {
      while (running) {
        outcomes.push(await fileBug(i++));
        await sleep(10);
      }
    });
    await sleep(700);
    const pid = Number(readFileSync(join(root, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGQUIT'); // immediate shutdown: no checkpoint, crash recovery at the next start
    const killedAt = Date.now();
    await sleep(1200);
    const down = await ready();
    database = await EmbeddedDatabase.start({ dataDir: join(root, 'pg'), port });
    const restartedAt = Date.now();
    await sleep(2500);
    running = false;
    await Promise.all(workers);
    const up = await ready();

    expect(down).toMatchObject({ status: 503, body: { status: 'unavailable', database: 'unreachable' } });
    expect(up).toMatchObject({ status: 200, body: { status: 'ok', database: 'ok' } });
    const refused = outcomes.filter((o) => o.number === undefined);
    expect(refused.length).toBeGreaterThan(0);
    for (const o of refused) {
      expect(o.status).toBe(503);
      expect(o.codes).toEqual(['SERVICE_UNAVAILABLE']);
      expect(o.retryAfter).toBe('5');
    }
    expect(outcomes.flatMap((o) => o.codes)).not.toContain('INTERNAL_SERVER_ERROR');
    expect(outcomes.filter((o) => o.number !== undefined && o.at < killedAt).length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.number !== undefined && o.at > restartedAt).length).toBeGreaterThan(0);
    const acknowledged = outcomes.filter((o) => o.number !== undefined).map((o) => o.number!);
    const pool = new Pool({ connectionString: database.url, max: 1 });
    try {
      const { rows } = await pool.query<{ number: number }>(`SELECT number FROM item WHERE number = ANY($1)`, [acknowledged]);
      expect(rows.map((r) => r.number).sort((a, b) => a - b)).toEqual([...acknowledged].sort((a, b) => a - b));
    } finally {
      await pool.end();
    }
  }, 60_000);

  it('reports a database that takes no writes as not ready, and refuses writes with 503', async () => {
    const pool = new Pool({ connectionString: database.url, max: 1 });
    try {
      await pool.query(`ALTER DATABASE postgres SET default_transaction_read_only = on`);
      // Sessions read their settings when they start: end the app's.
      await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'headwaters%' AND pid <> pg_backend_pid()`);
      let readOnly = await ready();
      for (let attempt = 0; attempt < 5 && readOnly.body.database !== 'read-only'; attempt++) readOnly = await ready();
      expect(readOnly).toMatchObject({ status: 503, body: { status: 'unavailable', database: 'read-only' } });
      const write = await fileBug(9999);
      expect(write).toMatchObject({ status: 503, codes: ['SERVICE_UNAVAILABLE'] });
    } finally {
      await pool.query(`ALTER DATABASE postgres RESET default_transaction_read_only`);
      await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'headwaters%' AND pid <> pg_backend_pid()`);
      await pool.end();
    }
    let again = await ready();
    for (let attempt = 0; attempt < 5 && again.status !== 200; attempt++) again = await ready();
    expect(again.status).toBe(200);
  }, 30_000);
});
