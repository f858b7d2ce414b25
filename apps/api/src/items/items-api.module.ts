import { Module, type OnModuleInit } from '@nestjs/common';
import { NodeRegistry } from '@headwaters/graphql-kit';
import { IdentityModule } from '@headwaters/identity';
import { ItemQueryService, ItemsModule } from '@headwaters/items';
import { VotingModule } from '@headwaters/voting';
import { Comment } from './comment.type';
import { ItemFieldsResolver } from './item-fields.resolver';
import { ItemMutationsResolver } from './item-mutations.resolver';
import { toItem } from './item.type';
import { ItemsResolver } from './items.resolver';
import { TimelineEvent } from './timeline-event.type';

/** The items feature's GraphQL: types and all their fields, queries, filing, editing and comments. */
@Module({
  imports: [ItemsModule, IdentityModule, VotingModule],
  providers: [ItemsResolver, ItemFieldsResolver, ItemMutationsResolver],
})
export class ItemsApiModule implements OnModuleInit {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly itemQueries: ItemQueryService,
  ) {}

  onModuleInit(): void {
    for (const [typeName, kind] of [['Bug', 'BUG'], ['FeatureSuggestion', 'FEATURE']] as const) {
      this.registry.register(typeName, async (ids) => (await this.itemQueries.byIds(ids)).map((r) => (r && r.kind === kind ? toItem(r) : null)));
    }
    this.registry.register('Comment', async (ids) => (await this.itemQueries.commentsByIds(ids)).map((c) => (c ? Comment.from(c) : null)));
    this.registry.register('TimelineEvent', async (ids) => (await this.itemQueries.eventsByIds(ids)).map((e) => (e ? TimelineEvent.from(e) : null)));
  }
}
