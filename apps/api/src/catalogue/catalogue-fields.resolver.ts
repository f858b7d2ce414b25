import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Args } from '../graphql/args.decorator';
import { CatalogueReader } from '@headwaters/catalogue';
import { ConnectionArgs, connectionOf, pageQueryOf, type ConnectionShape } from '@headwaters/graphql-kit';
import { sliceInMemory } from '@headwaters/database';
import { ItemQueryService } from '@headwaters/items';
import type { RequestContext } from '../graphql/request-context';
import { ItemConnection } from '../items/item-connections.type';
import { ItemsArgs } from '../items/item-filter.input';
import type { Item } from '../items/item.type';
import { itemConnection, itemPage } from '../items/items.resolver';
import { visibilityOf } from '../items/visibility-context';
import { catalogueOf } from './catalogue-context';
import { ComponentConnection } from './component-connection.type';
import { Component, Release, Upstream } from './catalogue.types';

@Resolver(() => Upstream)
export class UpstreamFieldsResolver {
  constructor(
    private readonly reader: CatalogueReader,
    private readonly itemQueries: ItemQueryService,
  ) {}

  @ResolveField(() => ComponentConnection, { description: 'The components it owns, its own or inherited, by slug.' })
  async components(@Parent() upstream: Upstream, @Args() args: ConnectionArgs, @Context() context: RequestContext): Promise<ConnectionShape<Component>> {
    const snapshot = await catalogueOf(context, this.reader);
    const owned = [...snapshot.components.values()].filter((c) => snapshot.ownership(c.id)?.owner.id === upstream.record.id).sort((a, b) => (a.slug < b.slug ? -1 : 1));
    const page = pageQueryOf(args, 'slug', ['string']);
    return connectionOf(sliceInMemory(owned, page, (c) => c.slug), page, 'slug', (c) => [c.slug], Component.from, async () => owned.length);
  }

  @ResolveField(() => ItemConnection, { description: 'Items routed to it, filtered and sorted like `items`.' })
  async items(@Parent() upstream: Upstream, @Args() args: ItemsArgs, @Context() context: RequestContext): Promise<ConnectionShape<Item>> {
    const order = args.orderBy ? { field: args.orderBy.field, direction: args.orderBy.direction } : null;
    return itemConnection(await this.itemQueries.list({ ...args.filter }, order, itemPage(args), await visibilityOf(context, this.reader), { upstreamId: upstream.record.id }));
  }
}

/** A release's roadmap: what is planned for it and what was fixed in it. */
@Resolver(() => Release)
export class ReleaseFieldsResolver {
  constructor(
    private readonly reader: CatalogueReader,
    private readonly itemQueries: ItemQueryService,
  ) {}

  @ResolveField(() => ItemConnection, { description: 'Feature suggestions planned for this release, filtered and sorted like `items`.' })
  async plannedItems(@Parent() release: Release, @Args() args: ItemsArgs, @Context() context: RequestContext): Promise<ConnectionShape<Item>> {
    return this.roadmap(args, context, { plannedForId: release.record.id });
  }

  @ResolveField(() => ItemConnection, { description: 'Bugs fixed in this release, filtered and sorted like `items`.' })
  async fixedItems(@Parent() release: Release, @Args() args: ItemsArgs, @Context() context: RequestContext): Promise<ConnectionShape<Item>> {
    return this.roadmap(args, context, { fixedInId: release.record.id });
  }

  private async roadmap(args: ItemsArgs, context: RequestContext, scope: { plannedForId?: number; fixedInId?: number }): Promise<ConnectionShape<Item>> {
    const order = args.orderBy ? { field: args.orderBy.field, direction: args.orderBy.direction } : null;
    return itemConnection(await this.itemQueries.list({ ...args.filter }, order, itemPage(args), await visibilityOf(context, this.reader), scope));
  }
}
