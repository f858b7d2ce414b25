import { timingSafeEqual, createHash } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@headwaters/config';
import { PreparedReads, poolStatsOf } from '@headwaters/database';
import { DeliveryOutbox } from '@headwaters/forwarding';
import { JobQueue } from '@headwaters/jobs';
import { addGraphqlRouteHook } from '../graphql/graphql-route-hooks';
import { ApiMetrics, type RequestOutcome } from './api-metrics';
import { noteOf } from './request-notes';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `GET /metrics` in Prometheus's text format, and the one response hook that counts GraphQL
 * requests. With METRICS_TOKEN set, the scrape must send `Authorization: Bearer <token>`.
 */
export function registerMetrics(app: NestFastifyApplication, config: AppConfig): ApiMetrics {
  const dataSource = app.get(DataSource);
  const jobs = app.get(JobQueue);
  const outbox = app.get(DeliveryOutbox);
  const prepared = app.get(PreparedReads);
  const main = (dataSource.driver as unknown as { master?: Pool }).master;
  const metrics = new ApiMetrics(
    {
      pools: {
        main: () => (main ? poolStatsOf(main) : { total: 0, idle: 0, waiting: 0 }),
        prepared: () => prepared.poolStats(),
        jobs: () => jobs.poolStats(),
      },
      queueDepth: () => jobs.depth(),
      openDeliveries: () => outbox.open(dataSource),
    },
    config.METRICS_MAX_OPERATIONS,
  );
  jobs.onJobDone((queue, outcome, seconds) => metrics.job(queue, outcome, seconds));
  outbox.onAttempt((channel, outcome) => metrics.delivery(channel, outcome));

  const fastify = app.getHttpAdapter().getInstance();
  addGraphqlRouteHook(fastify, 'onResponse', (request, reply, done) => {
    const note = noteOf(request);
    const status = reply.statusCode;
    // GraphiQL's page and WebSocket handshakes are no operations.
    if (note || (request.method === 'POST' && status !== 101) || status >= 400) {
      const outcome: RequestOutcome = status >= 500 ? 'failed' : status >= 400 || note?.errorCodes ? 'error' : 'ok';
      metrics.request(note, outcome, reply.elapsedTime / 1000);
    }
    done();
  });

  const expected = config.METRICS_TOKEN ? digest(config.METRICS_TOKEN) : undefined;
  fastify.get('/metrics', async (request, reply) => {
    if (expected) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
      if (!match || !timingSafeEqual(digest(match[1]), expected)) {
        return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').type('text/plain; charset=utf-8').send('Send METRICS_TOKEN as "Authorization: Bearer <token>"\n');
      }
    }
    const text = await metrics.text();
    return reply.type(metrics.registry.contentType).header('cache-control', 'no-store').send(text);
  });
  return metrics;
}
