import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AccountService } from '@headwaters/identity';
import type { RequestContext } from '../graphql/request-context';
import { User } from '../identity/identity.types';
import { userOf } from '../identity/users.loader';
import { Comment } from './comment.type';
import { Item } from './item.type';
import { TimelineEvent } from './timeline-event.type';

@Resolver(() => Item)
export class ItemReporterResolver {
  constructor(private readonly accounts: AccountService) {}

  @ResolveField(() => User, { description: 'Who filed it.' })
  reporter(@Parent() item: Item, @Context() context: RequestContext): Promise<User> {
    return userOf(context, this.accounts, item.record.reporterId);
  }
}

@Resolver(() => Comment)
export class CommentFieldsResolver {
  constructor(private readonly accounts: AccountService) {}

  @ResolveField(() => User, { description: 'Who wrote it.' })
  author(@Parent() comment: Comment, @Context() context: RequestContext): Promise<User> {
    return userOf(context, this.accounts, comment.record.authorId);
  }
}

@Resolver(() => TimelineEvent)
export class TimelineEventFieldsResolver {
  constructor(private readonly accounts: AccountService) {}

  @ResolveField(() => User, { nullable: true, description: 'Who did it; null for the system (an ownership change, an expiry).' })
  async actor(@Parent() event: TimelineEvent, @Context() context: RequestContext): Promise<User | null> {
    return event.record.actorId === null ? null : userOf(context, this.accounts, event.record.actorId);
  }
}
