import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
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
/** Every delivered attempt of a batch in one statement: ids, attempt numbers and answers side by side. */
const RECORD_DELIVERED_SQL = prepared(`WITH v AS (SELECT * FROM unnest($1::bigint[], $2::int[], $3::jsonb[]) AS v(id, attempt, response)),
  d AS (UPDATE delivery SET state = 'DELIVERED', attempts = v.attempt, last_error = NULL, next_attempt_at = NULL, delivered_at = now(), response = v.response, updated_at = now()
          FROM v WHERE delivery.id = v.id AND delivery.state = 'PENDING' AND delivery.attempts = v.attempt - 1 RETURNING delivery.*)
  SELECT ${DELIVERY_COLUMNS} FROM d`);
const RECORD_FAILED_SQL = recordSql(`state = 'FAILED', attempts = $2, last_error = $3, next_attempt_at = NULL`);
const RECORD_RETRY_SQL = recordSql(`attempts = $2, last_error = $3, next_attempt_at = $4`);
const READ_SQL = prepared(`SELECT ${DELIVERY_COLUMNS} FROM delivery WHERE id = ANY($1)`);

/** How long a finished attempt waits for others to be recorded with it, in one transaction. */
const RECORD_LINGER_MS = 50;
/** Attempts recorded in one transaction at most. */
const RECORDS_PER_TRANSACTION = 100;

/** What the jobs of one fetch need, read together when it is taken. */
interface TakenBatch {
  deliveries: ReadonlyMap<number, DeliveryRecord>;
  /** The webhook key each `signing_key` names (null: none any more). */
  secrets: ReadonlyMap<string, string | null>;
}

interface Finished {
  delivery: DeliveryRecord;
  attempt: number;
  outcome: SendOutcome;
  recorded: () => void;
  failed: (error: unknown) => void;
}

/**
 * Sends deliveries, one attempt per job. An attempt is recorded only if it is still the one the
 * delivery waits for (so a job run twice, after a crash or a stop, sends again with the same ids
 * but records once); a failed attempt queues the next one, in the same transaction, after an
 * exponential wait, until the attempts run out and the delivery is FAILED.
 *
 * The jobs one fetch took read their deliveries and webhook keys together, when the batch is taken.
 * The attempts that end within a few milliseconds of each other are recorded together, in one
 * transaction (a burst costs a commit per batch, not per delivery); a job completes only once its
 * attempt is recorded. If a batch's transaction fails, each of its attempts is recorded alone, so
 * that one attempt that cannot be recorded fails only its own job.
 */
