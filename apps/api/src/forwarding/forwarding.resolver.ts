import { Context, Mutation, Resolver } from '@nestjs/graphql';
import { ForwardingService } from '@headwaters/forwarding';
import { ItemQueryService, ItemVisibility } from '@headwaters/items';
import { Args } from '../graphql/args.decorator';
import type { RequestContext } from '../graphql/request-context';
import { visibleItemOf } from '../items/visibility-context';
import { CatalogueReader } from '@headwaters/catalogue';
import { toItem } from '../items/item.type';
import { Forward } from './forward.type';
import { ForwardInput, ForwardPayload, RecordUpstreamOutcomeInput } from './forwarding.inputs';

/** The forwarding record: forwards and what upstreams did with them. */
@Resolver()
export class ForwardingResolver {
  constructor(
    private readonly forwarding: ForwardingService,
    private readonly itemQueries: ItemQueryService,
    private readonly reader: CatalogueReader,
  ) {}

  @Mutation(() => ForwardPayload, { description: "Records that an item was forwarded to the upstream it is routed to, with that upstream's reference. The route's maintainers and admins." })
  async forward(@Args('input') input: ForwardInput, @Context() context: RequestContext): Promise<ForwardPayload> {
    const id = await this.visibleId(context, input.itemId);
    const forward = await this.forwarding.forward(await context.actor(), id, input.reference, input.upstreamSlug);
    return { item: await this.item(id), forward: Forward.from(forward) };
  }

  @Mutation(() => ForwardPayload, { description: 'Records what the upstream did with a forwarded item: UPSTREAM_FIXED or UPSTREAM_REJECTED. The route\'s maintainers and admins.' })
  async recordUpstreamOutcome(@Args('input') input: RecordUpstreamOutcomeInput, @Context() context: RequestContext): Promise<ForwardPayload> {
    const id = await this.visibleId(context, input.itemId);
    const forward = await this.forwarding.setUpstreamOutcome(await context.actor(), id, input.state);
    return { item: await this.item(id), forward: Forward.from(forward) };
  }

  private async item(id: number) {
    return toItem((await this.itemQueries.byIds([id], ItemVisibility.ALL))[0]!);
  }

  /** The id of the item a mutation names, if the viewer may see it (else NOT_FOUND). */
  private async visibleId(context: RequestContext, globalId: string, field = 'itemId'): Promise<number> {
    return (await visibleItemOf(context, this.reader, this.itemQueries, globalId, field)).id;
  }
}
