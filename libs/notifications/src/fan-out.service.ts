import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@headwaters/config';
import type { RecordedEvent, SqlRunner } from '@headwaters/core';
import { AUDIENCE_ESTIMATE_SQL, AUDIENCE_SQL, QUIET_EVENT_TYPES } from './audience.sql';
import type { NotificationReason } from './subscription.records';

/** A notification just written, for what follows it (mail). */
export interface WrittenNotification {
  id: number;
  userId: number;
  itemId: number;
  eventId: number;
  reason: NotificationReason;
}

/** A notification row as the insert returns it (the id is a bigint: text, or a number through JSON). */
export interface WrittenRow {
  id: string | number;
  user_id: number;
  item_id: number;
  event_id: number;
  reason: NotificationReason;
}

/**
 * The estimate of the audience of events $1 (`estimate`), and the audience told when the
 * estimate is at most $2 (`written`: a one-time filter, so a large audience is not even read).
 * The CTEs of EventNotices' statements (one of which looks up the events' webhooks in the same round trip).
 */
export const TELL_IF_FEW_CTES = `
  estimate AS MATERIALIZED (${AUDIENCE_ESTIMATE_SQL}),
  audience AS (${AUDIENCE_SQL}),
  written AS (
    INSERT INTO notification (user_id, item_id, event_id, reason)
    SELECT user_id, item_id, event_id, reason FROM audience WHERE (SELECT n FROM estimate) <= $2
    ON CONFLICT (user_id, event_id) DO NOTHING
    RETURNING id, user_id, item_id, event_id, reason)`;

/** What {@link TELL_IF_FEW_CTES} answer: `n` and `written` (see {@link Telling}). */
export const TELL_IF_FEW_COLUMNS = `(SELECT n FROM estimate) AS n, coalesce((SELECT json_agg(written) FROM written), '[]') AS written`;

/** The audience of events as estimated, and the notifications written when it was small enough. */
export interface Telling {
  n: number;
  written: WrittenRow[];
}

/** Told of notifications as they are written, in the same transaction (notification mail). */
export type NotificationListener = (tx: SqlRunner, written: readonly WrittenNotification[]) => Promise<void>;

/**
 * Tells each event's audience (see {@link AUDIENCE_SQL}). A small audience is written in the
 * event's own transaction; when more than NOTIFY_INLINE_MAX people might hear of it, the event
 * is handed to a job instead (a `notification_fanout` row, in the same transaction), so the
 * mutation does not wait for thousands of rows.
 */
@Injectable()
export class FanOutService {
  private readonly listeners: NotificationListener[] = [];
  private scheduler: (tx: SqlRunner, eventIds: readonly number[]) => Promise<void> = async () => undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Adds what runs after notifications are written. */
  onWritten(listener: NotificationListener): void {
    this.listeners.push(listener);
  }

  /** Sets what wakes the job once an event is handed to it (the job queue, in the same transaction). */
  useScheduler(scheduler: (tx: SqlRunner, eventIds: readonly number[]) => Promise<void>): void {
    this.scheduler = scheduler;
  }

  /** The ids of the events of `events` that anyone is told of: $1 of {@link TELL_IF_FEW_CTES}. */
  toldOf(events: readonly RecordedEvent[]): number[] {
    // What a filing records alongside FILED (its first route) is part of the news of the filing.
    const filed = new Set(events.filter((e) => e.type === 'FILED').map((e) => e.itemId));
    return events.filter((e) => !QUIET_EVENT_TYPES.has(e.type) && (e.type === 'FILED' || !filed.has(e.itemId))).map((e) => e.id);
  }

  /**
   * What follows {@link TELL_IF_FEW_CTES} for the events `told`: the listeners hear of what was
   * written, or, when the audience was too large to write here, the events go to the job.
   */
  async settle(tx: SqlRunner, told: readonly number[], { n, written }: Telling): Promise<void> {
    if (n <= this.config.NOTIFY_INLINE_MAX) {
      await this.told(tx, written);
      return;
    }
    await tx.query(`INSERT INTO notification_fanout (event_id) SELECT unnest($1::int[]) ON CONFLICT DO NOTHING`, [told]);
    await this.scheduler(tx, told);
  }

  /**
   * The job's work: tells the audience of a handed-over event, once (a second run finds it done).
   * Returns how many were told.
   */
  async fanOut(eventId: number): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      const [row] = await tx.query<{ done_at: Date | null }[]>(`SELECT done_at FROM notification_fanout WHERE event_id = $1 FOR UPDATE`, [eventId]);
      if (!row || row.done_at) return 0;
      const written = await this.tell(tx, [eventId]);
      await tx.query(`UPDATE notification_fanout SET done_at = now(), notified = $2 WHERE event_id = $1`, [eventId, written]);
      return written;
    });
  }

  /** Events handed to the job and not yet told, oldest first (for a worker that starts late). */
  async pending(limit = 100): Promise<number[]> {
    const rows = await this.dataSource.query<{ event_id: number }[]>(`SELECT event_id FROM notification_fanout WHERE done_at IS NULL ORDER BY created_at LIMIT $1`, [limit]);
    return rows.map((r) => r.event_id);
  }

  private async tell(tx: SqlRunner, eventIds: readonly number[]): Promise<number> {
    const rows = await tx.query<WrittenRow[]>(
      `WITH audience AS (${AUDIENCE_SQL})
       INSERT INTO notification (user_id, item_id, event_id, reason)
       SELECT user_id, item_id, event_id, reason FROM audience
       ON CONFLICT (user_id, event_id) DO NOTHING
       RETURNING id, user_id, item_id, event_id, reason`,
      [eventIds],
    );
    return this.told(tx, rows);
  }

  /** Tells the listeners (mail) of the notifications just written; returns how many there were. */
  private async told(tx: SqlRunner, rows: readonly WrittenRow[]): Promise<number> {
    if (rows.length > 0 && this.listeners.length > 0) {
      const written = rows.map((r) => ({ id: Number(r.id), userId: r.user_id, itemId: r.item_id, eventId: r.event_id, reason: r.reason }));
      for (const listener of this.listeners) await listener(tx, written);
    }
    return rows.length;
  }
}
