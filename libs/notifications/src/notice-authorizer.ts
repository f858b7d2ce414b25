import { Injectable } from '@nestjs/common';
import { CatalogueReader } from '@headwaters/catalogue';
import type { Actor, SqlRunner } from '@headwaters/core';
import { ItemVisibility } from '@headwaters/items';

/**
 * Who may be told of an item: the inbox, mail, webhooks and live events ask here, at fan-out
 * and again when they deliver. For one viewer it is items' own {@link ItemVisibility}; for a
 * whole audience at once, {@link recipientMayKnowSql} states the same rule per recipient row.
 */
@Injectable()
export class NoticeAuthorizer {
  constructor(private readonly catalogue: CatalogueReader) {}

  /** Whether `actor` (null: anonymous) may know the item exists; false when it does not. */
  async canSee(tx: SqlRunner, actor: Actor | null, itemId: number): Promise<boolean> {
    return (await this.visibleTo(tx, actor, [itemId])).has(itemId);
  }

  /** The ids among `itemIds` that `actor` may know of. */
  async visibleTo(tx: SqlRunner, actor: Actor | null, itemIds: readonly number[]): Promise<Set<number>> {
    const params: unknown[] = [itemIds];
    const condition = ItemVisibility.of(actor, await this.catalogue.snapshot()).sql('i', params);
    const rows = await tx.query<{ id: number }[]>(`SELECT i.id FROM item i WHERE i.id = ANY($1) AND ${condition}`, params);
    return new Set(rows.map((r) => r.id));
  }
}

/**
 * SQL true when the user whose id is the expression `user` may know of the item aliased `item`:
 * the rule of {@link ItemVisibility}, per row. A PUBLIC item, or its reporter, an admin, a
 * maintainer of the upstream it is routed to or of a component on its component's lineage.
 */
export function recipientMayKnowSql(item: string, user: string): string {
  return `(${item}.visibility = 'PUBLIC' OR ${item}.reporter_id = ${user} OR EXISTS (
    SELECT 1 FROM role_grant g WHERE g.user_id = ${user}
       AND (g.role = 'ADMIN' OR g.upstream_id = ${item}.route_upstream_id OR g.component_id = ANY(component_lineage(${item}.component_id)))))`;
}
