import { Module, type OnModuleInit } from '@nestjs/common';
import { ForwardingModule, ForwardQueries } from '@headwaters/forwarding';
import { NodeRegistry } from '@headwaters/graphql-kit';
import { CatalogueReader } from '@headwaters/catalogue';
import { ItemQueryService, ItemsModule } from '@headwaters/items';
import type { RequestContext } from '../graphql/request-context';
import { visibilityOf } from '../items/visibility-context';
import { Forward } from './forward.type';
import { ForwardingResolver } from './forwarding.resolver';

/** Forwarding's GraphQL: the forward mutations and `node(id:)` for forwards. */
@Module({
  imports: [ForwardingModule, ItemsModule],
  providers: [ForwardingResolver],
})
export class ForwardingApiModule implements OnModuleInit {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly forwards: ForwardQueries,
    private readonly itemQueries: ItemQueryService,
    private readonly reader: CatalogueReader,
  ) {}

  onModuleInit(): void {
    // A forward exists for a viewer only if its item does (embargoed reports).
    this.registry.register('Forward', async (ids, context) => {
      const forwards = await this.forwards.byIds(ids);
      const items = await this.itemQueries.byIds(forwards.map((f) => f?.itemId ?? 0), await visibilityOf(context as RequestContext, this.reader));
      return forwards.map((f, i) => (f && items[i] ? Forward.from(f) : null));
    });
  }
}
