import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { ArrayMaxSize, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IMPORTANCES, ITEM_STATUSES, MAX_COMMENT_LENGTH, MAX_TAGS, type Importance as ImportanceValue, type ItemStatus as StatusValue } from '@headwaters/items';
import { COMPONENT_SLUG } from '@headwaters/catalogue';
import { Importance, ItemStatus } from '../items/item-enums';
import { Item } from '../items/item.type';

/** A release slug, or the empty string that clears. */
const RELEASE_SLUG_OR_EMPTY = /^([a-z0-9][a-z0-9.-]{0,99})?$/;

@InputType({ description: 'A maintainer\'s changes to an item; at least one field besides itemId.' })
export class TriageInput {
  @Field(() => ID, { description: 'The item.' })
  @IsString() @MaxLength(200)
  itemId!: string;

  @Field(() => ItemStatus, { nullable: true, description: 'A new status (DUPLICATE and EXPIRED are set otherwise).' })
  @IsOptional() @IsIn(ITEM_STATUSES)
  status?: StatusValue | null;

  @Field(() => Importance, { nullable: true, description: 'A new importance.' })
  @IsOptional() @IsIn(IMPORTANCES)
  importance?: ImportanceValue | null;

  @Field(() => String, { nullable: true, description: 'Moving an item to another component re-routes it.' })
  @IsOptional() @Matches(COMPONENT_SLUG, { message: 'componentSlug must be a component slug such as xapi/xenopsd' })
  componentSlug?: string | null;

  @Field(() => String, { nullable: true, description: 'A comment to go with the change.' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(MAX_COMMENT_LENGTH + 100)
  comment?: string | null;

  @Field(() => String, { nullable: true, description: 'Bugs: the release that carries the fix, by slug (e.g. xenserver-8.2); an empty string clears it.' })
  @IsOptional() @Matches(RELEASE_SLUG_OR_EMPTY, { message: 'fixedInSlug must be a release slug such as xenserver-8.2, or "" to clear it' })
  fixedInSlug?: string | null;

  @Field(() => String, { nullable: true, description: 'Features: the release it is planned for, by slug; an empty string clears it.' })
  @IsOptional() @Matches(RELEASE_SLUG_OR_EMPTY, { message: 'plannedForSlug must be a release slug such as xenserver-8.2, or "" to clear it' })
  plannedForSlug?: string | null;

  @Field(() => [String], { nullable: true, description: 'Tags to add (a-z, 0-9 and -, at most 50 characters; upper case is lowered). An item carries at most 20.' })
  @IsOptional() @ArrayMaxSize(MAX_TAGS) @IsString({ each: true }) @MaxLength(60, { each: true })
  addTags?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Tags to remove.' })
  @IsOptional() @ArrayMaxSize(MAX_TAGS) @IsString({ each: true }) @MaxLength(60, { each: true })
  removeTags?: string[] | null;
}

@ObjectType({ description: 'The item as it is now.' })
export class TriagePayload {
  @Field(() => Item, { description: 'The item.' })
  item!: Item;
}

@InputType({ description: 'Which item duplicates which.' })
export class MarkDuplicateInput {
  @Field(() => ID, { description: 'The duplicate, to be closed.' })
  @IsString() @MaxLength(200)
  itemId!: string;

  @Field(() => ID, { description: 'The original (if it is itself a duplicate, its original is used).' })
  @IsString() @MaxLength(200)
  duplicateOfId!: string;
}

@ObjectType({ description: 'The duplicate and its original, as they are now.' })
export class MarkDuplicatePayload {
  @Field(() => Item, { description: 'The duplicate.' })
  item!: Item;

  @Field(() => Item, { description: 'The original, now counting the duplicate\'s voters.' })
  original!: Item;
}

@InputType({ description: 'Which duplicate to give its own life again.' })
export class UnmarkDuplicateInput {
  @Field(() => ID, { description: 'The duplicate.' })
  @IsString() @MaxLength(200)
  itemId!: string;
}

@ObjectType({ description: 'The item and its former original, as they are now.' })
export class UnmarkDuplicatePayload {
  @Field(() => Item, { description: 'The item, back to its status before.' })
  item!: Item;

  @Field(() => Item, { description: 'Its former original.' })
  original!: Item;
}
