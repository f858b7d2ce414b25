import type { SqlRunner } from '@headwaters/core';

/** How long the shares are reused before PostgreSQL's statistics are read again. */
const TTL_MS = 60_000;

/**
 * Each component's share of all items, from PostgreSQL's own statistics of `item.component_id`
 * (what ANALYZE saw), read at most once a minute. Lists use it to choose how to read a subtree:
 * a large subtree's page is found quickly walking the whole order, a small one's by merging one
 * short read per component.
 */
export class ComponentShares {
  private cached: { at: number; shares: Map<number, number> } | null = null;
  private loading: Promise<Map<number, number>> | null = null;

  constructor(private readonly db: SqlRunner) {}

  /** The shares (0 to 1) by component id; empty before the table was first analysed. */
  async get(): Promise<Map<number, number>> {
    if (this.cached && Date.now() - this.cached.at < TTL_MS) return this.cached.shares;
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  private async load(): Promise<Map<number, number>> {
    const rows = await this.db.query<{ ids: number[] | null; freqs: number[] | null }[]>(
      `SELECT most_common_vals::text::int[] AS ids, most_common_freqs AS freqs
         FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'item' AND attname = 'component_id'`,
    );
    const shares = new Map<number, number>();
    const [row] = rows;
    row?.ids?.forEach((id, i) => shares.set(id, row.freqs?.[i] ?? 0));
    this.cached = { at: Date.now(), shares };
    return shares;
  }
}

/** The share of items in these components; undefined when the statistics know none of them. */
export function shareOf(shares: ReadonlyMap<number, number>, componentIds: readonly number[]): number | undefined {
  if (shares.size === 0) return undefined;
  return componentIds.reduce((sum, id) => sum + (shares.get(id) ?? 0), 0);
}
