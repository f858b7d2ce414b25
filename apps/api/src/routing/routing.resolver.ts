import { Context, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Args } from '../graphql/args.decorator';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { DomainError } from '@headwaters/core';
import { COMPONENT_SLUG, UPSTREAM_SLUG } from '@headwaters/catalogue';
import { ItemQueryService, ItemVisibility, ItemRoutingService } from '@headwaters/items';
import { RoutingService } from '@headwaters/routing';
import type { RequestContext } from '../graphql/request-context';
import { ItemKind } from '../items/item-enums';
import { visibleItemOf } from '../items/visibility-context';
import { CatalogueReader } from '@headwaters/catalogue';
import { Item, toItem } from '../items/item.type';
import { Route } from './route.type';

@InputType({ description: "A maintainer's route for an item, instead of the ownership rules." })
export class RouteItemInput {
  @Field(() => ID, { description: 'The item.' })
  @IsString() @MaxLength(200)
  itemId!: string;

  @Field({ description: 'The upstream it goes to.' })
  @Matches(UPSTREAM_SLUG, { message: 'upstreamSlug must be an upstream slug' })
  upstreamSlug!: string;

  @Field({ description: 'Why, for people reading the item (3 to 500 characters).' })
  @IsString() @MinLength(3) @MaxLength(500)
  reason!: string;
}

@InputType({ description: 'Which item goes back to the ownership rules.' })
export class ResetRouteInput {
  @Field(() => ID, { description: 'The item.' })
  @IsString() @MaxLength(200)
  itemId!: string;
}

@ObjectType({ description: 'The item, as routed now.' })
export class RouteItemPayload {
  @Field(() => Item, { description: 'The item.' })
  item!: Item;
}

@Resolver(() => Route)
export class RoutingResolver {
  constructor(
    private readonly routing: RoutingService,
    private readonly itemRouting: ItemRoutingService,
    private readonly itemQueries: ItemQueryService,
    private readonly reader: CatalogueReader,
  ) {}

  @Query(() => Route, { description: 'Where an item on this component would be routed, and why, without filing anything.' })
  async previewRoute(
    @Args('componentSlug') componentSlug: string,
    @Args('kind', { type: () => ItemKind, description: 'Bugs and features route alike today; the kind is there for rules that differ.' }) _kind: string,
  ): Promise<Route> {
    if (!COMPONENT_SLUG.test(componentSlug)) throw DomainError.invalid('INVALID_SLUG', 'componentSlug must be a component slug such as xapi/xenopsd', 'componentSlug');
    const decision = await this.routing.preview(componentSlug);
    return Route.from({ ...decision, manual: false });
  }

  @Mutation(() => RouteItemPayload, { description: "Routes an item by hand (manual: true, your reason shown) until reset. The route's maintainers and admins." })
  async routeItem(@Args('input') input: RouteItemInput, @Context() context: RequestContext): Promise<RouteItemPayload> {
    const id = await this.visibleId(context, input.itemId);
    await this.itemRouting.setManualRoute(await context.actor(), id, input.upstreamSlug, input.reason);
    return { item: toItem((await this.itemQueries.byIds([id], ItemVisibility.ALL))[0]!) };
  }

  @Mutation(() => RouteItemPayload, { description: 'Gives a hand-routed item back to the ownership rules. The route\'s maintainers and admins.' })
  async resetRoute(@Args('input') input: ResetRouteInput, @Context() context: RequestContext): Promise<RouteItemPayload> {
    const id = await this.visibleId(context, input.itemId);
    await this.itemRouting.resetRoute(await context.actor(), id);
    return { item: toItem((await this.itemQueries.byIds([id], ItemVisibility.ALL))[0]!) };
  }

  /** The id of the item a mutation names, if the viewer may see it (else NOT_FOUND). */
  private async visibleId(context: RequestContext, globalId: string, field = 'itemId'): Promise<number> {
    return (await visibleItemOf(context, this.reader, this.itemQueries, globalId, field)).id;
  }
}
