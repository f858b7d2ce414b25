import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { SUBSCRIPTION_STATES } from '@headwaters/notifications';
import { Viewer } from '../identity/identity.types';
import { Subscribable, SubscriptionState } from './subscribable.type';

@InputType({ description: 'How to follow one item, component or upstream.' })
export class UpdateSubscriptionInput {
  @Field(() => ID, { description: 'A Bug, FeatureSuggestion, Component or Upstream ID.' })
  @IsString() @MaxLength(200)
  subscribableId!: string;

  @Field(() => SubscriptionState, { description: 'SUBSCRIBED, UNSUBSCRIBED or IGNORED.' })
  @IsIn(SUBSCRIPTION_STATES as unknown as string[])
  state!: string;
}

@ObjectType({ description: 'What you now follow, and how.' })
export class UpdateSubscriptionPayload {
  @Field(() => Subscribable, { description: 'The item, component or upstream.' })
  subscribable!: Subscribable;
}

@InputType({ description: 'ids, or all: true for every notification.' })
export class MarkNotificationsReadInput {
  @Field(() => [ID], { nullable: true, description: 'Notifications of yours to mark read (at most 100).' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(200, { each: true })
  ids?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'true: every notification of yours.' })
  @IsOptional() @IsBoolean()
  all?: boolean | null;
}

@ObjectType({ description: 'You, with your inbox as it is now.' })
export class MarkNotificationsReadPayload {
  @Field(() => Viewer, { description: 'The signed-in user.' })
  viewer!: Viewer;
}
