import { Module, type OnModuleInit } from '@nestjs/common';
import { ItemQueryService, ItemsModule } from '@headwaters/items';
import { NodeRegistry } from '@headwaters/graphql-kit';
import { Comment } from './comment.type';
import { ItemFieldsResolver } from './item-fields.resolver';
import { ItemMutationsResolver } from './item-mutations.resolver';
import { toItem } from './item.type';
import { ItemsResolver } from './items.resolver';
import { TimelineEvent } from './timeline-event.type';
import { RoutingModule, RoutingService } from '@headwaters/routing';
import { IdentityModule } from '@headwaters/identity';
import { ItemDirectFields } from './item-direct-fields';
import { ItemWorkResolver } from './item-work.resolver';
import { CatalogueModule, CatalogueReader } from '@headwaters/catalogue';
import type { RequestContext } from '../graphql/request-context';
import { visibilityOf } from './visibility-context';
import { BugFieldsResolver, FeatureFieldsResolver } from './item-release-fields.resolver';

/** The items feature's GraphQL: types, queries, filing and comments. */
@Module({
  imports: [RoutingModule, IdentityModule, CatalogueModule, ItemsModule.forRoot({ imports: [RoutingModule], routeDecider: RoutingService })],
  providers: [ItemsResolver, ItemFieldsResolver, ItemMutationsResolver, ItemWorkResolver, BugFieldsResolver, FeatureFieldsResolver, ItemDirectFields],
  exports: [ItemsModule, CatalogueModule],
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
