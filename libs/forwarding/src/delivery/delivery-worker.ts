import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { AppConfig } from '@headwaters/config';
import { prepared } from '@headwaters/core';
import { JobQueue, type Job } from '@headwaters/jobs';
import { DeliveryChannels } from './channels/delivery-channels';
import type { SendOutcome } from './channels/channel';
import { DELIVERY_QUEUE, DeliveryOutbox, type DeliveryJob, type SendCheck } from './delivery-outbox';
import { DELIVERY_COLUMNS, type DeliveryRecord } from './delivery.records';
import { retryWaitMs } from './retry-schedule';

/**
 * An attempt recorded, if it is still the one the delivery waits for. Wrapped so that the
 * statement answers its rows (a bare UPDATE answers [rows, count] through TypeORM). Prepared, as
 * every delivery runs one.
 */
const recordSql = (set: string) =>
  prepared(`WITH d AS (UPDATE delivery SET ${set}, updated_at = now() WHERE id = $1 AND state = 'PENDING' AND attempts = $2 - 1 RETURNING *)
    SELECT ${DELIVERY_COLUMNS} FROM d`);
const RECORD_DELIVERED_SQL = recordSql(`state = 'DELIVERED', attempts = $2, last_error = NULL, next_attempt_at = NULL, delivered_at = now(), response = $3`);
const RECORD_FAILED_SQL = recordSql(`state = 'FAILED', attempts = $2, last_error = $3, next_attempt_at = NULL`);
const RECORD_RETRY_SQL = recordSql(`attempts = $2, last_error = $3, next_attempt_at = $4`);
const READ_SQL = prepared(`SELECT ${DELIVERY_COLUMNS} FROM delivery WHERE id = ANY($1)`);

/**
 * Sends deliveries, one attempt per job. An attempt is recorded only if it is still the one the
 * delivery waits for (so a job run twice, after a crash or a stop, sends again with the same ids
 * but records once); a failed attempt queues the next one, in the same transaction, after an
 * exponential wait, until the attempts run out and the delivery is FAILED.
 */
@Injectable()
export class DeliveryWorker implements OnModuleDestroy {
  private readonly log = new Logger('DeliveryWorker');
  /**
   * The deliveries of the jobs a poller took together, read in one statement: the jobs of a batch
   * start in the same tick. Not cached: each attempt reads the delivery as it is now.
   */
  private readonly deliveries = new DataLoader<number, DeliveryRecord | null>(
    async (ids) => {
      const rows = await this.dataSource.query<DeliveryRecord[]>(READ_SQL, [ids]);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    { cache: false, maxBatchSize: 200 },
  );
  /**
   * Webhook keys, read once for the deliveries of a batch that name the same one (a burst to one
   * upstream), and read again for the next batch: a rotated secret applies from then on.
   */
  private readonly signingKeys: DataLoader<string, string | null> = new DataLoader(async (references) => {
    this.signingKeys.clearAll();
    return Promise.all(references.map((reference) => this.outbox.signingKey(this.dataSource, reference)));
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly outbox: DeliveryOutbox,
    private readonly channels: DeliveryChannels,
    private readonly config: AppConfig,
  ) {
    jobs.handle<DeliveryJob>(DELIVERY_QUEUE, (job) => this.attempt(job));
  }

  async attempt(job: Job<DeliveryJob>): Promise<void> {
    const { deliveryId, attempt } = job.data;
    const delivery = await this.deliveries.load(deliveryId);
    if (!delivery || delivery.state !== 'PENDING' || delivery.attempts !== attempt - 1) return;
    for (const check of this.outbox.checks) {
      const reason = await check.check(this.dataSource, delivery);
      if (reason) return this.skip(delivery, attempt, reason, check);
    }
    let outcome: SendOutcome;
    try {
      const secret = delivery.signingKey ? await this.signingKeys.load(delivery.signingKey) : null;
      outcome = delivery.signingKey && !secret
        ? { ok: false, error: 'no webhook secret is set any more to sign with' }
        : await this.channels.of(delivery.channel).send(delivery, { signal: job.signal, secret });
    } catch (error) {
      if (job.signal.aborted) throw error;
      outcome = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    await this.record(delivery, attempt, outcome);
  }

  async onModuleDestroy(): Promise<void> {
    await this.channels.close();
  }

  /** Not sent, and never will be on this round: FAILED with the reason, and the check's own record. */
  private async skip(delivery: DeliveryRecord, attempt: number, reason: string, check: SendCheck): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const rows = await tx.query<DeliveryRecord[]>(
        `WITH d AS (UPDATE delivery SET state = 'FAILED', skip_reason = $3, last_error = $4, next_attempt_at = NULL, updated_at = now()
                     WHERE id = $1 AND state = 'PENDING' AND attempts = $2 - 1 RETURNING *)
         SELECT ${DELIVERY_COLUMNS} FROM d`,
        [delivery.id, attempt, reason, `not sent: ${reason}`],
      );
      if (rows.length > 0) await check.skipped?.(tx, rows[0], reason);
    });
    this.log.log(`delivery ${delivery.id} (${delivery.event}) not sent: ${reason}`);
  }

  private async record(delivery: DeliveryRecord, attempt: number, outcome: SendOutcome): Promise<void> {
    const recorded = await this.dataSource.transaction(async (tx) => {
      let rows: DeliveryRecord[];
      if (outcome.ok) {
        rows = await tx.query(RECORD_DELIVERED_SQL, [delivery.id, attempt, outcome.response ? JSON.stringify(outcome.response) : null]);
      } else if (attempt >= delivery.maxAttempts) {
        rows = await tx.query(RECORD_FAILED_SQL, [delivery.id, attempt, outcome.error]);
      } else {
        const next = new Date(Date.now() + retryWaitMs(attempt, this.config.DELIVERY_RETRY_BASE_SECONDS));
        rows = await tx.query(RECORD_RETRY_SQL, [delivery.id, attempt, outcome.error, next]);
        if (rows.length > 0) await this.jobs.send<DeliveryJob>(tx, DELIVERY_QUEUE, { deliveryId: delivery.id, attempt: attempt + 1 }, { startAfter: next });
      }
      const [recorded] = rows;
      if (!recorded) return undefined;
      if (recorded.state === 'FAILED') this.log.warn(`delivery ${recorded.id} (${recorded.channel} to ${recorded.destination}) FAILED after ${recorded.attempts} attempts: ${recorded.lastError}`);
      for (const listener of this.outbox.listenersOf(recorded.event)) {
        if (recorded.state === 'DELIVERED') await listener.delivered?.(tx, recorded);
        if (recorded.state === 'FAILED') await listener.failed?.(tx, recorded);
      }
      return recorded;
    });
    if (recorded) this.outbox.attempted(recorded.channel, recorded.state === 'DELIVERED' ? 'delivered' : recorded.state === 'FAILED' ? 'failed' : 'retry');
  }
}
