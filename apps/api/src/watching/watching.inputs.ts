import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Item } from '../items/item.type';
import { HeldMail } from './held-mail.type';

@InputType({ description: "Links one of the item's forwards to the upstream's own record of it, which is then read back on a schedule." })
export class LinkUpstreamRecordInput {
  @Field(() => ID, { description: 'The item.' })
  @IsString() @MaxLength(200)
  itemId!: string;

  @Field(() => String, { nullable: true, description: "The item's routed upstream when left out." })
  @IsOptional() @IsString() @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'upstreamSlug must be an upstream slug' })
  upstreamSlug?: string | null;

  @Field({ description: 'The record: a GitHub issue URL, a Debian bug number or URL, a Launchpad bug URL, a Bugzilla show_bug.cgi URL, as the upstream\'s tracker kind wants.' })
  @IsString() @MinLength(1, { message: 'url must not be empty' }) @MaxLength(500, { message: 'url must be at most 500 characters' })
  url!: string;
}

@InputType({ description: 'Reads the linked record now instead of at its next scheduled check.' })
export class CheckUpstreamRecordInput {
  @Field(() => ID, { description: 'The forward.' })
  @IsString() @MaxLength(200)
  forwardId!: string;
}

@InputType({ description: 'Approves or drops a reply by mail held for the item\'s maintainers.' })
export class DecideHeldMailInput {
  @Field(() => ID, { description: 'The held mail.' })
  @IsString() @MaxLength(200)
  heldMailId!: string;
}

@ObjectType({ description: 'The held mail as decided, and its item.' })
export class HeldMailPayload {
  @Field(() => HeldMail, { description: 'The held mail, APPROVED or DROPPED.' })
  heldMail!: HeldMail;

  @Field(() => Item, { description: 'The item it was a reply to.' })
  item!: Item;
}
