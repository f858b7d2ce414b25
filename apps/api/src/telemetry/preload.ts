/**
 * The first module main.ts loads. With OTEL_EXPORTER_OTLP_ENDPOINT set it starts OpenTelemetry's
 * tracing (see start-tracing.ts) before anything else is loaded, as the instrumentation of `pg`
 * and `http` must patch those modules before their first use; unset, it loads nothing more.
 * The value is validated with the rest of the configuration; here, a value that is not an
 * http(s) URL starts nothing (and the configuration's check stops the process).
 */
const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;

let stop: (() => Promise<void>) | undefined;

if (endpoint && /^https?:\/\/\S+$/.test(endpoint)) {
  // Loaded synchronously on purpose: a dynamic import would run after main.ts has loaded pg.
  const { startTracing } = require('./start-tracing') as typeof import('./start-tracing');
  stop = startTracing(endpoint, process.env.OTEL_SERVICE_NAME || 'headwaters');
}

/** Sends the spans not yet exported and stops tracing (nothing when tracing is off). */
export async function stopTracing(): Promise<void> {
  await stop?.();
}
