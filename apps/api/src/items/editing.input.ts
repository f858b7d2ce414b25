import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { DESCRIPTION_MAX, TITLE_MAX } from '@headwaters/items';
import { Item } from './item.type';

@InputType({ description: 'New text for an item: a title, a description, or both (what is left out stays).' })
export class EditItemInput {
  @Field(() => ID, { description: 'The item (a Bug or FeatureSuggestion ID).' })
  @IsString() @MinLength(1) @MaxLength(200)
  itemId!: string;

  @Field({ nullable: true, description: `The new title (5 to ${TITLE_MAX} characters).` })
  @IsOptional() @IsString() @MaxLength(TITLE_MAX + 100)
  title?: string;

  @Field({ nullable: true, description: `The new description (up to ${DESCRIPTION_MAX} characters).` })
  @IsOptional() @IsString() @MaxLength(DESCRIPTION_MAX + 100)
  description?: string;
}

@ObjectType({ description: 'The item as edited.' })
export class EditItemPayload {
  @Field(() => Item, { description: 'The item, with its new text; its timeline keeps the text before.' })
  item!: Item;
}
