import 'reflect-metadata';
import { resolve } from 'node:path';
import { loadConfig, type AppConfig } from '@headwaters/config';
import { EmbeddedDatabase, migrate } from '@headwaters/database';
import { createApp } from './bootstrap';
import { createLogger } from './logging/logger';

/**
 * Starts Headwaters: the database (embedded unless DATABASE_URL says otherwise), its migrations,
 * then what HEADWATERS_ROLE asks for: the API and the background work (`all`, the default), the
 * API alone (`api`) or the background work alone (`worker`, no HTTP). SIGINT/SIGTERM drain
 * requests, stop the jobs, close the pool and stop the embedded PostgreSQL.
 */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(78);
  }
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

  // A worker builds the same application (so every feature declares its jobs' handlers) but
  // never listens: no HTTP, only background work.
  const role = config.HEADWATERS_ROLE;
  const app = await createApp(config, databaseUrl, logger, { withWorker: role !== 'api' });
  if (role === 'worker') {
    logger.info({ role, startupMs: Date.now() - started }, 'Headwaters is running background work');
  } else {
    await app.listen({ port: config.PORT, host: config.HOST });
    logger.info({ role, url: `http://${config.HOST}:${config.PORT}/graphql`, startupMs: Date.now() - started }, 'Headwaters is serving GraphQL');
  }

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      logger.error('stop took too long; exiting anyway');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    try {
      await app.close();
    } catch (error) {
      logger.error({ err: error }, 'the application did not close cleanly');
    }
    await stopDatabase();
    logger.info('stopped');
    logger.flush?.();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

void main().catch((error: unknown) => {
  process.stderr.write(`Headwaters failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
