import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { DataSource } from 'typeorm';
import { CatalogueReader } from '@headwaters/catalogue';
import type { RequestContext } from '../graphql/request-context';
import { catalogueOf } from '../catalogue/catalogue-context';
import { Component, Release, Upstream } from '../catalogue/catalogue.types';
import { Route } from '../routing/route.type';
import { Forward } from './forward.type';
import { Bug, FeatureSuggestion, Item } from './item.type';

/** Item fields read from the catalogue (in memory) or, for affected releases, one batched query. */
@Resolver(() => Item)
export class ItemCatalogueFieldsResolver {
  constructor(private readonly reader: CatalogueReader) {}

  @ResolveField(() => Component, { nullable: true, description: 'The component it is filed against; null while in the triage inbox.' })
  async component(@Parent() item: Item, @Context() context: RequestContext): Promise<Component | null> {
    if (item.record.componentId === null) return null;
    const found = (await catalogueOf(context, this.reader)).components.get(item.record.componentId);
    return found ? Component.from(found) : null;
  }

  @ResolveField(() => Route, { nullable: true, description: 'Where it is routed, and why.' })
  route(@Parent() item: Item): Route {
    return Route.from(item.record.route);
  }

  @ResolveField(() => Forward, { nullable: true, description: 'Its forwarding to the upstream; null when nothing needs sending.' })
  forward(@Parent() item: Item): Forward | null {
    return item.record.forward ? Forward.from(item.record.forward) : null;
  }
}

@Resolver(() => Forward)
export class ForwardFieldsResolver {
  constructor(private readonly reader: CatalogueReader) {}

  @ResolveField(() => Upstream, { description: 'The upstream it goes to.' })
  async upstream(@Parent() forward: Forward, @Context() context: RequestContext): Promise<Upstream> {
    return Upstream.from((await catalogueOf(context, this.reader)).upstreams.get(forward.upstreamId)!);
  }
}

@Resolver(() => Bug)
export class BugFieldsResolver {
  constructor(
    private readonly reader: CatalogueReader,
    private readonly dataSource: DataSource,
  ) {}

  @ResolveField(() => [Release], { description: 'Releases where the bug shows.' })
  async affectedReleases(@Parent() bug: Bug, @Context() context: RequestContext): Promise<Release[]> {
    const ids = await context
      .loader<number, number[]>('affectedReleases', async (itemIds) => {
        const rows = await this.dataSource.query<{ item_id: number; release_id: number }[]>(
          `SELECT item_id, release_id FROM item_release WHERE item_id = ANY($1) ORDER BY release_id`,
          [itemIds],
        );
        return itemIds.map((id) => rows.filter((r) => r.item_id === id).map((r) => r.release_id));
      })
      .load(bug.record.id);
    const snapshot = await catalogueOf(context, this.reader);
    return ids.flatMap((id) => {
      const release = snapshot.releases.get(id);
      return release ? [Release.from(release)] : [];
    });
  }

  @ResolveField(() => Release, { nullable: true, description: 'The release that carries the fix.' })
  async fixedIn(@Parent() bug: Bug, @Context() context: RequestContext): Promise<Release | null> {
    const release = bug.record.fixedInId === null ? undefined : (await catalogueOf(context, this.reader)).releases.get(bug.record.fixedInId);
    return release ? Release.from(release) : null;
  }
}

@Resolver(() => FeatureSuggestion)
export class FeatureFieldsResolver {
  constructor(private readonly reader: CatalogueReader) {}

  @ResolveField(() => Release, { nullable: true, description: 'The release it is planned for.' })
  async plannedFor(@Parent() feature: FeatureSuggestion, @Context() context: RequestContext): Promise<Release | null> {
    const release = feature.record.plannedForId === null ? undefined : (await catalogueOf(context, this.reader)).releases.get(feature.record.plannedForId);
    return release ? Release.from(release) : null;
  }
}
