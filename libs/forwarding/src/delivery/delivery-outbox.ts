import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError, type Actor, type SqlRunner } from '@headwaters/core';
import { AppConfig } from '@headwaters/config';
import { JobQueue } from '@headwaters/jobs';
import { DELIVERY_COLUMNS, type DeliveryRecord, type NewDelivery } from './delivery.records';

/** The job queue deliveries are sent from. */
export const DELIVERY_QUEUE = 'delivery';

/** What a delivery job carries: which delivery, and which of its attempts this job is for. */
export interface DeliveryJob {
  deliveryId: number;
  attempt: number;
}

/**
 * Told, inside the transaction that records them, how deliveries of its event ended: the ones
 * recorded together come together (a burst's are many at once).
 */
export interface DeliveryOutcomeListener {
  delivered?(tx: SqlRunner, deliveries: readonly DeliveryRecord[]): Promise<void>;
  failed?(tx: SqlRunner, deliveries: readonly DeliveryRecord[]): Promise<void>;
  /** A FAILED or DELIVERED delivery queued again by `redeliver`. */
  requeued?(tx: SqlRunner, delivery: DeliveryRecord): Promise<void>;
}

/**
 * Asked just before a delivery is sent: a reason (a stable code) not to send it, or null. Each
 * check looks only at the deliveries it knows (its own events); `skipped` records, in the
 * transaction that marks the delivery skipped, what the check wants kept.
 */
export interface SendCheck {
  check(db: SqlRunner, delivery: DeliveryRecord): Promise<string | null>;
  skipped?(tx: SqlRunner, delivery: DeliveryRecord, reason: string): Promise<void>;
}

/**
 * Says whether `actor` may redeliver a delivery that carries no forward: true when the delivery
 * is this owner's and the actor may (it throws when not), null when it is not this owner's.
 */
export type RedeliveryRight = (tx: SqlRunner, actor: Actor | null, deliveryId: number) => Promise<true | null>;

/** How one attempt of a delivery ended: sent, to be tried again, or out of attempts. */
export type AttemptOutcome = 'delivered' | 'retry' | 'failed';

/** Deliveries not yet delivered, per channel and state (PENDING: waiting to be sent; FAILED: given up). */
export interface OpenDeliveries {
  channel: 'MAIL' | 'WEBHOOK';
  state: 'PENDING' | 'FAILED';
  count: number;
}

/** Finds the HMAC key named by a delivery's `signing_key` (`<kind>:<id>`); null when there is none. */
export type SigningKeyResolver = (db: SqlRunner, id: string) => Promise<string | null>;

/**
 * The outbox: a delivery row and its job, written in the caller's transaction, so that a change
 * that commits is always told and one that fails never is. Deliveries are generic (forwards and
 * notifications share them); each kind registers how its outcomes are recorded and, for signed
 * webhooks, where its key comes from.
 */
@Injectable()
export class DeliveryOutbox {
  private readonly listeners = new Map<string, DeliveryOutcomeListener[]>();
  private readonly signingKeys = new Map<string, SigningKeyResolver>();
  private readonly sendChecks: SendCheck[] = [];
  private readonly redeliveryRights: RedeliveryRight[] = [];
  private readonly attemptObservers: ((channel: string, outcome: AttemptOutcome) => void)[] = [];

  constructor(
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {
    // A handler gets the full expiry to finish; a crashed worker's job runs again a few seconds later.
    jobs.declare(DELIVERY_QUEUE, {
      concurrency: config.DELIVERY_CONCURRENCY, batchSize: config.DELIVERY_BATCH_SIZE, perSecond: config.DELIVERY_RATE_PER_SECOND,
      expireInSeconds: Math.ceil(config.WEBHOOK_TIMEOUT_SECONDS) + 120, retryLimit: 100, retryDelaySeconds: 5,
    });
  }

  /** Registers what happens when a delivery of `event` is delivered, fails, or is queued again. */
  onOutcome(event: string, listener: DeliveryOutcomeListener): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }

  listenersOf(event: string): readonly DeliveryOutcomeListener[] {
    return this.listeners.get(event) ?? [];
  }

  /** Registers a check asked before each delivery is sent. */
  onBeforeSend(check: SendCheck): void {
    this.sendChecks.push(check);
  }

  /** The checks asked before sending. */
  get checks(): readonly SendCheck[] {
    return this.sendChecks;
  }

  /** Registers who decides redeliveries of deliveries that carry no forward (integrators' webhooks). */
  onRedelivery(right: RedeliveryRight): void {
    this.redeliveryRights.push(right);
  }

  /** Whether a registered owner allows `actor` to redeliver it (throws if it refuses); null: no owner claims it. */
  async redeliveryAllowed(tx: SqlRunner, actor: Actor | null, deliveryId: number): Promise<true | null> {
    for (const right of this.redeliveryRights) if ((await right(tx, actor, deliveryId)) === true) return true;
    return null;
  }

