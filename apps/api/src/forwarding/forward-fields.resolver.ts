import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { sliceInMemory } from '@headwaters/database';
import { ForwardDeliveries } from '@headwaters/forwarding';
import { ConnectionArgs, connectionOf, pageQueryOf, type ConnectionShape } from '@headwaters/graphql-kit';
import { Args } from '../graphql/args.decorator';
import type { RequestContext } from '../graphql/request-context';
import { Delivery, DeliveryConnection } from './delivery.type';
import { Forward } from './forward.type';

@Resolver(() => Forward)
export class ForwardFieldsResolver {
  constructor(private readonly forwardDeliveries: ForwardDeliveries) {}

  @ResolveField(() => DeliveryConnection, { description: 'The mails and webhook POSTs that carried this forward, newest first.' })
  async deliveries(@Parent() forward: Forward, @Args() args: ConnectionArgs, @Context() context: RequestContext): Promise<ConnectionShape<Delivery>> {
    const page = pageQueryOf(args, 'deliveries', ['int']);
    // Every forward of the request in one statement (a page of items, each with its forwards).
    const all = await context.loader('forwardDeliveries', (ids: readonly number[]) => this.forwardDeliveries.ofForwards(ids)).load(forward.record.id);
    // Newest first: keyed on the negated id, so the in-memory slice pages ascending on it.
    return connectionOf(sliceInMemory(all, page, (d) => -d.id), page, 'deliveries', (d) => [-d.id], Delivery.from, async () => all.length);
  }
}
