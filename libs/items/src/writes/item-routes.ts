import { Injectable } from '@nestjs/common';
import { CatalogueReader, type CatalogueSnapshot } from '@headwaters/catalogue';
import { recordEvents, type SqlRunner } from '@headwaters/core';
import { decideRoute, type RouteDecision } from '@headwaters/routing';
import { itemStore } from '../item-store';
import { ItemEvents } from './item-events';

/** How a route is applied: set by hand or by the rules, by whom, and the sentence of its event. */
export interface ApplyRoute {
  manual: boolean;
  actorId: number | null;
  summary: string;
  /** The catalogue as the transaction sees it. */
  snapshot: CatalogueSnapshot;
}

/**
 * Every write of an item's route: one item's (by hand or by the rules) and the open items of
 * components whose ownership changed. Each change records its ROUTED event and tells
 * {@link ItemEvents} (forwarding moves a pending forward along).
 */
@Injectable()
export class ItemRouteWriter {
  constructor(
    private readonly reader: CatalogueReader,
    private readonly events: ItemEvents,
  ) {}

  /** Sets one item's route. */
  async apply(tx: SqlRunner, itemId: number, decision: RouteDecision, how: ApplyRoute): Promise<void> {
    await tx.query(
      `UPDATE item SET route_upstream_id = $2::int, route_component_id = $3::int, route_reason = $4, route_manual = $5, route_decided_at = now(), updated_at = now()
        WHERE id = $1`,
      [itemId, decision.upstreamId, decision.componentId, decision.reason, how.manual],
    );
    await recordEvents(tx, [{ itemId, type: 'ROUTED', actorId: how.actorId, summary: how.summary, data: { upstreamId: decision.upstreamId, componentId: decision.componentId, manual: how.manual } }]);
    await this.events.routed(tx, [{ itemId, upstreamId: decision.upstreamId }], how.snapshot);
  }

  /** Routes one item by the rules again (its component changed); a route set by hand is replaced. */
  async rerouteItem(tx: SqlRunner, itemId: number, actorId: number | null): Promise<void> {
    const item = await itemStore.lockOne(tx, itemId);
    const snapshot = await this.reader.fresh(tx);
    const decision = decideRoute(snapshot, item.componentId);
    await this.apply(tx, itemId, decision, { manual: false, actorId, summary: `Re-routed: ${decision.reason}`, snapshot });
  }

  /**
   * Re-routes the open items on these components whose route was not set by hand, one
   * statement per component: their route columns change and each gets a ROUTED event (through
   * recordEvents, like every event).
   */
  async rerouteComponents(tx: SqlRunner, componentIds: readonly number[], actorId: number | null): Promise<number> {
    const snapshot = await this.reader.fresh(tx);
    let rerouted = 0;
    for (const componentId of componentIds) {
      const decision = decideRoute(snapshot, componentId);
      const rows = await tx.query<{ item_id: number }[]>(
        `WITH changed AS (
           UPDATE item SET route_upstream_id = $2::int, route_component_id = $1::int, route_reason = $3::text, route_decided_at = now(), updated_at = now()
            WHERE component_id = $1::int AND NOT closed AND NOT route_manual
              AND (route_upstream_id <> $2::int OR route_reason <> $3::text OR route_component_id IS DISTINCT FROM $1::int)
            RETURNING id)
         SELECT id AS item_id FROM changed ORDER BY id`,
        [componentId, decision.upstreamId, decision.reason],
      );
      const data = { upstreamId: decision.upstreamId, componentId };
      await recordEvents(tx, rows.map((r) => ({ itemId: r.item_id, type: 'ROUTED' as const, actorId, summary: `Re-routed: ${decision.reason}`, data })));
      await this.events.routed(tx, rows.map((r) => ({ itemId: r.item_id, upstreamId: decision.upstreamId })), snapshot);
      rerouted += rows.length;
    }
    return rerouted;
  }
}
