import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Relay pagination arguments, validated: `first` and `last` are 1 to 100. */
@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Returns the first n elements (1 to ${MAX_PAGE_SIZE}; default ${DEFAULT_PAGE_SIZE}).` })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true, description: 'Returns the elements after this cursor.' })
  @IsOptional() @IsString() @MaxLength(1000)
  after?: string;

  @Field(() => Int, { nullable: true, description: `Returns the last n elements (1 to ${MAX_PAGE_SIZE}).` })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_PAGE_SIZE)
  last?: number;

  @Field(() => String, { nullable: true, description: 'Returns the elements before this cursor.' })
  @IsOptional() @IsString() @MaxLength(1000)
  before?: string;
}
