import type { CatalogueSnapshot } from '@headwaters/catalogue';
import type { Actor } from '@headwaters/core';
import { isAdmin } from '@headwaters/identity';
import type { ItemRecord } from '../item.record';

/**
 * The ids of the other items a timeline event names (a duplicate, an original, the duplicate it
 * followed), as a SQL row of ints over the event aliased `event`: an event naming an item its
 * viewer may not see is left out wherever events are read (timelines, nodes, notifications).
 */
export function eventNamedItemsSql(event: string): string {
  return `((${event}.data->>'duplicateId')::int, (${event}.data->>'originalId')::int, (${event}.data->>'via')::int)`;
}

/** The parts of an item that decide who may know it exists. */
export type VisibilityFacts = Pick<ItemRecord, 'visibility' | 'reporterId' | 'componentId'> & { route: Pick<ItemRecord['route'], 'upstreamId'> };

/**
 * Who may know that an item exists: the one rule every read of items applies (lists, search,
 * counts, look-alikes, `item`, `node`, timelines, attachments, votes), in SQL for queries and in
 * code for records already read. A PUBLIC item is seen by everyone. An embargoed SECURITY report
 * is seen only by its reporter, maintainers of the upstream it is routed to or of a component
 * subtree holding its component (as `maintains` in the policy), and admins; for everyone else it
 * does not exist.
 *
 * Built once per viewer from their grants and the catalogue (component grants become the ids of
 * their subtrees), so the SQL needs no join. Anonymous viewers get the cheapest condition there
 * is, `visibility = 'PUBLIC'`, and admins none.
 */
export class ItemVisibility {
  private constructor(
    /** `all`: admins; `public`: anonymous; `scoped`: a signed-in user, with what they maintain. */
    readonly kind: 'all' | 'public' | 'scoped',
    readonly userId: number | null,
    readonly upstreamIds: readonly number[],
    readonly componentIds: readonly number[],
  ) {}

  /** What anonymous viewers (and anything sent to the public: mails, webhooks) may see. */
  static readonly PUBLIC = new ItemVisibility('public', null, [], []);

  /** Everything: for the system's own reads (jobs, use cases that check rights themselves). */
  static readonly ALL = new ItemVisibility('all', null, [], []);

  /** What `actor` (null: anonymous) may see. */
  static of(actor: Actor | null, catalogue: CatalogueSnapshot): ItemVisibility {
    if (!actor) return ItemVisibility.PUBLIC;
    if (isAdmin(actor)) return ItemVisibility.ALL;
    const upstreamIds = new Set<number>();
    const componentIds = new Set<number>();
    for (const grant of actor.grants) {
      if (grant.role !== 'MAINTAINER') continue;
      if (grant.upstreamId !== null) upstreamIds.add(grant.upstreamId);
      if (grant.componentId !== null) for (const c of catalogue.subtree(grant.componentId)) componentIds.add(c.id);
    }
    return new ItemVisibility('scoped', actor.userId, [...upstreamIds].sort((a, b) => a - b), [...componentIds].sort((a, b) => a - b));
  }

  /** Whether the viewer may know this item exists. */
  allows(item: VisibilityFacts): boolean {
    if (item.visibility === 'PUBLIC' || this.kind === 'all') return true;
    if (this.kind === 'public') return false;
    return (
      item.reporterId === this.userId ||
      this.upstreamIds.includes(item.route.upstreamId) ||
      (item.componentId !== null && this.componentIds.includes(item.componentId))
    );
  }

  /** The same rule as a SQL condition over the item table aliased `alias`; values go into `params`. */
  sql(alias: string, params: unknown[]): string {
    if (this.kind === 'all') return 'TRUE';
    const isPublic = `${alias}.visibility = 'PUBLIC'`;
    if (this.kind === 'public') return isPublic;
    const conditions = [isPublic];
    params.push(this.userId);
    conditions.push(`${alias}.reporter_id = $${params.length}`);
    if (this.upstreamIds.length) {
      params.push(this.upstreamIds);
      conditions.push(`${alias}.route_upstream_id = ANY($${params.length}::int[])`);
    }
    if (this.componentIds.length) {
      params.push(this.componentIds);
      conditions.push(`${alias}.component_id = ANY($${params.length}::int[])`);
    }
    return `(${conditions.join(' OR ')})`;
  }

  /** SQL true unless the event aliased `event` names an item the viewer may not see. */
  eventSql(event: string, params: unknown[]): string {
    if (this.kind === 'all') return 'TRUE';
    return `NOT EXISTS (SELECT 1 FROM item r WHERE r.id IN ${eventNamedItemsSql(event)} AND NOT ${this.sql('r', params)})`;
  }

  /** Keeps the records the viewer may see; null in place of the others (key order kept). */
  filter<R extends VisibilityFacts>(records: readonly (R | null)[]): (R | null)[] {
    return records.map((r) => (r && this.allows(r) ? r : null));
  }
}