  /** Told of every attempt this process records, after its transaction (for metrics). */
  onAttempt(observer: (channel: string, outcome: AttemptOutcome) => void): void {
    this.attemptObservers.push(observer);
  }

  /** Called by the worker once an attempt is recorded. */
  attempted(channel: string, outcome: AttemptOutcome): void {
    for (const observer of this.attemptObservers) observer(channel, outcome);
  }

  /** The deliveries not delivered yet (read through the open-deliveries index, whatever the history's size). */
  async open(db: SqlRunner): Promise<OpenDeliveries[]> {
    return db.query<OpenDeliveries[]>(`SELECT channel, state, count(*)::int AS count FROM delivery WHERE state <> 'DELIVERED' GROUP BY channel, state ORDER BY channel, state`);
  }

  /** Registers where keys of `signing_key` `<kind>:...` come from. */
  onSigningKey(kind: string, resolver: SigningKeyResolver): void {
    this.signingKeys.set(kind, resolver);
  }

  /** The HMAC key a delivery names, or null. */
  async signingKey(db: SqlRunner, reference: string): Promise<string | null> {
    const [kind, ...rest] = reference.split(':');
    const resolver = this.signingKeys.get(kind);
    return resolver ? resolver(db, rest.join(':')) : null;
  }

  /** Writes one delivery and its first job in `tx`. */
  async queue(tx: SqlRunner, delivery: NewDelivery): Promise<DeliveryRecord> {
    const [row] = await this.queueMany(tx, [delivery]);
    return row;
  }

  /** Writes deliveries and their first jobs in `tx`, in two statements whatever their number. */
  async queueMany(tx: SqlRunner, deliveries: readonly NewDelivery[]): Promise<DeliveryRecord[]> {
    if (deliveries.length === 0) return [];
    const rows = await tx.query<DeliveryRecord[]>(
      `INSERT INTO delivery (event, channel, destination, subject, payload, headers, message_id, signing_key, forward_id, max_attempts)
       SELECT d.event, d.channel, d.destination, d.subject, d.payload, d.headers, d.message_id, d.signing_key, d.forward_id, $2
       FROM jsonb_to_recordset($1::jsonb) AS d(event text, channel text, destination text, subject text, payload text, headers jsonb,
         message_id text, signing_key text, forward_id integer, ord integer)
       ORDER BY d.ord
       RETURNING ${DELIVERY_COLUMNS}`,
      [
        JSON.stringify(
          deliveries.map((d, ord) => ({
            event: d.event, channel: d.channel, destination: d.destination, subject: d.subject ?? null, payload: d.payload, headers: d.headers ?? {},
            message_id: d.messageId ?? randomUUID(), signing_key: d.signingKey ?? null, forward_id: d.forwardId ?? null, ord,
          })),
        ),
        this.config.DELIVERY_MAX_ATTEMPTS,
      ],
    );
    await this.jobs.sendMany<DeliveryJob>(tx, DELIVERY_QUEUE, rows.map((row) => ({ data: { deliveryId: row.id, attempt: 1 } })));
    return rows;
  }

  /**
   * Queues a FAILED or DELIVERED delivery again, with the same ids and a fresh round of attempts.
   * A delivery still PENDING already has its next attempt coming: CONFLICT.
   */
  async redeliver(tx: SqlRunner, deliveryId: number): Promise<DeliveryRecord> {
    const [current] = await tx.query<DeliveryRecord[]>(`SELECT ${DELIVERY_COLUMNS} FROM delivery WHERE id = $1 FOR UPDATE`, [deliveryId]);
    if (!current) throw DomainError.notFound('DELIVERY_NOT_FOUND', 'deliveryId: no such delivery', 'deliveryId');
    if (current.state === 'PENDING') {
      throw DomainError.conflict('DELIVERY_PENDING', 'deliveryId: this delivery is still pending; its next attempt is already queued', 'deliveryId');
    }
    const [row] = await tx.query<DeliveryRecord[]>(
      `WITH d AS (UPDATE delivery SET state = 'PENDING', skip_reason = NULL, max_attempts = attempts + $2, next_attempt_at = now(), updated_at = now() WHERE id = $1 RETURNING *)
       SELECT ${DELIVERY_COLUMNS} FROM d`,
      [deliveryId, this.config.DELIVERY_MAX_ATTEMPTS],
    );
    await this.jobs.send<DeliveryJob>(tx, DELIVERY_QUEUE, { deliveryId, attempt: row.attempts + 1 });
    for (const listener of this.listenersOf(row.event)) await listener.requeued?.(tx, row);
    return row;
  }

  /** Has this process's idle delivery workers look now: call it once the transaction that queued has committed. */
  wake(): void {
    this.jobs.wake(DELIVERY_QUEUE);
  }
}
