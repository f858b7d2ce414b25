/** Why the database could not do what was asked, when the fault is its state rather than the request. */
export type UnavailableReason = 'DATABASE_UNREACHABLE' | 'DATABASE_READ_ONLY' | 'DISK_FULL' | 'STATEMENT_TIMEOUT' | 'REQUEST_ABANDONED';

const CONNECTION_MESSAGES =
  /Connection terminated|connection error|timeout exceeded when trying to connect|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)|terminating connection|server closed the connection|Driver not Connected|Cannot use a pool after calling end|Client was closed and is not queryable|Connection is not established/i;

/** The file of a PostgreSQL Unix socket, as a failed connect names it. */
const SOCKET_PATH = /\.s\.PGSQL\.\d+\b/;

/**
 * Whether an error is the database being away or unable (down, restarting, out of disk, read-only,
 * too slow), with the reason; null for anything else. Looks through TypeORM's wrapper
 * (`driverError`) and pg's SQLSTATE codes.
 */
export function databaseUnavailability(error: unknown): UnavailableReason | null {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const { code, message, driverError, cause } = e as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (e instanceof RequestAbandonedError) return 'REQUEST_ABANDONED';
    if (typeof code === 'string') {
      if (code === '53100') return 'DISK_FULL';
      if (code === '25006') return 'DATABASE_READ_ONLY';
      if (code === '57014') return /statement timeout/i.test(String(message)) ? 'STATEMENT_TIMEOUT' : 'REQUEST_ABANDONED';
      // connection_exception, insufficient_resources, operator intervention (shutdown, crash, cannot connect now), system errors
      if (/^(08|53|58)/.test(code) || ['57P01', '57P02', '57P03', '57P04', '57P05'].includes(code)) return 'DATABASE_UNREACHABLE';
      if (/^E[A-Z]+$/.test(code) && CONNECTION_MESSAGES.test(code)) return 'DATABASE_UNREACHABLE';
      // A connection to a Unix socket whose server is down: the socket file has gone with it.
      if (code === 'ENOENT' && SOCKET_PATH.test(String(message))) return 'DATABASE_UNREACHABLE';
    }
    if (typeof message === 'string' && CONNECTION_MESSAGES.test(message) && !(typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|57P)/.test(code))) {
      return 'DATABASE_UNREACHABLE';
    }
    e = driverError ?? cause;
  }
  return null;
}

/** A statement refused because the client of the request that asked for it has gone. */
export class RequestAbandonedError extends Error {
  constructor() {
    super('The client went away: the request was stopped');
    this.name = 'RequestAbandonedError';
  }
}
