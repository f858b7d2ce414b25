/** Attributes a span carries: OpenTelemetry's primitive values. */
export type SpanAttributes = Record<string, string | number | boolean>;

/**
 * What the code asks of tracing. Installed only when traces are exported (OTEL_EXPORTER_OTLP_ENDPOINT,
 * see apps/api/src/telemetry); until then every call below is a plain function call, and no
 * tracing package is loaded at all.
 */
export interface Tracing {
  /** Runs `fn` inside a new span, a child of the active one; the span ends when `fn` settles. */
  inSpan<T>(name: string, attributes: SpanAttributes, fn: () => Promise<T>): Promise<T>;
  /** Renames the active span (the request's) and adds attributes to it. */
  nameActive(name: string, attributes: SpanAttributes): void;
  /** `fn`, run in the trace context active now whenever it is called (a callback that may be called from elsewhere). */
  bind<F extends (...args: never[]) => unknown>(fn: F): F;
}

let installed: Tracing | undefined;

/** Installs the tracing implementation (once, at start-up, before anything runs). */
export function installTracing(tracing: Tracing): void {
  installed = tracing;
}

/** Runs `fn` inside a span when tracing is on, else just runs it. */
export function inSpan<T>(name: string, attributes: SpanAttributes, fn: () => Promise<T>): Promise<T> {
  return installed ? installed.inSpan(name, attributes, fn) : fn();
}

/** Names the active span when tracing is on. */
export function nameActiveSpan(name: string, attributes: SpanAttributes): void {
  installed?.nameActive(name, attributes);
}

/**
 * `fn`, to be run in the trace context of its caller when it is called back from another's: what
 * a pool's taker hands over when it waits for a connection, which the pool calls back from the
 * release of whoever gave one back. Without tracing, `fn` itself.
 */
export function bindToActiveTrace<F extends (...args: never[]) => unknown>(fn: F): F {
  return installed ? installed.bind(fn) : fn;
}

/** Whether spans are recorded (so callers can skip building attributes when not). */
export function tracingInstalled(): boolean {
  return installed !== undefined;
}
