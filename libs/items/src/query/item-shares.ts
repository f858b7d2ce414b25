import type { SqlRunner } from '@headwaters/core';
import { outsideQueryScope } from '@headwaters/database';

/** How long the shares are reused before PostgreSQL's statistics are read again. */
const TTL_MS = 60_000;

/** Each component's and each upstream's share (0 to 1) of all items, by id. */
export interface ItemShares {
  components: ReadonlyMap<number, number>;
  upstreams: ReadonlyMap<number, number>;
}

const NONE: ItemShares = { components: new Map(), upstreams: new Map() };

/**
 * Each component's and upstream's share of all items, from PostgreSQL's own statistics of
 * `item.component_id` and `item.route_upstream_id` (what ANALYZE saw), read at most once a
 * minute. Lists use them to choose how to read: a large subtree's page is found quickly walking
 * the whole order, a small one's by merging one short read per component; a search within a
 * small one goes straight to its items.
 */
export class ItemShareStats {
  private cached: { at: number; shares: ItemShares } | null = null;
  private loading: Promise<ItemShares> | null = null;

  constructor(private readonly db: SqlRunner) {}

  /**
   * The shares; empty maps before the table was first analysed. Requests arriving meanwhile share
   * one load, which therefore belongs to no request's scope (one client leaving must not cancel it
   * for the others).
   */
  async get(): Promise<ItemShares> {
    if (this.cached && Date.now() - this.cached.at < TTL_MS) return this.cached.shares;
    this.loading ??= outsideQueryScope(() => this.load()).finally(() => (this.loading = null));
    return this.loading;
  }

  private async load(): Promise<ItemShares> {
    const rows = await this.db.query<{ column: string; ids: number[] | null; freqs: number[] | null }[]>(
      `SELECT attname AS column, most_common_vals::text::int[] AS ids, most_common_freqs AS freqs
         FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'item' AND attname IN ('component_id', 'route_upstream_id')`,
    );
    const mapOf = (column: string) => {
      const row = rows.find((r) => r.column === column);
      return new Map((row?.ids ?? []).map((id, i) => [id, row?.freqs?.[i] ?? 0]));
    };
    const shares = rows.length ? { components: mapOf('component_id'), upstreams: mapOf('route_upstream_id') } : NONE;
    this.cached = { at: Date.now(), shares };
    return shares;
  }
}

/** The share of items with one of these ids; undefined when the statistics know none. */
export function shareOf(shares: ReadonlyMap<number, number>, ids: readonly number[]): number | undefined {
  if (shares.size === 0) return undefined;
  return ids.reduce((sum, id) => sum + (shares.get(id) ?? 0), 0);
}
