import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { NotificationRecord } from '@headwaters/notifications';
import { ConnectionType, Node, toGlobalId } from '@headwaters/graphql-kit';
import { Item } from '../items/item.type';
import { TimelineEvent } from '../items/timeline-event.type';

@ObjectType({ implements: () => [Node], description: 'Something that happened on what you follow, and why you were told.' })
export class Notification implements Node {
  @Field(() => ID, { description: 'Globally unique and opaque: pass it to markNotificationsRead.' })
  id!: string;

  // Resolved directly from the request's loaders (see notification-direct-fields.ts).
  @Field(() => Item, { description: 'The item it happened on.' })
  item?: Item;

  @Field(() => TimelineEvent, { description: 'What happened.' })
  event?: TimelineEvent;

  @Field({ description: 'Why you were told: SUBSCRIBED, REPORTER, ASSIGNED, PARTICIPANT, VOTER, MAINTAINER (open-ended).' })
  reason!: string;

  @Field({ description: 'Whether you marked it read.' })
  read!: boolean;

  @Field({ description: 'When you were told.' })
  createdAt!: Date;

  record!: NotificationRecord;

  static from(record: NotificationRecord): Notification {
    return Object.assign(new Notification(), { id: toGlobalId('Notification', record.id), reason: record.reason, read: record.readAt !== null, createdAt: record.createdAt, record });
  }
}

@ObjectType({ description: 'A page of your notifications, newest first.' })
export class NotificationConnection extends ConnectionType(Notification, 'Notification') {}
