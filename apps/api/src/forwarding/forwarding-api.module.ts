import { Module, type OnModuleInit } from '@nestjs/common';
import { ForwardDeliveries, ForwardingModule, ForwardQueries } from '@headwaters/forwarding';
import { NodeRegistry } from '@headwaters/graphql-kit';
import { CatalogueReader } from '@headwaters/catalogue';
import { ItemQueryService, ItemsModule } from '@headwaters/items';
import type { RequestContext } from '../graphql/request-context';
import { visibilityOf } from '../items/visibility-context';
import { Forward } from './forward.type';
import { Delivery } from './delivery.type';
import { ForwardFieldsResolver } from './forward-fields.resolver';
import { ForwardingResolver } from './forwarding.resolver';

/** Forwarding's GraphQL: the forward mutations, deliveries, and `node(id:)` for forwards and deliveries. */
@Module({
  imports: [ForwardingModule, ItemsModule],
  providers: [ForwardingResolver, ForwardFieldsResolver],
})
export class ForwardingApiModule implements OnModuleInit {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly forwards: ForwardQueries,
    private readonly itemQueries: ItemQueryService,
    private readonly reader: CatalogueReader,
    private readonly deliveries: ForwardDeliveries,
  ) {}

  onModuleInit(): void {
    // A forward exists for a viewer only if its item does (embargoed reports).
    this.registry.register('Forward', async (ids, context) => {
      const forwards = await this.forwards.byIds(ids);
      const items = await this.itemQueries.byIds(forwards.map((f) => f?.itemId ?? 0), await visibilityOf(context as RequestContext, this.reader));
      return forwards.map((f, i) => (f && items[i] ? Forward.from(f) : null));
    });
    this.registry.register('Delivery', async (ids, context) => {
      const deliveries = await this.deliveries.byIds(ids);
      const itemIds = await this.deliveries.itemIdsOf(deliveries);
      const items = await this.itemQueries.byIds(itemIds.map((id) => id ?? 0), await visibilityOf(context as RequestContext, this.reader));
      // A forward's delivery shows where its item does; other deliveries (notifications) are not nodes of the API.
      return deliveries.map((d, i) => (d && items[i] ? Delivery.from(d) : null));
    });
  }
}
