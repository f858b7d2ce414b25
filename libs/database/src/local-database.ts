import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EmbeddedDatabase, embeddedUrl, type DatabaseLog } from './embedded-database';

/** The database a command-line tool works on, and how it got there. */
export interface LocalDatabase {
  url: string;
  /** `DATABASE_URL`, the embedded cluster a running server owns, or one started for this command. */
  origin: 'DATABASE_URL' | 'running' | 'started';
  /** Stops the embedded cluster if this command started it; leaves a running server's alone. */
  close(): Promise<void>;
}

/**
 * The database the server would use: `DATABASE_URL` when set; else the embedded cluster in
 * `DATA_DIR/pg`. A server running on that cluster keeps it (its `postmaster.pid` names the live
 * postmaster and its port): the command connects to it alongside. Otherwise the cluster is started
 * (initialised first when new) on `EMBEDDED_PG_PORT`, and stopped by `close`.
 */
export async function openLocalDatabase(config: { DATABASE_URL?: string; DATA_DIR: string; EMBEDDED_PG_PORT: number }, log?: DatabaseLog): Promise<LocalDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, origin: 'DATABASE_URL', close: async () => undefined };
  const dataDir = resolve(config.DATA_DIR, 'pg');
  const running = await runningCluster(dataDir);
  if (running !== undefined) return { url: embeddedUrl(running.port, running.socketDir), origin: 'running', close: async () => undefined };
  const embedded = await EmbeddedDatabase.start({ dataDir, port: config.EMBEDDED_PG_PORT, log });
  return { url: embedded.url, origin: 'started', close: () => embedded.stop() };
}

/**
 * The port of the live postmaster of this cluster, if one runs (line 4 of `postmaster.pid`), and
 * the folder of its Unix socket when it has one (line 5).
 */
async function runningCluster(dataDir: string): Promise<{ port: number; socketDir?: string } | undefined> {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  const socketDir = lines[4]?.trim();
  return { port, socketDir: socketDir && existsSync(resolve(socketDir, `.s.PGSQL.${port}`)) ? socketDir : undefined };
}
