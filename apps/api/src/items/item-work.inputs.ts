import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Item } from './item.type';

@InputType({ description: 'Who works on an item. Null username unassigns.' })
export class AssignInput {
  @Field(() => ID, { description: 'The item.' })
  @IsString() @MaxLength(200)
  itemId!: string;

  @Field(() => String, { nullable: true, description: 'A maintainer of the item (yourself, to take it); null unassigns.' })
  @IsOptional() @Matches(/^[A-Za-z0-9_-]{1,39}$/, { message: 'username must be a username' })
  username?: string | null;
}

@ObjectType({ description: 'The item, as assigned now.' })
export class AssignPayload {
  @Field(() => Item, { description: 'The item.' })
  item!: Item;
}

@InputType({ description: 'Makes an embargoed security report public.' })
export class DiscloseInput {
  @Field(() => ID, { description: 'The embargoed report.' })
  @IsString() @MaxLength(200)
  itemId!: string;
}

@ObjectType({ description: 'The report, public now.' })
export class DisclosePayload {
  @Field(() => Item, { description: 'The item.' })
  item!: Item;
}
