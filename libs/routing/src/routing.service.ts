import { Injectable } from '@nestjs/common';
import { CatalogueReader } from '@headwaters/catalogue';
import { slugNotFound } from '@headwaters/core';
import { decideRoute, type RouteDecision } from './route-rules';

/** A route decided now, for a preview. */
export interface PreviewedRoute extends RouteDecision {
  decidedAt: Date;
}

/**
 * Routing as a service: where an item would go, and why, before anything is filed. The rules
 * themselves are pure (`decideRoute`); applying a route to an item is the items library's.
 */
@Injectable()
export class RoutingService {
  constructor(private readonly reader: CatalogueReader) {}

  /** Where an item on this component would go, and why, without filing anything. */
  async preview(componentSlug: string): Promise<PreviewedRoute> {
    const snapshot = await this.reader.snapshot();
    const component = snapshot.componentBySlug(componentSlug);
    if (!component) throw slugNotFound('component', componentSlug, 'componentSlug');
    return { ...decideRoute(snapshot, component.id), decidedAt: new Date() };
  }
}
