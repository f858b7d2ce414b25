import { Context, Mutation, Resolver } from '@nestjs/graphql';
import { ForwardingService } from '@headwaters/forwarding';
import { ItemQueryService } from '@headwaters/items';
import { Args } from '../graphql/args.decorator';
import type { RequestContext } from '../graphql/request-context';
import { itemIdOf } from '../items/item-id';
import { toItem } from '../items/item.type';
import { Forward } from './forward.type';
import { ForwardInput, ForwardPayload, RecordUpstreamOutcomeInput } from './forwarding.inputs';

/** The forwarding record: forwards and what upstreams did with them. */
@Resolver()
export class ForwardingResolver {
  constructor(
    private readonly forwarding: ForwardingService,
    private readonly itemQueries: ItemQueryService,
  ) {}

  @Mutation(() => ForwardPayload, { description: "Records that an item was forwarded to the upstream it is routed to, with that upstream's reference. The route's maintainers and admins." })
  async forward(@Args('input') input: ForwardInput, @Context() context: RequestContext): Promise<ForwardPayload> {
    const id = itemIdOf(input.itemId);
    const forward = await this.forwarding.forward(await context.actor(), id, input.reference, input.upstreamSlug);
    return { item: await this.item(id), forward: Forward.from(forward) };
  }

  @Mutation(() => ForwardPayload, { description: 'Records what the upstream did with a forwarded item: UPSTREAM_FIXED or UPSTREAM_REJECTED. The route\'s maintainers and admins.' })
  async recordUpstreamOutcome(@Args('input') input: RecordUpstreamOutcomeInput, @Context() context: RequestContext): Promise<ForwardPayload> {
    const id = itemIdOf(input.itemId);
    const forward = await this.forwarding.setUpstreamOutcome(await context.actor(), id, input.state);
    return { item: await this.item(id), forward: Forward.from(forward) };
  }

  private async item(id: number) {
    return toItem((await this.itemQueries.byIds([id]))[0]!);
  }
}
