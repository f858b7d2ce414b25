import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import type { Writable } from 'node:stream';
import { loadConfig, type AppConfig } from '@headwaters/config';
import { createTestDatabase, type TestDatabase } from '@headwaters/database/testing';
import { createApp } from '../../apps/api/src/bootstrap';
import { createLogger } from '../../apps/api/src/logging/logger';

export interface GraphqlResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] };
}

/** The real server on a real port over its own fresh database: what end-to-end tests talk to. */
export interface TestApp {
  url: string;
  graphqlUrl: string;
  app: NestFastifyApplication;
  db: TestDatabase;
  /** Runs SQL on the test database, for assertions on what was (not) written. */
  sql<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** How many of the app's backends wait on a lock, as PostgreSQL reports them. */
  backendsWaitingOnLocks(): Promise<number>;
  /** POSTs one GraphQL operation; `token` goes in the Authorization header. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, options?: { token?: string; headers?: Record<string, string> }): Promise<GraphqlResponse<T>>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  config?: Partial<AppConfig>;
  /** Where the server's log lines go (silent by default). */
  logStream?: Writable;
  /** Runs the background work (job handlers, schedules, the reply listener) in the same process, as the default HEADWATERS_ROLE=all does; false: the API alone. */
  withWorker?: boolean;
  /** Another instance's database, shared (and left for that instance to drop). */
  database?: TestDatabase;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.database ?? (await createTestDatabase());
  // TEST_LOG=debug (or another level) shows the server's log lines while debugging a test.
  const level = options.logStream ? 'info' : ((process.env.TEST_LOG as AppConfig['LOG_LEVEL'] | undefined) ?? 'silent');
  // Every test database gets a known admin, so no start prints a generated password. The hourly
  // budget is far out of reach, but for tests about it: every test's requests come from 127.0.0.1.
  const config = loadConfig({}, { LOG_LEVEL: level, EXPIRY_INTERVAL_SECONDS: 0, RATE_LIMIT_POINTS_PER_HOUR: 100_000_000, TRACKER_ADMIN_USERNAME: 'admin', TRACKER_ADMIN_PASSWORD: 'admin-password-for-tests', ...options.config });
  const logger = createLogger(config.LOG_LEVEL, options.logStream ?? (process.env.TEST_LOG ? process.stderr : undefined));
  const app = await createApp(config, db.url, logger, { withWorker: options.withWorker ?? false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const pool = new Pool({ connectionString: db.url, max: 2 });
  // An idle connection the server ends (a dropped database, a restart in a test) is no failure of the test.
  pool.on('error', () => undefined);
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    app,
    db,
    sql: async (text, params) => (await pool.query(text, params)).rows,
    backendsWaitingOnLocks: async () =>
      (
        await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'headwaters%' AND wait_event_type = 'Lock'`,
        )
      ).rows[0].n,
    gql: async (query, variables, opts = {}) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      const response = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      return { status: response.status, headers: response.headers, body: (await response.json()) as never };
    },
    close: async () => {
      await app.close();
      await pool.end();
      if (!options.database) await db.drop();
    },
  };
}

/** The `extensions.code` of every error in a response, for compact assertions. */
export function errorCodes(response: GraphqlResponse<unknown>): unknown[] {
  return (response.body.errors ?? []).map((e) => e.extensions?.code);
}