@Injectable()
export class DeliveryWorker implements OnModuleDestroy {
  private readonly log = new Logger('DeliveryWorker');
  /** Attempts sent and waiting to be recorded. */
  private finished: Finished[] = [];
  private lingering: NodeJS.Timeout | null = null;
  private recording = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly outbox: DeliveryOutbox,
    private readonly channels: DeliveryChannels,
    private readonly config: AppConfig,
  ) {
    jobs.handle<DeliveryJob, TakenBatch>(DELIVERY_QUEUE, (job, batch) => this.attempt(job, batch), (taken) => this.read(taken));
  }

  /**
   * The deliveries of the jobs one fetch took, in one statement, and the webhook keys they name,
   * once each: read when the batch is taken, before its jobs wait for their turns (a rotated
   * secret applies from the next batch on).
   */
  async read(jobs: readonly Job<DeliveryJob>[]): Promise<TakenBatch> {
    const rows = await this.dataSource.query<DeliveryRecord[]>(READ_SQL, [jobs.map((job) => job.data.deliveryId)]);
    const keys = [...new Set(rows.flatMap((r) => (r.signingKey ? [r.signingKey] : [])))];
    const secrets = await Promise.all(keys.map(async (key) => [key, await this.outbox.signingKey(this.dataSource, key)] as const));
    return { deliveries: new Map(rows.map((r) => [r.id, r])), secrets: new Map(secrets) };
  }

  async attempt(job: Job<DeliveryJob>, batch: TakenBatch): Promise<void> {
    const { deliveryId, attempt } = job.data;
    const delivery = batch.deliveries.get(deliveryId);
    if (!delivery || delivery.state !== 'PENDING' || delivery.attempts !== attempt - 1) return;
    for (const check of this.outbox.checks) {
      const reason = await check.check(this.dataSource, delivery);
      if (reason) return this.skip(delivery, attempt, reason, check);
    }
    let outcome: SendOutcome;
    try {
      const secret = delivery.signingKey ? (batch.secrets.get(delivery.signingKey) ?? null) : null;
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

  /** Resolves once the attempt is recorded, with the others that ended about when it did. */
  private record(delivery: DeliveryRecord, attempt: number, outcome: SendOutcome): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.finished.push({ delivery, attempt, outcome, recorded: resolve, failed: reject });
      this.scheduleRecording();
    });
  }

  /** The next batch is recorded once the first attempt waiting has waited RECORD_LINGER_MS (at once when a batch is full). */
  private scheduleRecording(): void {
    if (this.recording || this.finished.length === 0) return;
    if (this.finished.length >= RECORDS_PER_TRANSACTION) {
      if (this.lingering) clearTimeout(this.lingering);
      this.lingering = null;
      void this.recordFinished();
    } else if (!this.lingering) {
      this.lingering = setTimeout(() => void this.recordFinished(), RECORD_LINGER_MS);
    }
  }

  /** Records one batch in one transaction (what ends meanwhile waits for the next). */
  private async recordFinished(): Promise<void> {
    this.lingering = null;
    this.recording = true;
    const batch = this.finished.splice(0, RECORDS_PER_TRANSACTION);
    try {
      await this.recordAll(batch);
      for (const one of batch) one.recorded();
    } catch (error) {
      if (batch.length === 1) batch[0].failed(error);
      else for (const one of batch) await this.recordAll([one]).then(one.recorded, one.failed);
    } finally {
      this.recording = false;
      this.scheduleRecording();
    }
  }

  /** One transaction: the delivered attempts in one statement, each other one alone, then what their events' listeners record. */
  private async recordAll(batch: Finished[]): Promise<void> {
    const recorded = await this.dataSource.transaction(async (tx) => {
      const rows: DeliveryRecord[] = [];
      const delivered = batch.filter((f) => f.outcome.ok);
      if (delivered.length > 0) {
        rows.push(...(await tx.query<DeliveryRecord[]>(RECORD_DELIVERED_SQL, [
          delivered.map((f) => f.delivery.id),
          delivered.map((f) => f.attempt),
          delivered.map(({ outcome }) => (outcome.ok && outcome.response ? JSON.stringify(outcome.response) : null)),
        ])));
      }
      for (const { delivery, attempt, outcome } of batch) {
        if (outcome.ok) continue;
        if (attempt >= delivery.maxAttempts) {
          rows.push(...(await tx.query<DeliveryRecord[]>(RECORD_FAILED_SQL, [delivery.id, attempt, outcome.error])));
        } else {
          const next = new Date(Date.now() + retryWaitMs(attempt, this.config.DELIVERY_RETRY_BASE_SECONDS));
          const retried = await tx.query<DeliveryRecord[]>(RECORD_RETRY_SQL, [delivery.id, attempt, outcome.error, next]);
          if (retried.length > 0) await this.jobs.send<DeliveryJob>(tx, DELIVERY_QUEUE, { deliveryId: delivery.id, attempt: attempt + 1 }, { startAfter: next });
          rows.push(...retried);
        }
      }
      const byEvent = new Map<string, { delivered: DeliveryRecord[]; failed: DeliveryRecord[] }>();
      for (const row of rows) {
        if (row.state === 'FAILED') this.log.warn(`delivery ${row.id} (${row.channel} to ${row.destination}) FAILED after ${row.attempts} attempts: ${row.lastError}`);
        const ended = byEvent.get(row.event) ?? { delivered: [], failed: [] };
        if (row.state === 'DELIVERED') ended.delivered.push(row);
        if (row.state === 'FAILED') ended.failed.push(row);
        byEvent.set(row.event, ended);
      }
      for (const [event, ended] of byEvent) {
        for (const listener of this.outbox.listenersOf(event)) {
          if (ended.delivered.length > 0) await listener.delivered?.(tx, ended.delivered);
          if (ended.failed.length > 0) await listener.failed?.(tx, ended.failed);
        }
      }
      return rows;
    });
    for (const row of recorded) this.outbox.attempted(row.channel, row.state === 'DELIVERED' ? 'delivered' : row.state === 'FAILED' ? 'failed' : 'retry');
  }
}
