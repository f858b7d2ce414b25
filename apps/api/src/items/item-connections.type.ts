import { ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '@headwaters/graphql-kit';
import { Comment } from './comment.type';
import { Item } from './item.type';
import { TimelineEvent } from './timeline-event.type';

@ObjectType({ description: 'A page of items.' })
export class ItemConnection extends ConnectionType(Item, 'Item') {}

@ObjectType({ description: 'A page of comments, oldest first.' })
export class CommentConnection extends ConnectionType(Comment, 'Comment') {}

@ObjectType({ description: 'A page of timeline events, oldest first.' })
export class TimelineConnection extends ConnectionType(TimelineEvent, 'Timeline') {}
