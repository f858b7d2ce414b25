import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, recordEvents, type Actor, type SqlRunner } from '@headwaters/core';
import { CatalogueAdminService, CatalogueReader, type CatalogueSnapshot } from '@headwaters/catalogue';
import { authorize } from '@headwaters/identity';
import { itemStore, policyTargetOf, type RouteDecider } from '@headwaters/items';
import { decideRoute, type RouteDecision } from './route-rules';

/** A route decided now, for a preview. */
export interface PreviewedRoute extends RouteDecision {
  decidedAt: Date;
}

export const MAX_REASON = 500;

/**
 * Routing with persistence: decides routes for filing, previews them, re-routes the items that
 * follow a component when its ownership changes, and lets maintainers set a route by hand.
 */
@Injectable()
export class RoutingService implements RouteDecider, OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: CatalogueReader,
    private readonly catalogueAdmin: CatalogueAdminService,
  ) {}

  onModuleInit(): void {
    this.catalogueAdmin.onOwnershipChange(async (tx, componentIds, actorId) => void (await this.rerouteComponents(tx, componentIds, actorId)));
  }

  async decide(tx: SqlRunner, componentId: number | null): Promise<RouteDecision> {
    return decideRoute(await this.reader.fresh(tx), componentId);
  }

  /** Where an item on this component would go, and why, without filing anything. */
  async preview(componentSlug: string): Promise<PreviewedRoute> {
    const snapshot = await this.reader.snapshot();
    const component = snapshot.componentBySlug(componentSlug);
    if (!component) throw DomainError.notFound('COMPONENT_NOT_FOUND', `componentSlug: no component has the slug "${componentSlug}"`, 'componentSlug');
    return { ...decideRoute(snapshot, component.id), decidedAt: new Date() };
  }

  /**
   * Re-routes the open items on these components whose route was not set by hand, one
   * statement per component: their route columns change and each gets a ROUTED event.
   */
  async rerouteComponents(tx: SqlRunner, componentIds: readonly number[], actorId: number | null): Promise<number> {
    const snapshot = await this.reader.fresh(tx);
    let rerouted = 0;
    for (const componentId of componentIds) {
      const decision = decideRoute(snapshot, componentId);
      const rows = await tx.query<{ item_id: number }[]>(
        `WITH changed AS (
           UPDATE item SET route_upstream_id = $2::int, route_component_id = $1::int, route_reason = $3::text, route_decided_at = now(), updated_at = now(),
                  forward_upstream_id = CASE WHEN forward_state = 'PENDING' THEN (CASE WHEN $4::boolean THEN NULL ELSE $2::int END) ELSE forward_upstream_id END,
                  forward_state = CASE WHEN forward_state = 'PENDING' AND $4::boolean THEN NULL ELSE forward_state END
            WHERE component_id = $1::int AND NOT closed AND NOT route_manual
              AND (route_upstream_id <> $2::int OR route_reason <> $3::text OR route_component_id IS DISTINCT FROM $1::int)
            RETURNING id)
         SELECT id AS item_id FROM changed ORDER BY id`,
        [componentId, decision.upstreamId, decision.reason, handledHere(snapshot, decision.upstreamId)],
      );
      const data = { upstreamId: decision.upstreamId, componentId };
      await recordEvents(tx, rows.map((r) => ({ itemId: r.item_id, type: 'ROUTED' as const, actorId, summary: `Re-routed: ${decision.reason}`, data })));
      rerouted += rows.length;
    }
    return rerouted;
  }

  /** Routes one item by the rules again (its component changed); a route set by hand is replaced. */
  async rerouteItem(tx: SqlRunner, itemId: number, actorId: number | null): Promise<void> {
    const item = await itemStore.lockOne(tx, itemId);
    const snapshot = await this.reader.fresh(tx);
    const decision = decideRoute(snapshot, item.componentId);
    await this.apply(tx, itemId, decision, false, snapshot, actorId, `Re-routed: ${decision.reason}`);
  }

  /** A maintainer's or admin's route, kept until reset: `manual` is true and their reason shown. */
  async setManualRoute(actor: Actor | null, itemId: number, upstreamSlug: string, reason: string): Promise<void> {
    const text = reason.trim();
    if (text.length < 3 || text.length > MAX_REASON) throw DomainError.invalid('INVALID_REASON', `reason must be 3 to ${MAX_REASON} characters`, 'reason');
    await this.dataSource.transaction(async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const who = authorize(actor, 'item.route', await policyTargetOf(tx, item));
      const snapshot = await this.reader.fresh(tx);
      const upstream = snapshot.upstreamBySlug(upstreamSlug);
      if (!upstream) throw DomainError.notFound('UPSTREAM_NOT_FOUND', `upstreamSlug: no upstream has the slug "${upstreamSlug}"`, 'upstreamSlug');
      if (upstream.retiredAt) throw DomainError.invalid('UPSTREAM_RETIRED', `upstreamSlug: the upstream "${upstreamSlug}" is retired`, 'upstreamSlug');
      const decision = { upstreamId: upstream.id, componentId: item.componentId, reason: text };
      await this.apply(tx, itemId, decision, true, snapshot, who.userId, `${who.username} routed it to ${upstream.name} by hand: ${text}`);
    });
  }

  /** Drops a route set by hand: the rules decide again. */
  async resetRoute(actor: Actor | null, itemId: number): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const who = authorize(actor, 'item.route', await policyTargetOf(tx, item));
      if (!item.route.manual) throw DomainError.conflict('NOT_MANUAL', 'The route was not set by hand; there is nothing to reset', 'itemId');
      const snapshot = await this.reader.fresh(tx);
      const decision = decideRoute(snapshot, item.componentId);
      await this.apply(tx, itemId, decision, false, snapshot, who.userId, `Routed by the rules again: ${decision.reason}`);
    });
  }

  private async apply(tx: SqlRunner, itemId: number, decision: RouteDecision, manual: boolean, snapshot: CatalogueSnapshot, actorId: number | null, summary: string): Promise<void> {
    await tx.query(
      `UPDATE item SET route_upstream_id = $2::int, route_component_id = $3::int, route_reason = $4, route_manual = $5, route_decided_at = now(), updated_at = now(),
              forward_upstream_id = CASE WHEN forward_state = 'PENDING' THEN (CASE WHEN $6::boolean THEN NULL ELSE $2::int END) ELSE forward_upstream_id END,
              forward_state = CASE WHEN forward_state = 'PENDING' AND $6::boolean THEN NULL ELSE forward_state END
        WHERE id = $1`,
      [itemId, decision.upstreamId, decision.componentId, decision.reason, manual, handledHere(snapshot, decision.upstreamId)],
    );
    await recordEvents(tx, [{ itemId, type: 'ROUTED', actorId, summary, data: { upstreamId: decision.upstreamId, componentId: decision.componentId, manual } }]);
  }
}

function handledHere(snapshot: CatalogueSnapshot, upstreamId: number): boolean {
  return snapshot.upstreams.get(upstreamId)?.forwarding === 'HANDLED_HERE';
}
