import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
};
const toNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : value;
const emptyToUndefined = ({ value }: { value: unknown }): unknown => (value === '' ? undefined : value);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** What a process runs: the API, the background work (apps/worker), or both in one process. */
export const PROCESS_ROLES = ['api', 'worker', 'all'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The whole configuration of a Headwaters process, read from environment variables of the same
 * names. Every value is validated at start-up; a bad one stops the process with a message naming it.
 */
export class AppConfig {
  /** HTTP port of the API. */
  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  /** Address the API listens on; `localhost` serves both 127.0.0.1 and ::1. */
  @IsString() @MinLength(1)
  HOST = 'localhost';

  /** An external PostgreSQL; when unset an embedded PostgreSQL runs with its data in DATA_DIR/pg. */
  @Transform(emptyToUndefined) @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must start with postgres:// or postgresql://' })
  DATABASE_URL?: string;

  /** Where local state lives (the embedded PostgreSQL's cluster, under `pg/`). */
  @IsString() @MinLength(1)
  DATA_DIR = './data';

  /** Port of the embedded PostgreSQL (ignored with DATABASE_URL). */
  @Transform(toInt) @IsInt() @Min(1) @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  /** Connections in the database pool. */
  @Transform(toInt) @IsInt() @Min(1) @Max(200)
  DB_POOL_SIZE = 10;

  /** Connections of the second pool, for reads run with prepared generic plans (relevance searches). */
  @Transform(toInt) @IsInt() @Min(1) @Max(200)
  DB_PREPARED_POOL_SIZE = 4;

  @IsIn(LOG_LEVELS as unknown as string[])
  LOG_LEVEL: LogLevel = 'info';

  /** Makes sure this admin exists at start-up, with this password. */
  @Transform(emptyToUndefined) @IsOptional() @Matches(/^[A-Za-z0-9_-]{2,39}$/, { message: 'TRACKER_ADMIN_USERNAME must be 2 to 39 letters, digits, "_" or "-"' })
  TRACKER_ADMIN_USERNAME?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString() @MinLength(10) @MaxLength(200)
  TRACKER_ADMIN_PASSWORD?: string;

  /**
   * Behind a reverse proxy: take the client's address from X-Forwarded-For (login throttling
   * counts per address, and every client would otherwise share the proxy's).
   */
  @Transform(toBool) @IsBoolean()
  TRUST_PROXY = false;

  /** Serve GraphiQL to browsers at GET /graphql. */
  @Transform(toBool) @IsBoolean()
  GRAPHIQL = true;

  /** Largest accepted request body, in bytes. */
  @Transform(toInt) @IsInt() @Min(1024) @Max(50 * 1024 * 1024)
  BODY_LIMIT_BYTES = 1024 * 1024;

  /** Largest attachment, in bytes (bigger uploads are answered 413). */
  @Transform(toInt) @IsInt() @Min(1) @Max(2 * 1024 * 1024 * 1024 - 1)
  ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024;

  /**
   * Origins whose pages may call the API from a browser: `*` (any, the default) or a comma-separated
   * list such as `https://a.example,https://b.example`. Credentials (cookies) are never allowed
   * cross-origin: other sites authenticate with a bearer token.
   */
  @Matches(/^\s*(\*|https?:\/\/[^\s,/]+(\s*,\s*https?:\/\/[^\s,/]+)*)\s*$/, { message: 'CORS_ORIGINS must be * or a comma-separated list of origins such as https://app.example' })
  CORS_ORIGINS = '*';

  /** Compress responses bigger than this many bytes (gzip or br, as the client accepts). */
  @Transform(toInt) @IsInt() @Min(0) @Max(100 * 1024 * 1024)
  COMPRESS_MIN_BYTES = 1024;

  /** Deepest accepted GraphQL query. */
  @Transform(toInt) @IsInt() @Min(2) @Max(100)
  QUERY_MAX_DEPTH = 15;

  /** Largest cost one GraphQL request may have (see the README's cost model). */
  @Transform(toInt) @IsInt() @Min(10) @Max(1_000_000)
  QUERY_MAX_COST = 1000;

  /** Most aliased fields one GraphQL document may hold. */
  @Transform(toInt) @IsInt() @Min(1) @Max(100_000)
  QUERY_MAX_ALIASES = 100;

  /** Most operations one GraphQL document may hold (one of them runs). */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  QUERY_MAX_OPERATIONS = 10;

  /**
   * A query (or batch) costing at least this many points is expensive: it runs only when the
   * expensive-request gate lets it (QUERY_EXPENSIVE_CONCURRENCY, QUERY_EXPENSIVE_SHARE) and with
   * at most QUERY_EXPENSIVE_CONNECTIONS database connections at a time.
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(1_000_000)
  QUERY_EXPENSIVE_COST = 100;

  /** Expensive queries one process runs at once; the others wait their turn. */
  @Transform(toInt) @IsInt() @Min(1) @Max(100)
  QUERY_EXPENSIVE_CONCURRENCY = 1;

  /**
   * Most of a process's time expensive queries may take together (0 to 1): after one that took
   * t ms, the next starts t x (1 - share) / share ms later at the earliest, so cheap requests keep
   * the rest. 1: no pause.
   */
  @Transform(toNumber) @IsNumber() @Min(0.05) @Max(1)
  QUERY_EXPENSIVE_SHARE = 0.3;

  /** Longest an expensive query waits for its turn before it is answered SERVICE_UNAVAILABLE (503, Retry-After). */
  @Transform(toInt) @IsInt() @Min(0) @Max(600_000)
  QUERY_EXPENSIVE_WAIT_MS = 10_000;

  /** Database connections an expensive query may hold at once (its statements wait for one of them). */
  @Transform(toInt) @IsInt() @Min(1) @Max(200)
  QUERY_EXPENSIVE_CONNECTIONS = 2;

  /** Most operations one batched request (a JSON array) may hold; their costs add up against QUERY_MAX_COST. */
  @Transform(toInt) @IsInt() @Min(1) @Max(100)
  QUERY_MAX_BATCH = 10;

  /**
   * Points each signed-in user, and each address for anonymous requests, may spend per hour
   * (a request costs what the cost model says, at least 1). 0 turns the hourly budget off.
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(100_000_000)
  RATE_LIMIT_POINTS_PER_HOUR = 20_000;

  /** Longest any SQL statement of a request may run, in milliseconds. */
  @Transform(toInt) @IsInt() @Min(100) @Max(600_000)
  DB_STATEMENT_TIMEOUT_MS = 5000;

  /** Longest the reception of one HTTP request (headers and body) may take, in milliseconds. */
  @Transform(toInt) @IsInt() @Min(100) @Max(600_000)
  HTTP_REQUEST_TIMEOUT_MS = 30_000;

  /** A connection with nothing received or sent for this long is closed, in milliseconds. */
  @Transform(toInt) @IsInt() @Min(100) @Max(600_000)
  HTTP_IDLE_TIMEOUT_MS = 20_000;

  /** How long an idle keep-alive connection stays open, in milliseconds. */
  @Transform(toInt) @IsInt() @Min(100) @Max(600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 5000;

  // ---------------------------------------------------------------- watching upstreams

  /** GitHub's REST API, where GITHUB trackers' issues are read back. */
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'GITHUB_API_URL must be an http(s) URL' })
  GITHUB_API_URL = 'https://api.github.com';

  /** A GitHub token for reading issues (5,000 requests an hour instead of 60); unset: anonymous. */
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(500)
  GITHUB_TOKEN?: string = undefined;

  /** Launchpad's REST API root, where LAUNCHPAD trackers' bug tasks are read back. */
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'LAUNCHPAD_API_URL must be an http(s) URL' })
  LAUNCHPAD_API_URL = 'https://api.launchpad.net/1.0';

  /** Seconds between two reads of a linked upstream record (0: no scheduled reads in this process). */
  @Transform(toInt) @IsInt() @Min(0) @Max(30 * 86400)
  WATCH_INTERVAL_SECONDS = 21_600;

  /** Seconds added to the wait per recent failure of a record (up to six), as Launchpad adds a day. */
  @Transform(toInt) @IsInt() @Min(1) @Max(30 * 86400)
  WATCH_BACKOFF_SECONDS = 86_400;

  /** Longest a read of an upstream record may take, in milliseconds. */
  @Transform(toInt) @IsInt() @Min(100) @Max(120_000)
  WATCH_TIMEOUT_MS = 10_000;

  /** Port of the SMTP listener for replies to MAIL_FROM's domain (unset: no listener). */
  @Transform(toInt) @IsOptional() @IsInt() @Min(0) @Max(65535)
  MAIL_INBOUND_PORT?: number = undefined;

  /** Address the reply listener binds to. */
  @IsString() @MinLength(1)
  MAIL_INBOUND_HOST = '127.0.0.1';

  /** Largest reply accepted by the listener, in bytes. */
  @Transform(toInt) @IsInt() @Min(1024) @Max(50 * 1024 * 1024)
  MAIL_INBOUND_MAX_BYTES = 1024 * 1024;

  /**
   * How many of the newest matches a relevance search ranks (older matches follow them, newest
   * first). More ranks further back in time, and costs more on common words (each ranked match is
   * read).
   */
  @Transform(toInt) @IsInt() @Min(25) @Max(10_000)
  SEARCH_RANKED_MATCHES = 100;

  /** Days an INCOMPLETE item waits for its reporter before it expires. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3650)
  NEEDS_INFO_EXPIRY_DAYS = 60;

  /**
   * What this process runs: `api` (GraphQL only), `worker` (background jobs only, no HTTP) or
   * `all` (both, the default: one process does everything).
   */
  @IsIn(PROCESS_ROLES, { message: `HEADWATERS_ROLE must be one of ${PROCESS_ROLES.join(', ')}` })
  HEADWATERS_ROLE: ProcessRole = 'all';

  /** How often the expiry job runs, in seconds (0 turns it off in this process). */
  @Transform(toInt) @IsInt() @Min(0) @Max(86400)
  EXPIRY_INTERVAL_SECONDS = 3600;

  /** Failed logins, per username and per address, before login is refused for a while. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  LOGIN_MAX_FAILURES = 10;

  @Transform(toInt) @IsInt() @Min(1) @Max(1440)
  LOGIN_WINDOW_MINUTES = 10;

  /** With the embedded PostgreSQL: readiness fails when DATA_DIR's disk has less free space than this, in MB. */
  @Transform(toInt) @IsInt() @Min(0) @Max(1_000_000)
  HEALTH_MIN_FREE_DISK_MB = 64;

  /** How long a stop may take before the process exits anyway, in milliseconds. */
  @Transform(toInt) @IsInt() @Min(100) @Max(60000)
  SHUTDOWN_TIMEOUT_MS = 4000;

  // ---------------------------------------------------------------- jobs and deliveries

  /** Connections of the job queue's own pool (fetching and completing jobs). */
  @Transform(toInt) @IsInt() @Min(1) @Max(50)
  JOBS_POOL_SIZE = 4;

  /** How often an idle worker looks for due jobs, in seconds (queued jobs wake it at once). */
  @Transform(toNumber) @IsNumber() @Min(0.5) @Max(60)
  JOBS_POLL_SECONDS = 2;

  /** How often the queue looks for jobs whose worker died, in seconds. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  JOBS_MAINTENANCE_SECONDS = 60;

  /** Outgoing mail server, `smtp://user:pass@host:587` or `smtps://...`; unset: mails are written as .eml files to DATA_DIR/mail/. */
  @Transform(emptyToUndefined) @IsOptional() @Matches(/^smtps?:\/\/[^\s]+$/, { message: 'SMTP_URL must look like smtp://user:pass@host:587 or smtps://host' })
  SMTP_URL?: string = undefined;

  /** The sender of every mail. */
  @IsEmail({ require_tld: false }, { message: 'MAIL_FROM must be an e-mail address' })
  MAIL_FROM = 'headwaters@localhost';

  /** Where people reach this tracker, for links in mail and webhooks; unset: http://localhost:PORT. */
  @Transform(emptyToUndefined) @IsOptional() @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL?: string = undefined;

  /** Let webhooks reach loopback, private and link-local addresses (tests, closed networks). */
  @Transform(toBool) @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE = false;

  /** How long a webhook POST may take, in seconds. */
  @Transform(toNumber) @IsNumber() @Min(0.1) @Max(120)
  WEBHOOK_TIMEOUT_SECONDS = 10;

  /** Attempts of a mail or webhook POST before it is FAILED (until redelivered). */
  @Transform(toInt) @IsInt() @Min(1) @Max(100)
  DELIVERY_MAX_ATTEMPTS = 10;

  /** The wait after a first failed attempt, in seconds; each next wait is about twice the last (with jitter), at most 6 hours. */
  @Transform(toNumber) @IsNumber() @Min(0.1) @Max(86400)
  DELIVERY_RETRY_BASE_SECONDS = 60;

  /** Deliveries a worker sends at once. */
  @Transform(toInt) @IsInt() @Min(1) @Max(200)
  DELIVERY_CONCURRENCY = 32;

  /**
   * Deliveries a worker takes from the queue in one fetch (at most DELIVERY_CONCURRENCY): each
   * fetch sorts the waiting jobs, so a burst costs one per batch instead of one per delivery.
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(200)
  DELIVERY_BATCH_SIZE = 16;

  /**
   * Deliveries a worker process starts per second at most, evenly spaced; 0: no limit. A burst
   * (ten thousand forwards at once) is spread over the time it takes at this rate instead of
   * taking the machine from the requests it serves meanwhile.
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(100000)
  DELIVERY_RATE_PER_SECOND = 200;

  /**
   * An event with more possible recipients than this is told by a background job, so the
   * mutation that caused it does not wait; smaller audiences are told in its own transaction.
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(1_000_000)
  NOTIFY_INLINE_MAX = 200;

  /** The hour (UTC, 0-23) from which each day's digest mail is sent to those who chose DAILY_DIGEST. */
  @Transform(toInt) @IsInt() @Min(0) @Max(23)
  DIGEST_HOUR_UTC = 7;

  /** How often the worker looks for digests due, in seconds (0: not in this process). */
  @Transform(toInt) @IsInt() @Min(0) @Max(86400)
  DIGEST_CHECK_SECONDS = 300;

  /** Serve Prometheus metrics at GET /metrics (and count what they report). */
  @Transform(toBool) @IsBoolean()
  METRICS = true;

  /** When set, GET /metrics wants `Authorization: Bearer <this>` (401 otherwise); unset: anyone who reaches the port may read it. */
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' }) @MaxLength(200)
  METRICS_TOKEN?: string = undefined;

  /** Distinct operation names the metrics keep as labels; later new names count as `other`. */
  @Transform(toInt) @IsInt() @Min(1) @Max(10_000)
  METRICS_MAX_OPERATIONS = 200;

  /**
   * An OTLP/HTTP collector (`http://collector:4318`): traces of requests, SQL and jobs go to its
   * `/v1/traces`. Unset: no tracing code is loaded. Read at start-up by the telemetry preload
   * (apps/api/src/telemetry), before the database driver is loaded.
   */
  @Transform(emptyToUndefined) @IsOptional() @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string = undefined;

  /** The `service.name` of exported traces. */
  @IsString() @MinLength(1) @MaxLength(100)
  OTEL_SERVICE_NAME = 'headwaters';
}

/** The address links point to: PUBLIC_URL, or this process's own port on localhost. */
export function publicUrlOf(config: AppConfig): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}
