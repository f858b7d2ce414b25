import { Context, Mutation, Resolver } from '@nestjs/graphql';
import { ForwardDeliveries, ForwardingService } from '@headwaters/forwarding';
import { fromGlobalId } from '@headwaters/graphql-kit';
import { ItemQueryService, ItemVisibility } from '@headwaters/items';
import { Args } from '../graphql/args.decorator';
import type { RequestContext } from '../graphql/request-context';
import { visibleItemOf } from '../items/visibility-context';
import { CatalogueReader } from '@headwaters/catalogue';
import { toItem } from '../items/item.type';
import { Forward } from './forward.type';
import { Delivery } from './delivery.type';
import { AlsoAffectsInput, AlsoAffectsPayload, ForwardInput, ForwardPayload, RecordUpstreamOutcomeInput, RedeliverInput, RedeliverPayload } from './forwarding.inputs';

/** The forwarding record: forwards and what upstreams did with them. */
@Resolver()
export class ForwardingResolver {
  constructor(
    private readonly forwarding: ForwardingService,
    private readonly itemQueries: ItemQueryService,
    private readonly reader: CatalogueReader,
    private readonly deliveries: ForwardDeliveries,
  ) {}

  @Mutation(() => ForwardPayload, {
    description:
      "Forwards an item to the upstream it is routed to (or, with upstreamSlug, another it also affects). With a reference: records a forward done elsewhere. Without: MAILING_LIST and WEBHOOK upstreams are sent a mail or signed POST (FORWARDED at once; its deliveries show the progress); MANUAL ones need the reference. The item's maintainers and admins.",
  })
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

  @Mutation(() => AlsoAffectsPayload, { description: "Adds a forward to another upstream the item affects (PENDING until forwarded); that upstream's maintainers become the item's too. The item's maintainers and admins." })
  async alsoAffects(@Args('input') input: AlsoAffectsInput, @Context() context: RequestContext): Promise<AlsoAffectsPayload> {
    const id = await this.visibleId(context, input.itemId);
    const forward = await this.deliveries.alsoAffects(await context.actor(), id, input.upstreamSlug);
    return { item: await this.item(id), forward: Forward.from(forward) };
  }

  @Mutation(() => RedeliverPayload, { description: "Sends a FAILED (or DELIVERED) delivery again, with the same Message-ID or delivery id and a fresh round of attempts. The item's maintainers and admins." })
  async redeliver(@Args('input') input: RedeliverInput, @Context() context: RequestContext): Promise<RedeliverPayload> {
    const { id } = fromGlobalId(input.deliveryId, ['Delivery'], 'deliveryId');
    return { delivery: Delivery.from(await this.deliveries.redeliver(await context.actor(), Number(id))) };
  }

  private async item(id: number) {
    return toItem((await this.itemQueries.byIds([id], ItemVisibility.ALL))[0]!);
  }

  /** The id of the item a mutation names, if the viewer may see it (else NOT_FOUND). */
  private async visibleId(context: RequestContext, globalId: string, field = 'itemId'): Promise<number> {
    return (await visibleItemOf(context, this.reader, this.itemQueries, globalId, field)).id;
  }
}
