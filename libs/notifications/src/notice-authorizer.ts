import { Injectable } from '@nestjs/common';
import { CatalogueReader } from '@headwaters/catalogue';
import type { Actor, SqlRunner } from '@headwaters/core';
import { eventNamedItemsSql, ItemVisibility } from '@headwaters/items';

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

  /**
   * For each of the events, what keeps `actor` from being told of it now: its item
   * (ITEM_HIDDEN), another item it names (NAMES_HIDDEN_ITEM), or nothing (null).
   */
  async eventVerdicts(tx: SqlRunner, actor: Actor | null, eventIds: readonly number[]): Promise<Map<number, 'ITEM_HIDDEN' | 'NAMES_HIDDEN_ITEM' | null>> {
    const params: unknown[] = [eventIds];
    const visibility = ItemVisibility.of(actor, await this.catalogue.snapshot());
    const item = visibility.sql('i', params);
    const named = visibility.eventSql('e', params);
    const rows = await tx.query<{ id: number; itemOk: boolean; namesOk: boolean }[]>(
      `SELECT e.id, (${item}) AS "itemOk", (${named}) AS "namesOk" FROM timeline_event e JOIN item i ON i.id = e.item_id WHERE e.id = ANY($1)`,
      params,
    );
    return new Map(rows.map((r) => [r.id, !r.itemOk ? 'ITEM_HIDDEN' : !r.namesOk ? 'NAMES_HIDDEN_ITEM' : null]));
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

/**
 * SQL true when the event aliased `event` names no other item (a duplicate link) that the user
 * whose id is the expression `user` may not know of.
 */
export function eventNamesKnownSql(event: string, user: string): string {
  return `NOT EXISTS (SELECT 1 FROM item r WHERE r.id IN ${eventNamedItemsSql(event)} AND NOT ${recipientMayKnowSql('r', user)})`;
}

/**
 * The `WHEN ... THEN` arms of a CASE giving why a notice of the event aliased `event` on the item
 * aliased `item` must be withheld now from the user whose id is `user` (`IGNORED`, `ITEM_HIDDEN`,
 * `NAMES_HIDDEN_ITEM`), asked when a mail is sent and when a digest is written.
 */
export function noticeWithheldSql(item: string, event: string, user: string): string {
  return `WHEN EXISTS (SELECT 1 FROM subscription x WHERE x.user_id = ${user} AND x.target_kind = 'ITEM' AND x.target_id = ${item}.id AND x.state = 'IGNORED') THEN 'IGNORED'
          WHEN NOT ${recipientMayKnowSql(item, user)} THEN 'ITEM_HIDDEN'
          WHEN NOT ${eventNamesKnownSql(event, user)} THEN 'NAMES_HIDDEN_ITEM'`;
}

/** SQL true when the event aliased `event` names only public items: what integrators' webhooks may carry. */
export function eventNamesOnlyPublicSql(event: string): string {
  return `NOT EXISTS (SELECT 1 FROM item r WHERE r.id IN ${eventNamedItemsSql(event)} AND r.visibility <> 'PUBLIC')`;
}
