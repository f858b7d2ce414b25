import { Field, ID, Int, InterfaceType, ObjectType } from '@nestjs/graphql';
import { heatOf, type ItemSummary } from '@headwaters/items';
import { Node, toGlobalId, typeNameOf } from '@headwaters/graphql-kit';
import { Component, Release } from '../catalogue/catalogue.types';
import { User } from '../identity/identity.types';
import { Route } from '../routing/route.type';
import { Forward } from '../forwarding/forward.type';
import { Importance, ItemKind, ItemStatus, Visibility } from './item-enums';
import { Subscribable, SubscriptionState } from '../notifications/subscribable.type';

@InterfaceType('Item', {
  implements: () => [Node, Subscribable],
  resolveType: typeNameOf,
  description: 'A bug or a feature suggestion: filed by a reporter, routed to the upstream that owns it, voted on, triaged.',
})
export abstract class Item implements Node, Subscribable {
  // Computed from the record when asked for, as heat below: a page's items are made whole, most
  // of their fields unread.
  @Field(() => ID, { description: 'Globally unique and opaque.' })
  get id(): string {
    return toGlobalId(this.record.kind === 'BUG' ? 'Bug' : 'FeatureSuggestion', this.record.id);
  }

  @Field(() => Int, { description: 'Sequential, human-facing number: #1, #2, ... shared by bugs and features.' })
  number!: number;

  @Field(() => ItemKind, { description: 'BUG or FEATURE.' })
  kind!: ItemKind;

  @Field({ description: 'One line saying what it is about.' })
  title!: string;

  @Field({ description: 'The report or the suggestion, in full.' })
  description!: string;

  @Field(() => ItemStatus, { description: 'Where it stands in its lifecycle.' })
  status!: string;

  @Field({ description: 'True once resolved one way or another (FIX_RELEASED, WONT_FIX, INVALID, DUPLICATE, EXPIRED).' })
  closed!: boolean;

  @Field(() => Importance, { description: 'How much it matters, as maintainers judged it.' })
  importance!: string;

  @Field(() => Int, { description: 'Distinct people whose vote counts here (votes on its duplicates included).' })
  voteCount!: number;

  @Field({ description: 'When it was filed.' })
  createdAt!: Date;

  @Field(() => Int, {
    description:
      'How much it is wanted now: 1 + 4 per vote + 2 per follower + 6 per duplicate + 1 per comment, halved for every 30 days without activity (a vote, follower, duplicate, comment, status change or edit).',
  })
  get heat(): number {
    return heatOf(this.record.heatRank);
  }

  // Resolved directly from the request's loaders and the catalogue (see item-direct-fields.ts).
  @Field(() => Component, { nullable: true, description: 'The component it is filed against; null while in the triage inbox.' })
  component?: Component | null;

  @Field(() => Route, { nullable: true, description: 'Where it is routed, and why.' })
  route?: Route | null;

  @Field(() => Forward, { nullable: true, description: 'Its forwarding to the upstream; null when nothing needs sending.' })
  forward?: Forward | null;

  @Field(() => [Forward], { description: 'The upstream that owns it, then every upstream it also affects.' })
  forwards?: Forward[];

  @Field(() => User, { description: 'Who filed it.' })
  reporter?: User;

  @Field({ description: 'Whether your vote counts here (false when signed out).' })
  viewerHasVoted?: boolean;

  @Field(() => Item, { nullable: true, description: 'The original, when this item is closed as its DUPLICATE.' })
  duplicateOf?: Item | null;

  @Field({ description: 'When it last changed (status, importance, component, route, comments).' })
  updatedAt!: Date;

  @Field(() => SubscriptionState, { nullable: true, description: 'How you follow it: the state you set, or null when you set none (told only when you take part). Null for anonymous viewers.' })
  viewerSubscription?: string | null;

  @Field(() => User, { nullable: true, description: 'Who works on it: one of its maintainers; null when nobody is assigned.' })
  assignee?: User | null;

  @Field(() => [String], { description: 'Lower-case labels: a-z, 0-9 and -, at most 50 characters each, at most 20, in alphabetical order.' })
  tags!: string[];

  @Field(() => Visibility, { description: 'PUBLIC, or SECURITY for an embargoed report (seen only by its reporter, its maintainers and admins, until disclosed).' })
  visibility!: string;

  /** The record behind it, for field resolvers (with its forwards, unless a list read it); not a GraphQL field. */
  record!: ItemSummary;
}

@ObjectType({ implements: () => [Item, Node, Subscribable], description: 'Something that does not work as it should.' })
export class Bug extends Item {
  // Resolved directly, with the other item fields (see item-fields.resolver.ts).
  @Field(() => [Release], { description: 'Releases where the bug shows.' })
  affectedReleases?: Release[];

  @Field(() => Release, { nullable: true, description: 'The release that carries the fix.' })
  fixedIn?: Release | null;
}

@ObjectType({ implements: () => [Item, Node, Subscribable], description: 'An idea people vote on.' })
export class FeatureSuggestion extends Item {
  @Field(() => Release, { nullable: true, description: 'The release it is planned for.' })
  plannedFor?: Release | null;
}

/** The GraphQL object of an item record: a Bug or a FeatureSuggestion. */
export function toItem(record: ItemSummary): Bug | FeatureSuggestion {
  const item = record.kind === 'BUG' ? new Bug() : new FeatureSuggestion();
  item.number = record.number;
  item.kind = record.kind;
  item.title = record.title;
  item.description = record.description;
  item.status = record.status;
  item.closed = record.closed;
  item.importance = record.importance;
  item.voteCount = record.voteCount;
  item.createdAt = record.createdAt;
  item.updatedAt = record.updatedAt;
  item.tags = record.tags;
  item.visibility = record.visibility;
  item.record = record;
  return item;
}

export const ITEM_TYPES = ['Bug', 'FeatureSuggestion'] as const;
