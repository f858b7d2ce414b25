import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { RequestContext } from '../graphql/request-context';
import { itemLoader, visibilityOf } from './visibility-context';
import { CatalogueReader } from '@headwaters/catalogue';
import { ConnectionArgs, connectionOf, pageQueryOf, type ConnectionShape } from '@headwaters/graphql-kit';
import { AccountService } from '@headwaters/identity';
import { hasForwards, ItemQueryService, routedOf, type ForwardRecord } from '@headwaters/items';
import { VotingService } from '@headwaters/voting';
import { catalogueOf, withCatalogue } from '../catalogue/catalogue-context';
import { Component, Release, Upstream } from '../catalogue/catalogue.types';
import { Forward } from '../forwarding/forward.type';
import { Args } from '../graphql/args.decorator';
import { DirectFields } from '../graphql/direct-fields';
import { userOf } from '../identity/users.loader';
import { Route } from '../routing/route.type';
import { Comment } from './comment.type';
import { CommentConnection, TimelineConnection } from './item-connections.type';
import { ITEM_TYPES, Item, toItem, type Bug, type FeatureSuggestion } from './item.type';
import { TimelineEvent } from './timeline-event.type';

/**
 * Every field of the item types (Item, Bug, FeatureSuggestion) and of the objects hanging off
 * them (Forward, Comment, TimelineEvent) that is not read off the record: here, in one place.
 * Fields asked for on every item of a page are resolved directly from the per-request loaders
 * and the in-memory catalogue (see DirectFields); the paginated ones go through Nest.
 */
@Resolver(() => Item)
export class ItemFieldsResolver {
  constructor(
    private readonly itemQueries: ItemQueryService,
    fields: DirectFields,
    private readonly reader: CatalogueReader,
    accounts: AccountService,
    voting: VotingService,
  ) {
    fields.register<Item>(ITEM_TYPES, 'component', (item, context) => {
      const id = item.record.componentId;
      if (id === null) return null;
      return withCatalogue(context, reader, (snapshot) => {
        const found = snapshot.components.get(id);
        return found ? Component.from(found) : null;
      });
    });
    fields.register<Item>(ITEM_TYPES, 'route', (item) => Route.from(item.record.route));
    // An item read alone comes with its forwards; a list page's items load theirs together, when asked.
    const forwardsOf = (item: Item, context: RequestContext): ForwardRecord[] | Promise<ForwardRecord[]> =>
      hasForwards(item.record) ? item.record.forwards : context.loader('itemForwards', (ids: readonly number[]) => itemQueries.forwardsOf(ids)).load(item.record.id);
    const then = <T, R>(value: T | Promise<T>, map: (value: T) => R): R | Promise<R> => (value instanceof Promise ? value.then(map) : map(value));
    fields.register<Item>(ITEM_TYPES, 'forward', (item, context) => then(forwardsOf(item, context), (forwards) => {
      const routed = routedOf(forwards);
      return routed ? Forward.from(routed) : null;
    }));
    fields.register<Item>(ITEM_TYPES, 'forwards', (item, context) => then(forwardsOf(item, context), (forwards) => forwards.map(Forward.from)));
    fields.register<Forward>(['Forward'], 'upstream', (forward, context) => withCatalogue(context, reader, (snapshot) => Upstream.from(snapshot.upstreams.get(forward.record.upstreamId)!)));
    fields.register<Item>(ITEM_TYPES, 'reporter', (item, context) => userOf(context, accounts, item.record.reporterId));
    fields.register<Item>(ITEM_TYPES, 'assignee', (item, context) => (item.record.assigneeId === null ? null : userOf(context, accounts, item.record.assigneeId)));
    fields.register<Item>(ITEM_TYPES, 'viewerHasVoted', (item, context) => {
      if (context.isAnonymous) return false;
      return context.actor().then((actor) => (actor ? context.loader('viewerHasVoted', (ids: readonly number[]) => voting.hasVoted(actor.userId, ids)).load(item.record.id) : false));
    });
    fields.register<Item>(ITEM_TYPES, 'duplicateOf', async (item, context) => {
      const id = item.record.duplicateOfId;
      if (id === null) return null;
      const record = await (await itemLoader(context, reader, itemQueries)).load(id);
      return record ? toItem(record) : null;
    });
    fields.register<Bug>(['Bug'], 'affectedReleases', async (bug, context) => {
      const ids = await context.loader('affectedReleases', (itemIds: readonly number[]) => itemQueries.affectedReleaseIds(itemIds)).load(bug.record.id);
      const snapshot = await catalogueOf(context, reader);
      return ids.flatMap((id) => {
        const release = snapshot.releases.get(id);
        return release ? [Release.from(release)] : [];
      });
    });
    fields.register<Bug>(['Bug'], 'fixedIn', (bug, context) => {
      const id = bug.record.fixedInId;
      if (id === null) return null;
      return withCatalogue(context, reader, (snapshot) => {
        const release = snapshot.releases.get(id);
        return release ? Release.from(release) : null;
      });
    });
    fields.register<FeatureSuggestion>(['FeatureSuggestion'], 'plannedFor', (feature, context) => {
      const id = feature.record.plannedForId;
      if (id === null) return null;
      return withCatalogue(context, reader, (snapshot) => {
        const release = snapshot.releases.get(id);
        return release ? Release.from(release) : null;
      });
    });
    fields.register<Comment>(['Comment'], 'author', (comment, context) => userOf(context, accounts, comment.record.authorId));
    fields.register<TimelineEvent>(['TimelineEvent'], 'actor', (event, context) => (event.record.actorId === null ? null : userOf(context, accounts, event.record.actorId)));
  }

  @ResolveField(() => CommentConnection, { description: 'The discussion, oldest first.' })
  async comments(@Parent() item: Item, @Args() args: ConnectionArgs): Promise<ConnectionShape<Comment>> {
    const page = pageQueryOf(args, 'comments', ['int']);
    const list = await this.itemQueries.comments(item.record.id, page);
    return connectionOf(list.slice, page, 'comments', (c) => [c.id], Comment.from, list.count);
  }

  @ResolveField(() => TimelineConnection, { description: 'Every recorded change, oldest first.' })
  async timeline(@Parent() item: Item, @Args() args: ConnectionArgs, @Context() context: RequestContext): Promise<ConnectionShape<TimelineEvent>> {
    const page = pageQueryOf(args, 'timeline', ['int']);
    const list = await this.itemQueries.timeline(item.record.id, page, await visibilityOf(context, this.reader));
    return connectionOf(list.slice, page, 'timeline', (e) => [e.id], TimelineEvent.from, list.count);
  }
}
