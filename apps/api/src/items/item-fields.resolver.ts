import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Args } from '../graphql/args.decorator';
import { ItemQueryService } from '@headwaters/items';
import { ConnectionArgs, connectionOf, pageQueryOf, type ConnectionShape } from '@headwaters/graphql-kit';
import { Comment } from './comment.type';
import { CommentConnection, TimelineConnection } from './item-connections.type';
import { Item } from './item.type';
import { TimelineEvent } from './timeline-event.type';

/** Fields of every item (Bug and FeatureSuggestion alike) that load something. */
@Resolver(() => Item)
export class ItemFieldsResolver {
  constructor(private readonly itemQueries: ItemQueryService) {}


  @ResolveField(() => CommentConnection, { description: 'The discussion, oldest first.' })
  async comments(@Parent() item: Item, @Args() args: ConnectionArgs): Promise<ConnectionShape<Comment>> {
    const page = pageQueryOf(args, 'comments', ['int']);
    const list = await this.itemQueries.comments(item.record.id, page);
    return connectionOf(list.slice, page, 'comments', (c) => [c.id], Comment.from, list.count);
  }

  @ResolveField(() => TimelineConnection, { description: 'Every recorded change, oldest first.' })
  async timeline(@Parent() item: Item, @Args() args: ConnectionArgs): Promise<ConnectionShape<TimelineEvent>> {
    const page = pageQueryOf(args, 'timeline', ['int']);
    const list = await this.itemQueries.timeline(item.record.id, page);
    return connectionOf(list.slice, page, 'timeline', (e) => [e.id], TimelineEvent.from, list.count);
  }
}
