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
import { CatalogueReader } from '@headwaters/catalogue';
import type { RequestContext } from '../graphql/request-context';
import { ItemWorkResolver } from './item-work.resolver';
import { ModerationResolver } from './moderation.resolver';
import { visibilityOf } from './visibility-context';
import { ComponentSuggestionsResolver } from './component-suggestions.resolver';

/** The items feature's GraphQL: types and all their fields, queries, filing, editing and comments. */
@Module({
  imports: [ItemsModule, IdentityModule, VotingModule],
  providers: [ItemsResolver, ItemFieldsResolver, ItemMutationsResolver, ItemWorkResolver, ModerationResolver, ComponentSuggestionsResolver],
})
export class ItemsApiModule implements OnModuleInit {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly itemQueries: ItemQueryService,
    private readonly reader: CatalogueReader,
  ) {}

  onModuleInit(): void {
    for (const [typeName, kind] of [['Bug', 'BUG'], ['FeatureSuggestion', 'FEATURE']] as const) {
      this.registry.register(typeName, async (ids, context) => (await this.itemQueries.byIds(ids, await visibilityOf(context as RequestContext, this.reader))).map((r) => (r && r.kind === kind ? toItem(r) : null)));
    }
    this.registry.register('Comment', async (ids, context) => (await this.itemQueries.commentsByIds(ids, await visibilityOf(context as RequestContext, this.reader))).map((c) => (c ? Comment.from(c) : null)));
    this.registry.register('TimelineEvent', async (ids, context) => (await this.itemQueries.eventsByIds(ids, await visibilityOf(context as RequestContext, this.reader))).map((e) => (e ? TimelineEvent.from(e) : null)));
  }
}
