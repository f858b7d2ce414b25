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
import { catalogueOf } from './catalogue-context';
import { ComponentConnection } from './component-connection.type';
import { Component, Upstream } from './catalogue.types';

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
    const page = pageQueryOf(args, 'slug', 1);
    return connectionOf(sliceInMemory(owned, page, (c) => c.slug), page, 'slug', (c) => [c.slug], Component.from, async () => owned.length);
  }

  @ResolveField(() => ItemConnection, { description: 'Items routed to it, filtered and sorted like `items`.' })
  async items(@Parent() upstream: Upstream, @Args() args: ItemsArgs): Promise<ConnectionShape<Item>> {
    const order = args.orderBy ? { field: args.orderBy.field, direction: args.orderBy.direction } : null;
    return itemConnection(await this.itemQueries.list({ ...args.filter }, order, itemPage(args), { upstreamId: upstream.record.id }));
  }
}

@Resolver(() => Component)
export class ComponentFieldsResolver {
  constructor(private readonly reader: CatalogueReader) {}

  @ResolveField(() => Component, { nullable: true, description: 'The component it belongs to; null for a root.' })
  async parent(@Parent() component: Component, @Context() context: RequestContext): Promise<Component | null> {
    if (component.record.parentId === null) return null;
    const parent = (await catalogueOf(context, this.reader)).components.get(component.record.parentId);
    return parent ? Component.from(parent) : null;
  }

  @ResolveField(() => [Component], { description: 'The components right below it, by slug.' })
  async children(@Parent() component: Component, @Context() context: RequestContext): Promise<Component[]> {
    return (await catalogueOf(context, this.reader)).children(component.record.id).map(Component.from);
  }

  @ResolveField(() => Upstream, { description: 'The upstream that owns this component: its own, or inherited from the nearest ancestor.' })
  async owner(@Parent() component: Component, @Context() context: RequestContext): Promise<Upstream> {
    const ownership = (await catalogueOf(context, this.reader)).ownership(component.record.id);
    if (!ownership) throw new Error(`component ${component.slug} has no owner`);
    return Upstream.from(ownership.owner);
  }

  @ResolveField(() => Component, { nullable: true, description: 'Where the owner comes from when inherited: the nearest ancestor with an owner of its own; null when the component has its own.' })
  async ownerInheritedFrom(@Parent() component: Component, @Context() context: RequestContext): Promise<Component | null> {
    const ownership = (await catalogueOf(context, this.reader)).ownership(component.record.id);
    return ownership && ownership.source.id !== component.record.id ? Component.from(ownership.source) : null;
  }
}
