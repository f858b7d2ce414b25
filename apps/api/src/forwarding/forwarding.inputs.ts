import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { UPSTREAM_SLUG } from '@headwaters/catalogue';
import { ForwardState } from '../items/item-enums';
import { Item } from '../items/item.type';
import { Delivery } from './delivery.type';
import { Forward } from './forward.type';

@InputType({ description: 'The record of forwarding an item to the upstream it is routed to.' })
export class ForwardInput {
  @Field(() => ID, { description: 'The item.' })
  @IsString() @MaxLength(200)
  itemId!: string;

  @Field(() => String, { nullable: true, description: "The upstream's reference: a Debian bug number, a URL, a message id." })
  @IsOptional() @IsString() @MaxLength(600)
  reference?: string | null;

  @Field(() => String, { nullable: true, description: "Which of the item's upstreams; the one it is routed to when left out." })
  @IsOptional() @Matches(UPSTREAM_SLUG, { message: 'upstreamSlug must be an upstream slug' }) @MaxLength(100)
  upstreamSlug?: string | null;
}

@ObjectType({ description: 'The item as it is now, and the forward recorded.' })
export class ForwardPayload {
  @Field(() => Item, { description: 'The item.' })
  item!: Item;

  @Field(() => Forward, { description: 'The forward as it is now.' })
  forward!: Forward;
}

@InputType({ description: 'What the upstream did with a forwarded item.' })
export class RecordUpstreamOutcomeInput {
  @Field(() => ID, { description: 'The item.' })
  @IsString() @MaxLength(200)
  itemId!: string;

  @Field(() => ForwardState, { description: 'UPSTREAM_FIXED or UPSTREAM_REJECTED.' })
  @IsIn(['UPSTREAM_FIXED', 'UPSTREAM_REJECTED'], { message: 'state must be UPSTREAM_FIXED or UPSTREAM_REJECTED' })
  state!: 'UPSTREAM_FIXED' | 'UPSTREAM_REJECTED';
}

@InputType({ description: "Launchpad's 'also affects': the item needs work in another upstream too." })
export class AlsoAffectsInput {
  @Field(() => ID, { description: 'The item.' })
  @IsString() @MaxLength(200)
  itemId!: string;

  @Field({ description: 'The other upstream it affects.' })
  @Matches(UPSTREAM_SLUG, { message: 'upstreamSlug must be an upstream slug' }) @MaxLength(100)
  upstreamSlug!: string;
}

@ObjectType({ description: 'The item as it is now, and its new forward.' })
export class AlsoAffectsPayload {
  @Field(() => Item, { description: 'The item.' })
  item!: Item;

  @Field(() => Forward, { description: 'The forward to the other upstream, PENDING.' })
  forward!: Forward;
}

@InputType({ description: 'Which delivery to send again.' })
export class RedeliverInput {
  @Field(() => ID, { description: 'The delivery (FAILED or DELIVERED).' })
  @IsString() @MaxLength(200)
  deliveryId!: string;
}

@ObjectType({ description: 'The delivery, queued again.' })
export class RedeliverPayload {
  @Field(() => Delivery, { description: 'The delivery, PENDING.' })
  delivery!: Delivery;
}
