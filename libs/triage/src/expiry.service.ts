import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@headwaters/config';
import { recordEvents } from '@headwaters/core';

/**
 * Needs-info expiry: an INCOMPLETE item whose reporter has not answered for
 * NEEDS_INFO_EXPIRY_DAYS becomes EXPIRED, unless 2 or more people voted for it or it was
 * forwarded. One transaction changes the items and writes their EXPIRED events, so a run is atomic
 * and idempotent, and runs of several instances at once are safe (row locks, re-checked WHERE).
 */
@Injectable()
export class ExpiryService implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Expires what is stale as of `now`; returns the expired items' ids. */
  async expireStale(now: Date = new Date()): Promise<number[]> {
    const days = this.config.NEEDS_INFO_EXPIRY_DAYS;
    return this.dataSource.transaction(async (tx) => {
      const rows = await tx.query<{ item_id: number }[]>(
        `WITH expired AS (
           UPDATE item SET status = 'EXPIRED', incomplete_since = NULL, updated_at = now()
            WHERE status = 'INCOMPLETE' AND incomplete_since < $1::timestamptz - make_interval(days => $2)
              AND vote_count < 2
              AND (forward_state IS NULL OR forward_state IN ('NOT_NEEDED', 'PENDING'))
            RETURNING id)
         SELECT id AS item_id FROM expired ORDER BY id`,
        [now, days],
      );
      await recordEvents(tx, rows.map((r) => ({ itemId: r.item_id, type: 'EXPIRED' as const, actorId: null, summary: `Expired: no answer from the reporter for ${days} days`, data: { days } })));
      return rows.map((r) => r.item_id);
    });
  }

  onApplicationBootstrap(): void {
    const seconds = this.config.EXPIRY_INTERVAL_SECONDS;
    if (seconds <= 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.expireStale()
        .catch(() => undefined)
        .finally(() => (this.running = undefined));
    }, seconds * 1000);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
