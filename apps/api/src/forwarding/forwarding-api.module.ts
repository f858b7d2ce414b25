import { Module, type OnModuleInit } from '@nestjs/common';
import { ForwardingModule, ForwardQueries } from '@headwaters/forwarding';
import { NodeRegistry } from '@headwaters/graphql-kit';
import { ItemsModule } from '@headwaters/items';
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
  ) {}

  onModuleInit(): void {
    this.registry.register('Forward', async (ids) => (await this.forwards.byIds(ids)).map((f) => (f ? Forward.from(f) : null)));
  }
}
