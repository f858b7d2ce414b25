import type { Bindings, ChildLoggerOptions, Logger } from 'pino';

/**
 * A request's logger that becomes a pino child (with the request id) only when something is
 * logged: most requests log nothing, and making a child for each cost more than a field of a
 * page. Fastify's `childLoggerFactory`.
 */
export class LazyChildLogger {
  private made?: Logger;

  constructor(
    private readonly parent: Logger,
    private readonly childBindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private get real(): Logger {
    this.made ??= this.parent.child(this.childBindings, this.options);
    return this.made;
  }

  get level(): string {
    return this.made ? this.made.level : this.parent.level;
  }

  set level(level: string) {
    this.real.level = level;
  }

  isLevelEnabled(level: string): boolean {
    return this.real.isLevelEnabled(level);
  }

  bindings(): Bindings {
    return this.real.bindings();
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.real.child(bindings, options);
  }

  fatal(...args: Parameters<Logger['fatal']>): void {
    this.real.fatal(...args);
  }

  error(...args: Parameters<Logger['error']>): void {
    this.real.error(...args);
  }

  warn(...args: Parameters<Logger['warn']>): void {
    this.real.warn(...args);
  }

  info(...args: Parameters<Logger['info']>): void {
    this.real.info(...args);
  }

  debug(...args: Parameters<Logger['debug']>): void {
    this.real.debug(...args);
  }

  trace(...args: Parameters<Logger['trace']>): void {
    this.real.trace(...args);
  }

  silent(...args: Parameters<Logger['silent']>): void {
    this.real.silent(...args);
  }
}

/** Fastify's childLoggerFactory: a {@link LazyChildLogger}. */
export function lazyChildLoggerFactory(logger: Logger, bindings: Bindings, options: ChildLoggerOptions): Logger {
  return new LazyChildLogger(logger, bindings, options) as unknown as Logger;
}
