import { Injectable } from '@nestjs/common';
import { CatalogueReader } from '@headwaters/catalogue';
import { DomainError } from '@headwaters/core';
import { ItemQueryService } from '@headwaters/items';
import { SubscriptionService, type SubscriptionTargetKind } from '@headwaters/notifications';
import { DirectFields } from '../graphql/direct-fields';
import type { RequestContext } from '../graphql/request-context';
import type { Component, Upstream } from '../catalogue/catalogue.types';
import { ITEM_TYPES, toItem, type Item } from '../items/item.type';
import { TimelineEvent } from '../items/timeline-event.type';
import { itemLoader, visibilityOf } from '../items/visibility-context';
import type { Notification } from './notification.type';

/** The inbox's and the followed objects' fields, resolved straight from per-request loaders. */
@Injectable()
export class NotificationDirectFields {
  constructor(fields: DirectFields, subscriptions: SubscriptionService, itemQueries: ItemQueryService, reader: CatalogueReader) {
    const stateOf = async (context: RequestContext, kind: SubscriptionTargetKind, id: number) => {
      const actor = await context.actor();
      if (!actor) return null;
      return context.loader(`subscription:${kind}`, (ids: readonly number[]) => subscriptions.statesOf(actor.userId, kind, ids)).load(id);
    };
    fields.register<Item>(ITEM_TYPES, 'viewerSubscription', (item, context) => stateOf(context, 'ITEM', item.record.id));
    fields.register<Component>(['Component'], 'viewerSubscription', (component, context) => stateOf(context, 'COMPONENT', component.record.id));
    fields.register<Upstream>(['Upstream'], 'viewerSubscription', (upstream, context) => stateOf(context, 'UPSTREAM', upstream.record.id));
    const item = async (context: RequestContext, id: number) => {
      const record = await (await itemLoader(context, reader, itemQueries)).load(id);
      if (!record) throw DomainError.notFound('ITEM_NOT_FOUND', 'The item is not there, or not for you to see');
      return toItem(record);
    };
    fields.register<Notification>(['Notification'], 'item', (notification, context) => item(context, notification.record.itemId));
    fields.register<Notification>(['Notification'], 'event', async (notification, context) => {
      const visibility = await visibilityOf(context, reader);
      const record = await context.loader('event', (ids: readonly number[]) => itemQueries.eventsByIds(ids, visibility)).load(notification.record.eventId);
      if (!record) throw DomainError.notFound('EVENT_NOT_FOUND', 'The event is not there, or not for you to see');
      return TimelineEvent.from(record);
    });
    fields.register<TimelineEvent>(['TimelineEvent'], 'item', (event, context) => item(context, event.record.itemId));
  }
}
