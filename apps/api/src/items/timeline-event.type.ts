import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { TimelineEventRecord } from '@headwaters/items';
import { Node, toGlobalId } from '@headwaters/graphql-kit';
import { User } from '../identity/identity.types';
import { Item } from './item.type';

@ObjectType({
  implements: () => [Node],
  description: 'One recorded change of an item: filed, routed, status changed, commented, voted, marked duplicate, forwarded.',
})
export class TimelineEvent implements Node {
  @Field(() => ID, { description: 'Globally unique and opaque.' })
  id!: string;

  @Field({ description: 'FILED, RETITLED, DESCRIPTION_EDITED, ROUTED, STATUS_CHANGED, IMPORTANCE_CHANGED, COMPONENT_CHANGED, COMMENTED, VOTED, UNVOTED, MARKED_DUPLICATE, UNMARKED_DUPLICATE, FORWARD_NEEDED, FORWARDED, EXPIRED, ... (open-ended)' })
  type!: string;

  @Field({ description: 'When it happened.' })
  createdAt!: Date;

  @Field({ description: 'A sentence a person can read.' })
  summary!: string;

  @Field(() => User, { nullable: true, description: 'Who did it; null for the system (an ownership change, an expiry).' })
  actor?: User | null;

  @Field(() => String, { nullable: true, description: "A COMMENT_EDITED event's text before the edit, for the item's maintainers and admins; null for everyone else and other events." })
  previousText?: string | null;
  // Resolved directly (see notification-direct-fields.ts).
  @Field(() => Item, { description: 'The item it happened on.' })
  item?: Item;

  record!: TimelineEventRecord;

  static from(record: TimelineEventRecord): TimelineEvent {
    return Object.assign(new TimelineEvent(), {
      id: toGlobalId('TimelineEvent', record.id),
      type: record.type,
      createdAt: record.createdAt,
      summary: record.summary,
      record,
    });
  }
}
