import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { sliceInMemory } from '@headwaters/database';
import { ForwardDeliveries } from '@headwaters/forwarding';
import { ConnectionArgs, connectionOf, pageQueryOf, type ConnectionShape } from '@headwaters/graphql-kit';
import { Args } from '../graphql/args.decorator';
import { Delivery, DeliveryConnection } from './delivery.type';
import { Forward } from './forward.type';

@Resolver(() => Forward)
export class ForwardFieldsResolver {
  constructor(private readonly forwardDeliveries: ForwardDeliveries) {}

  @ResolveField(() => DeliveryConnection, { description: 'The mails and webhook POSTs that carried this forward, newest first.' })
  async deliveries(@Parent() forward: Forward, @Args() args: ConnectionArgs): Promise<ConnectionShape<Delivery>> {
    const page = pageQueryOf(args, 'deliveries', ['int']);
    // Newest first: keyed on the negated id, so the in-memory slice pages ascending on it.
    const [all] = await this.forwardDeliveries.ofForwards([forward.record.id]);
    return connectionOf(sliceInMemory(all, page, (d) => -d.id), page, 'deliveries', (d) => [-d.id], Delivery.from, async () => all.length);
  }
}
