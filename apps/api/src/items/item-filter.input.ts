import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { FORWARD_STATES, IMPORTANCES, ITEM_ORDER_FIELDS, ITEM_STATUSES, MAX_TAGS, TAG, type ForwardState, type Importance, type ItemOrderField as Field_, type ItemStatus as Status } from '@headwaters/items';
import { ConnectionArgs } from '@headwaters/graphql-kit';
import { ForwardState as ForwardStateEnum, Importance as ImportanceEnum, ItemKind, ItemOrderField, ItemStatus, OrderDirection } from './item-enums';

const SLUG = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/;

@InputType('ItemFilter', { description: 'Which items to list; every field given narrows the list.' })
export class ItemFilterInput {
  @Field(() => ItemKind, { nullable: true, description: 'Only bugs, or only feature suggestions.' })
  @IsOptional() @IsIn(['BUG', 'FEATURE'])
  kind?: ItemKind;

  @Field(() => [ItemStatus], { nullable: true, description: 'Any of these statuses.' })
  @IsOptional() @ArrayMaxSize(ITEM_STATUSES.length) @IsIn(ITEM_STATUSES, { each: true })
  status?: Status[];

  @Field({ nullable: true, description: 'Only closed (true) or only open (false) items.' })
  @IsOptional() @IsBoolean()
  closed?: boolean;

  @Field(() => [ImportanceEnum], { nullable: true, description: 'Any of these importances.' })
  @IsOptional() @ArrayMaxSize(IMPORTANCES.length) @IsIn(IMPORTANCES, { each: true })
  importance?: Importance[];

  @Field(() => [String], { nullable: true, description: 'Component slugs; an item matches when its component is one of these or a descendant.' })
  @IsOptional() @ArrayMaxSize(50) @Matches(SLUG, { each: true, message: 'filter.components must hold component slugs such as xapi or xapi/xenopsd' })
  components?: string[];

  @Field(() => [String], { nullable: true, description: 'Upstream slugs the items are routed to.' })
  @IsOptional() @ArrayMaxSize(50) @Matches(/^[a-z0-9][a-z0-9-]*$/, { each: true, message: 'filter.upstreams must hold upstream slugs such as debian' })
  upstreams?: string[];

  @Field(() => [ForwardStateEnum], { nullable: true, description: 'Any of these forwarding states (NOT_NEEDED includes items that need no forwarding).' })
  @IsOptional() @ArrayMaxSize(FORWARD_STATES.length) @IsIn(FORWARD_STATES, { each: true })
  forwardState?: ForwardState[];

  @Field({ nullable: true, description: 'The username of the reporter (any case).' })
  @IsOptional() @IsString() @MaxLength(39)
  reporter?: string;

  @Field({ nullable: true, description: 'Full-text search over title, description and comments: words, "quoted phrases", -excluded, or.' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500)
  text?: string;

  @Field(() => Int, { nullable: true, description: 'At least this many votes.' })
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000_000)
  minVotes?: number;

  @Field(() => Int, { nullable: true, description: 'At most this many votes.' })
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000_000)
  maxVotes?: number;

  @Field({ nullable: true, description: 'false: only items filed without a component (with closed: false, the triage inbox).' })
  @IsOptional() @IsBoolean()
  hasComponent?: boolean;

  @Field(() => [String], { nullable: true, description: 'Items carrying every one of these tags.' })
  @IsOptional() @ArrayMaxSize(MAX_TAGS) @Matches(TAG, { each: true, message: 'filter.tags must hold tags: a-z, 0-9 and -, 1 to 50 characters' })
  tags?: string[];

  @Field({ nullable: true, description: 'Username of the assignee (any case).' })
  @IsOptional() @IsString() @MaxLength(39)
  assignee?: string;

  @Field({ nullable: true, description: 'false: only items nobody is assigned to; true: only assigned ones.' })
  @IsOptional() @IsBoolean()
  hasAssignee?: boolean;
}

@InputType('ItemOrder', { description: 'How to sort items.' })
export class ItemOrderInput {
  @Field(() => ItemOrderField, { description: 'What to sort by.' })
  @IsIn(ITEM_ORDER_FIELDS)
  field!: Field_;

  @Field(() => OrderDirection, { description: 'Which way.' })
  @IsIn(['ASC', 'DESC'])
  direction!: 'ASC' | 'DESC';
}

@ArgsType()
export class ItemsArgs extends ConnectionArgs {
  @Field(() => ItemFilterInput, { nullable: true, description: 'Which items (all when left out).' })
  @IsOptional() @ValidateNested() @Type(() => ItemFilterInput)
  filter?: ItemFilterInput;

  @Field(() => ItemOrderInput, { nullable: true, description: 'Sort order; newest first by default, best match first with filter.text.' })
  @IsOptional() @ValidateNested() @Type(() => ItemOrderInput)
  orderBy?: ItemOrderInput;
}

@ArgsType()
export class SearchArgs extends ConnectionArgs {
  @Field({ description: 'is:open component:xapi votes:>10 sort:votes-desc "live migration" ... (see the README).' })
  @IsString() @MaxLength(1000)
  query!: string;
}

@ArgsType()
export class SimilarItemsArgs {
  @Field({ description: 'The title being written.' })
  @IsString() @MinLength(3) @MaxLength(200)
  title!: string;

  @Field({ nullable: true, description: 'The description being written, if any.' })
  @IsOptional() @IsString() @MaxLength(50_000)
  description?: string;

  @Field(() => Int, { nullable: true, description: 'How many suggestions (1 to 20; default 5).' })
  @IsOptional() @IsInt() @Min(1) @Max(20)
  first?: number;
}
