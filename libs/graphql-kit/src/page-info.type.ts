import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Where a page stands in its list (Relay).' })
export class PageInfo {
  @Field({ description: 'Whether more elements follow this page.' })
  hasNextPage!: boolean;

  @Field({ description: 'Whether elements precede this page.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the first element of the page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'The cursor of the last element of the page.' })
  endCursor!: string | null;
}
