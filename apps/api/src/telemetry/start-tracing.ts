import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { installTracing } from '@headwaters/core';

/** Probes and scrapes are not worth a trace each. */
const UNTRACED = /^\/(health\/|metrics(\?|$))/;

/**
 * Starts tracing: spans go in batches to `<endpoint>/v1/traces` over OTLP/HTTP (JSON). Incoming
 * requests get a server span (a child of the caller's `traceparent`, W3C trace context), renamed
 * after their GraphQL operation once it is known; SQL statements get a span when inside another
 * (a request's or a job's), so the job queue's polling traces nothing; jobs get one per run.
 * Answers how to stop: export what is left, then shut down.
 */
export function startTracing(endpoint: string, serviceName: string): () => Promise<void> {
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  // The AsyncLocalStorage context manager and the W3C trace-context propagator.
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => UNTRACED.test(request.url ?? '') }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  const tracer = trace.getTracer('headwaters');
  installTracing({
    inSpan: (name, attributes, fn) =>
      tracer.startActiveSpan(name, { attributes }, async (span) => {
        try {
          return await fn();
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          throw error;
        } finally {
          span.end();
        }
      }),
    nameActive: (name, attributes) => {
      const span = trace.getActiveSpan();
      span?.updateName(name);
      span?.setAttributes(attributes);
    },
    bind: (fn) => context.bind(context.active(), fn),
  });
  return async () => {
    await provider.forceFlush().catch(() => undefined);
    await provider.shutdown().catch(() => undefined);
  };
}
