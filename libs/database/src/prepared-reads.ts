import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import type { SqlRunner } from '@headwaters/core';
import { watchPool } from './query-scope';
import { registerTypeParsers } from './timestamps';

/** How the pool's sessions name themselves to the server (`pg_stat_activity.application_name`). */
export const APPLICATION_NAME = 'headwaters-prepared';

/** Distinct statements kept prepared; beyond them, statements go to the fallback runner. */
export const MAX_PREPARED_STATEMENTS = 200;

/** A pg pool's connections: open, idle, and callers waiting for one. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** The counts of a pg pool. */
export function poolStatsOf(pool: Pick<Pool, 'totalCount' | 'idleCount' | 'waitingCount'>): PoolStats {
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

/**
 * Runs read statements prepared once per connection and executed with their generic plan, on a
 * pool of its own whose sessions use `plan_cache_mode = force_generic_plan`.
 *
 * For statements whose best plan does not depend on their parameters' values, this saves
 * planning on every run: a relevance search's statement takes longer to plan (0.5–1 ms) than a
 * common search takes to run. PostgreSQL would not choose the generic plan by itself there: its
 * estimates with unknown values look costlier than with known ones, though the plan is the same.
 * Only statements written for it belong here (see `listItems`); any other keeps its custom plan
 * on the main pool.
 *
 * Each distinct text is prepared under a name taken from its hash. The texts come from code (a
 * filter's shape, not its values), so they are few; past {@link MAX_PREPARED_STATEMENTS} of them,
 * new texts run on `fallback`, which bounds what the sessions hold.
 */
export class PreparedReads implements SqlRunner {
  private readonly pool: Pool;
  private readonly names = new Map<string, string>();

  constructor(
    url: string,
    size: number,
    private readonly fallback: SqlRunner,
    statementTimeoutMs?: number,
  ) {
    registerTypeParsers();
    const timeout = statementTimeoutMs ? ` -c statement_timeout=${Math.floor(statementTimeoutMs)}` : '';
    this.pool = new Pool({ connectionString: url, max: size, application_name: APPLICATION_NAME, options: `-c plan_cache_mode=force_generic_plan${timeout}` });
    // A connection the server closes while idle (a restart, a shutdown, an administrator) leaves
    // the pool, and the next read opens another; unheard, its error would end the process.
    this.pool.on('error', () => undefined);
    watchPool(this.pool);
  }

  async query<T = unknown>(sql: string, parameters: unknown[] = []): Promise<T> {
    const name = this.nameOf(sql);
    if (!name) return this.fallback.query<T>(sql, parameters);
    const result = await this.pool.query({ name, text: sql, values: parameters });
    return result.rows as T;
  }

  /** Connections of the pool: open, idle, and callers waiting for one (for metrics). */
  poolStats(): PoolStats {
    return poolStatsOf(this.pool);
  }

  /** How many distinct statements are prepared (for tests and diagnostics). */
  get prepared(): number {
    return this.names.size;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private nameOf(sql: string): string | null {
    const known = this.names.get(sql);
    if (known) return known;
    if (this.names.size >= MAX_PREPARED_STATEMENTS) return null;
    const name = `hw_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`;
    this.names.set(sql, name);
    return name;
  }
}
