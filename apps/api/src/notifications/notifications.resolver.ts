import { Context, Int, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CatalogueReader } from '@headwaters/catalogue';
import { DomainError } from '@headwaters/core';
import { connectionOf, ConnectionArgs, fromGlobalId, pageQueryOf } from '@headwaters/graphql-kit';
import { AccountService, RoleService } from '@headwaters/identity';
import { ItemQueryService } from '@headwaters/items';
import { InboxService, SubscriptionService, type SubscriptionTarget } from '@headwaters/notifications';
import { Field, ArgsType } from '@nestjs/graphql';
import { IsBoolean, IsOptional } from 'class-validator';
import { Args } from '../graphql/args.decorator';
import type { RequestContext } from '../graphql/request-context';
import { catalogueOf } from '../catalogue/catalogue-context';
import { Component, Upstream } from '../catalogue/catalogue.types';
import { RoleGrant, User, Viewer } from '../identity/identity.types';
import { toItem } from '../items/item.type';
import { visibilityOf } from '../items/visibility-context';
import { MarkNotificationsReadInput, MarkNotificationsReadPayload, UpdateSubscriptionInput, UpdateSubscriptionPayload } from './notifications.inputs';
import { Notification, NotificationConnection } from './notification.type';
import type { Subscribable } from './subscribable.type';

@ArgsType()
export class NotificationsArgs extends ConnectionArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only those not yet marked read.' })
  @IsOptional() @IsBoolean()
  unreadOnly?: boolean;
}

const SUBSCRIBABLE_TYPES = ['Bug', 'FeatureSuggestion', 'Component', 'Upstream'] as const;

/** Following, and the inbox. */
@Resolver(() => Viewer)
export class NotificationsResolver {
  constructor(
    private readonly subscriptions: SubscriptionService,
    private readonly inbox: InboxService,
    private readonly accounts: AccountService,
    private readonly roles: RoleService,
    private readonly itemQueries: ItemQueryService,
    private readonly reader: CatalogueReader,
  ) {}

  @ResolveField(() => NotificationConnection, { description: 'What happened on what you follow, newest first.' })
  async notifications(@Parent() viewer: Viewer, @Args() args: NotificationsArgs): Promise<NotificationConnection> {
    const page = pageQueryOf(args, 'notification:newest', ['int']);
    const { slice, count } = await this.inbox.list(viewer.userId, args.unreadOnly ?? false, page);
    return connectionOf(slice, page, 'notification:newest', (n) => [n.id], Notification.from, count) as NotificationConnection;
  }

  @ResolveField(() => Int, { description: 'How many of your notifications are unread.' })
  unreadNotificationCount(@Parent() viewer: Viewer): Promise<number> {
    return this.inbox.unreadCount(viewer.userId);
  }

  @Mutation(() => UpdateSubscriptionPayload, { description: 'Follows an item, a component (with its subtree) or an upstream: SUBSCRIBED, UNSUBSCRIBED or IGNORED. Signed-in users only.' })
  async updateSubscription(@Args('input') input: UpdateSubscriptionInput, @Context() context: RequestContext): Promise<UpdateSubscriptionPayload> {
    const actor = await context.requireActor();
    const decoded = fromGlobalId(input.subscribableId, SUBSCRIBABLE_TYPES, 'subscribableId');
    const target: SubscriptionTarget = { kind: decoded.type === 'Component' ? 'COMPONENT' : decoded.type === 'Upstream' ? 'UPSTREAM' : 'ITEM', id: decoded.id };
    if (target.kind === 'ITEM') {
      const [record] = await this.itemQueries.byIds([target.id], await visibilityOf(context, this.reader));
      if (!record || (record.kind === 'BUG') !== (decoded.type === 'Bug')) throw notFound();
    }
    await this.subscriptions.update(actor, target, input.state as never);
    return { subscribable: await this.subscribable(target, context) };
  }

  @Mutation(() => MarkNotificationsReadPayload, { description: 'Marks notifications of yours read: some by id, or all. Signed-in users only.' })
  async markNotificationsRead(@Args('input') input: MarkNotificationsReadInput, @Context() context: RequestContext): Promise<MarkNotificationsReadPayload> {
    const actor = await context.requireActor();
    const ids = input.ids?.map((id) => fromGlobalId(id, ['Notification'], 'ids').id);
    await this.inbox.markRead(actor, { ids, all: input.all });
    const [user] = await this.accounts.usersByIds([actor.userId]);
    const [grants] = await this.roles.grantsOfUsers([actor.userId]);
    return { viewer: Object.assign(new Viewer(), { user: User.from(user!), roles: grants.map(RoleGrant.from), userId: actor.userId }) };
  }

  private async subscribable(target: SubscriptionTarget, context: RequestContext): Promise<Subscribable> {
    if (target.kind === 'ITEM') {
      const [record] = await this.itemQueries.byIds([target.id], await visibilityOf(context, this.reader));
      if (!record) throw notFound();
      return toItem(record);
    }
    const catalogue = await catalogueOf(context, this.reader);
    if (target.kind === 'COMPONENT') return Component.from(catalogue.components.get(target.id)!);
    return Upstream.from(catalogue.upstreams.get(target.id)!);
  }
}

function notFound(): DomainError {
  return DomainError.notFound('SUBSCRIBABLE_NOT_FOUND', 'subscribableId names nothing that can be followed', 'subscribableId');
}

