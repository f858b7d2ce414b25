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

/** Whether spans are recorded (so callers can skip building attributes when not). */
export function tracingInstalled(): boolean {
  return installed !== undefined;
}
