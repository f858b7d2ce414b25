import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueAdminService, CatalogueReader } from '@headwaters/catalogue';
import type { Actor } from '@headwaters/core';
import { inTransaction } from '@headwaters/database';
import { authorize } from '@headwaters/identity';
import { decideRoute } from '@headwaters/routing';
import { itemStore, policyTargetOf } from '../item-store';
import { itemsError } from '../items.reasons';
import { ItemRouteWriter } from '../writes/item-routes';

export const MAX_REASON = 500;

/**
 * The routing use cases on items: a maintainer's route by hand, back to the rules, and the
 * re-routing of open items when a component's ownership changes (told by the catalogue).
 */
@Injectable()
export class ItemRoutingService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: CatalogueReader,
    private readonly catalogueAdmin: CatalogueAdminService,
    private readonly routes: ItemRouteWriter,
  ) {}

  onModuleInit(): void {
    this.catalogueAdmin.onOwnershipChange(async (tx, componentIds, actorId) => void (await this.routes.rerouteComponents(tx, componentIds, actorId)));
  }

  /** A maintainer's or admin's route, kept until reset: `manual` is true and their reason shown. */
  async setManualRoute(actor: Actor | null, itemId: number, upstreamSlug: string, reason: string): Promise<void> {
    const text = reason.trim();
    if (text.length < 3 || text.length > MAX_REASON) throw itemsError('INVALID_REASON', `reason must be 3 to ${MAX_REASON} characters`, 'reason');
    await inTransaction(this.dataSource, async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const snapshot = await this.reader.fresh(tx);
      const who = authorize(actor, 'item.route', policyTargetOf(snapshot, item));
      const upstream = snapshot.usableUpstream(upstreamSlug, 'upstreamSlug');
      const decision = { upstreamId: upstream.id, componentId: item.componentId, reason: text };
      await this.routes.apply(tx, itemId, decision, { manual: true, actorId: who.userId, summary: `${who.username} routed it to ${upstream.name} by hand: ${text}`, snapshot });
    });
  }

  /** Drops a route set by hand: the rules decide again. */
  async resetRoute(actor: Actor | null, itemId: number): Promise<void> {
    await inTransaction(this.dataSource, async (tx) => {
      const item = await itemStore.lockOne(tx, itemId);
      const snapshot = await this.reader.fresh(tx);
      const who = authorize(actor, 'item.route', policyTargetOf(snapshot, item));
      if (!item.route.manual) throw itemsError('NOT_MANUAL', 'The route was not set by hand; there is nothing to reset', 'itemId');
      const decision = decideRoute(snapshot, item.componentId);
      await this.routes.apply(tx, itemId, decision, { manual: false, actorId: who.userId, summary: `Routed by the rules again: ${decision.reason}`, snapshot });
    });
  }
}
