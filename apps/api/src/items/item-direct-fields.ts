import { Injectable } from '@nestjs/common';
import { CatalogueReader } from '@headwaters/catalogue';
import { AccountService } from '@headwaters/identity';
import { ItemQueryService } from '@headwaters/items';
import { catalogueOf } from '../catalogue/catalogue-context';
import { Component, Upstream } from '../catalogue/catalogue.types';
import { DirectFields } from '../graphql/direct-fields';
import { userOf } from '../identity/users.loader';
import { Route } from '../routing/route.type';
import type { Comment } from './comment.type';
import { Forward } from './forward.type';
import { ITEM_TYPES, toItem, type Item } from './item.type';
import type { TimelineEvent } from './timeline-event.type';

/** The fields every item of a page asks for, resolved straight from loaders and the catalogue. */
@Injectable()
export class ItemDirectFields {
  constructor(fields: DirectFields, reader: CatalogueReader, accounts: AccountService, itemQueries: ItemQueryService) {
    fields.register<Item>(ITEM_TYPES, 'component', async (item, context) => {
      if (item.record.componentId === null) return null;
      const found = (await catalogueOf(context, reader)).components.get(item.record.componentId);
      return found ? Component.from(found) : null;
    });
    fields.register<Item>(ITEM_TYPES, 'route', (item) => Route.from(item.record.route));
    fields.register<Item>(ITEM_TYPES, 'forward', (item) => (item.record.forward ? Forward.from(item.record.forward) : null));
    fields.register<Forward>(['Forward'], 'upstream', async (forward, context) => Upstream.from((await catalogueOf(context, reader)).upstreams.get(forward.upstreamId)!));
    fields.register<Item>(ITEM_TYPES, 'reporter', (item, context) => userOf(context, accounts, item.record.reporterId));
    fields.register<Item>(ITEM_TYPES, 'assignee', (item, context) => (item.record.assigneeId === null ? null : userOf(context, accounts, item.record.assigneeId)));
    fields.register<Comment>(['Comment'], 'author', (comment, context) => userOf(context, accounts, comment.record.authorId));
    fields.register<TimelineEvent>(['TimelineEvent'], 'actor', (event, context) => (event.record.actorId === null ? null : userOf(context, accounts, event.record.actorId)));
    fields.register<Item>(ITEM_TYPES, 'duplicateOf', async (item, context) => {
      const id = item.record.duplicateOfId;
      if (id === null) return null;
      const record = await context.loader('item', (ids: readonly number[]) => itemQueries.byIds(ids)).load(id);
      return record ? toItem(record) : null;
    });
  }
}
