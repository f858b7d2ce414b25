import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { ArrayMaxSize, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { DESCRIPTION_MAX, MAX_COMMENT_LENGTH, MAX_TAGS, TITLE_MAX, VISIBILITIES, type Visibility as VisibilityValue } from '@headwaters/items';
import { Visibility } from './item-enums';
import { Comment } from './comment.type';
import { Bug, FeatureSuggestion, Item } from './item.type';

const COMPONENT_SLUG = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/;

@InputType({ description: 'A bug report.' })
export class FileBugInput {
  @Field({ description: `What goes wrong, in one line (5 to ${TITLE_MAX} characters).` })
  @IsString() @MaxLength(TITLE_MAX + 100)
  title!: string;

  @Field({ description: `What happens, what should happen, how to reproduce it (up to ${DESCRIPTION_MAX} characters).` })
  @IsString() @MaxLength(DESCRIPTION_MAX + 100)
  description!: string;

  @Field({ nullable: true, description: 'Optional: a report with no component waits in the triage inbox, routed to the distribution.' })
  @IsOptional() @Matches(COMPONENT_SLUG, { message: 'componentSlug must be a component slug such as xapi or xapi/xenopsd' })
  componentSlug?: string;

  @Field(() => [String], { nullable: true, description: 'Releases where the bug shows, by slug (e.g. xenserver-6.2).' })
  @IsOptional() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(100, { each: true })
  affectedReleaseSlugs?: string[];

  @Field(() => Visibility, { nullable: true, description: 'SECURITY files an embargoed report that only its reporter, the maintainers it is routed to and admins see, until disclosed; PUBLIC by default.' })
  @IsOptional() @IsIn(VISIBILITIES)
  visibility?: VisibilityValue;

  @Field(() => [String], { nullable: true, description: 'Labels: a-z, 0-9 and -, at most 50 characters each, at most 20 (upper case is lowered).' })
  @IsOptional() @ArrayMaxSize(MAX_TAGS) @IsString({ each: true }) @MaxLength(60, { each: true })
  tags?: string[];
}

@ObjectType({ description: 'The bug just filed.' })
export class FileBugPayload {
  @Field(() => Bug, { description: 'The new bug, already routed.' })
  bug!: Bug;
}

@InputType({ description: 'A feature suggestion.' })
export class SuggestFeatureInput {
  @Field({ description: `The idea, in one line (5 to ${TITLE_MAX} characters).` })
  @IsString() @MaxLength(TITLE_MAX + 100)
  title!: string;

  @Field({ description: `Why and how (up to ${DESCRIPTION_MAX} characters).` })
  @IsString() @MaxLength(DESCRIPTION_MAX + 100)
  description!: string;

  @Field({ nullable: true, description: 'Optional: the component it is about.' })
  @IsOptional() @Matches(COMPONENT_SLUG, { message: 'componentSlug must be a component slug such as xapi or xencenter' })
  componentSlug?: string;
}

@ObjectType({ description: 'The feature just suggested.' })
export class SuggestFeaturePayload {
  @Field(() => FeatureSuggestion, { description: 'The new suggestion, already routed.' })
  feature!: FeatureSuggestion;
}

@InputType({ description: 'A comment on an item.' })
export class CommentInput {
  @Field(() => ID, { description: 'The item (a Bug or FeatureSuggestion ID).' })
  @IsString() @MinLength(1) @MaxLength(200)
  itemId!: string;

  @Field({ description: `The text (1 to ${MAX_COMMENT_LENGTH} characters).` })
  @IsString() @MinLength(1) @MaxLength(MAX_COMMENT_LENGTH + 100)
  body!: string;
}

@ObjectType({ description: 'The comment just written, and its item.' })
export class CommentPayload {
  @Field(() => Comment, { description: 'The new comment.' })
  comment!: Comment;

  @Field(() => Item, { description: 'The item, as it is now.' })
  item!: Item;
}
