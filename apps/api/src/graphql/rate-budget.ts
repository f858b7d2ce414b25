import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@headwaters/config';

const HOUR = 3_600_000;
const FLUSH_EVERY_MS = 1000;
/** Subjects kept in memory at most; past them the ones idle longest are forgotten (their points are in the database). */
const MAX_SUBJECTS = 100_000;

/** Where a subject stands in its hourly budget after a charge (GitHub's `rateLimit`). */
export interface BudgetState {
  /** Points this request cost. */
  cost: number;
  /** Points per hour. */
  limit: number;
  /** Points left in this hour, after this request. */
  remaining: number;
  /** When the hour ends and the budget is whole again. */
  resetAt: Date;
}

/** The charge did not fit in what is left of the hour. */
export class BudgetSpent extends Error {
  constructor(
    readonly state: BudgetState,
    readonly retryAfterSeconds: number,
  ) {
    super(`This request costs ${state.cost} points and ${state.remaining} of the ${state.limit} per hour are left: try again after ${state.resetAt.toISOString()}`);
  }
}

interface Entry {
  window: number;
  /** Total of the subject's window as the database last said (every instance's charges). */
  known: number;
  /** Charged here, not yet sent. */
  pending: number;
  /** Sent, not yet acknowledged. */
  inFlight: number;
  lastUsed: number;
}

/**
 * The hourly budget of the cost model, per signed-in user and per address of anonymous
 * requests, shared by every instance through PostgreSQL without a write per request: charges
 * add up in memory and each instance adds its sums to `api_usage` once a second, learning the
 * totals of the others from the same statement. The price of that: between two flushes, each
 * instance may let a subject overspend by about one second of its requests.
 */
@Injectable()
export class RateBudget implements OnModuleInit, OnModuleDestroy {
  private readonly entries = new Map<string, Entry>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private lastPrune = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  get limit(): number {
    return this.config.RATE_LIMIT_POINTS_PER_HOUR;
  }

  /** Charges `cost` to `subject`, or throws {@link BudgetSpent} (nothing charged) when it does not fit. */
  charge(subject: string, cost: number, now = Date.now()): BudgetState {
    const window = Math.floor(now / HOUR) * HOUR;
    const resetAt = new Date(window + HOUR);
    if (this.limit === 0) return { cost, limit: 0, remaining: 0, resetAt };
    let entry = this.entries.get(subject);
    if (!entry || entry.window !== window) {
      entry = { window, known: 0, pending: 0, inFlight: 0, lastUsed: now };
      this.entries.delete(subject);
      this.entries.set(subject, entry);
      if (this.entries.size > MAX_SUBJECTS) this.forgetIdle();
    }
    const used = entry.known + entry.inFlight + entry.pending;
    if (used + cost > this.limit) {
      throw new BudgetSpent({ cost, limit: this.limit, remaining: Math.max(0, this.limit - used), resetAt }, Math.max(1, Math.ceil((resetAt.getTime() - now) / 1000)));
    }
    entry.pending += cost;
    entry.lastUsed = now;
    return { cost, limit: this.limit, remaining: this.limit - used - cost, resetAt };
  }

  /** Sends what was charged since the last flush and learns every instance's totals. */
  flush(): Promise<void> {
    this.flushing ??= this.send().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush().catch(() => undefined);
  }

  private async send(): Promise<void> {
    const batch = [...this.entries].filter(([, e]) => e.pending > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (batch.length === 0) return;
    for (const [, entry] of batch) {
      entry.inFlight = entry.pending;
      entry.pending = 0;
    }
    try {
      const rows = await this.dataSource.query<{ subject: string; window: number; points: string }[]>(
        `INSERT INTO api_usage (subject, window_start, points)
         SELECT s, to_timestamp(w / 1000.0), p FROM unnest($1::text[], $2::float8[], $3::bigint[]) AS u(s, w, p)
         ON CONFLICT (subject, window_start) DO UPDATE SET points = api_usage.points + EXCLUDED.points
         RETURNING subject, (extract(epoch FROM window_start) * 1000)::float8 AS window, points`,
        [batch.map(([s]) => s), batch.map(([, e]) => e.window), batch.map(([, e]) => e.inFlight)],
      );
      const totals = new Map(rows.map((r) => [`${r.subject}|${r.window}`, Number(r.points)]));
      for (const [subject, entry] of batch) {
        const total = totals.get(`${subject}|${entry.window}`);
        if (total !== undefined) entry.known = Math.max(entry.known + entry.inFlight, total);
        entry.inFlight = 0;
      }
    } catch (error) {
      // The database is away: keep the points and send them with the next flush.
      for (const [, entry] of batch) {
        entry.pending += entry.inFlight;
        entry.inFlight = 0;
      }
      throw error;
    }
    await this.prune();
  }

  private async prune(now = Date.now()): Promise<void> {
    if (now - this.lastPrune < 60_000) return;
    this.lastPrune = now;
    const current = Math.floor(now / HOUR) * HOUR;
    for (const [subject, entry] of this.entries) {
      if (entry.window < current && entry.pending === 0 && entry.inFlight === 0) this.entries.delete(subject);
    }
    await this.dataSource.query(`DELETE FROM api_usage WHERE window_start < now() - interval '2 hours'`);
  }

  private forgetIdle(): void {
    // Map order is insertion order, and a charge re-inserts only on a new window: drop the oldest
    // that have nothing left to send.
    for (const [subject, entry] of this.entries) {
      if (this.entries.size <= MAX_SUBJECTS * 0.9) break;
      if (entry.pending === 0 && entry.inFlight === 0) this.entries.delete(subject);
    }
  }
}
