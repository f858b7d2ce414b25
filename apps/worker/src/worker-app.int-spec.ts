import pino from 'pino';
import { Writable } from 'node:stream';
import { Pool } from 'pg';
import { loadConfig } from '@headwaters/config';
import { createTestDatabase, type TestDatabase } from '@headwaters/database/testing';
import { createApp } from '../../api/src/bootstrap';
import { ExpiryJob } from './jobs/expiry.job';
import { IntervalScheduler } from './scheduling/interval-scheduler';
import { JOB_SCHEDULER } from './scheduling/job-scheduler';
import { WorkerModule } from './worker.module';
import { ModulesContainer } from '@nestjs/core';

/** A pino logger whose lines are kept, to assert what was logged. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write: (chunk, _encoding, done) => (lines.push(JSON.parse(String(chunk))), done()) });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

describe('the worker', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('runs the needs-info expiry on its own (HEADWATERS_ROLE=worker), with no HTTP server', async () => {
    const [{ id: reporter }] = (await pool.query(`INSERT INTO app_user (username, email, password_hash) VALUES ('w-reporter', 'w@example.org', '!') RETURNING id`)).rows;
    const [{ number }] = (
      await pool.query(
        `INSERT INTO item (kind, title, description, status, incomplete_since, reporter_id, route_upstream_id, route_reason)
         SELECT 'BUG', 'Stale question', '', 'INCOMPLETE', now() - interval '90 days', $1, u.id, 'test' FROM upstream u WHERE u.slug = 'xenserver'
         RETURNING number`,
        [reporter],
      )
    ).rows;
    const { lines, logger } = capturingLogger();
    // What main.ts does for HEADWATERS_ROLE=worker: the application, never listening.
    const worker = await createApp(loadConfig({ HEADWATERS_ROLE: 'worker', EXPIRY_INTERVAL_SECONDS: '3600', TRACKER_ADMIN_USERNAME: 'admin', TRACKER_ADMIN_PASSWORD: 'admin-password-for-tests' }), db.url, logger);
    try {
      expect(worker.getHttpServer().listening).toBe(false);
      const scheduler = worker.get<IntervalScheduler>(JOB_SCHEDULER);
      await scheduler.runOnce(worker.get(ExpiryJob));
      const [row] = (await pool.query(`SELECT status FROM item WHERE number = $1`, [number])).rows;
      expect(row.status).toBe('EXPIRED');
      expect(lines).toContainEqual(expect.objectContaining({ job: 'needs-info-expiry', expired: 1 }));
    } finally {
      await worker.close();
    }
  });

  it('logs a failed run with its error and runs again at its next turn', async () => {
    const { lines, logger } = capturingLogger();
    const scheduler = new IntervalScheduler(logger);
    let runs = 0;
    const job = { name: 'flaky', everySeconds: 0, run: async () => { runs++; if (runs === 1) throw new Error('database is away'); } };
    await scheduler.runOnce(job);
    await scheduler.runOnce(job);
    expect(runs).toBe(2);
    expect(lines).toContainEqual(expect.objectContaining({ level: 50, job: 'flaky', msg: 'background job failed', err: expect.objectContaining({ message: 'database is away' }) }));
    await scheduler.stop();
  });

  it('is left out of an API-only process (HEADWATERS_ROLE=api), and in with the API by default (all)', async () => {
    const env = { LOG_LEVEL: 'silent', TRACKER_ADMIN_USERNAME: 'admin', TRACKER_ADMIN_PASSWORD: 'admin-password-for-tests' };
    const config = loadConfig(env);
    const hasWorker = (app: { get(token: unknown): unknown }) => [...(app.get(ModulesContainer) as ModulesContainer).values()].some((m) => m.metatype === WorkerModule);
    const apiOnly = await createApp(loadConfig({ ...env, HEADWATERS_ROLE: 'api' }), db.url, pino({ level: 'silent' }));
    try {
      expect(hasWorker(apiOnly)).toBe(false);
    } finally {
      await apiOnly.close();
    }
    const both = await createApp(config, db.url, pino({ level: 'silent' }));
    try {
      expect(hasWorker(both)).toBe(true);
      expect(both.get(ExpiryJob, { strict: false })).toBeInstanceOf(ExpiryJob);
    } finally {
      await both.close();
    }
  });
});
