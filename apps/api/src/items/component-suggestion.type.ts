import { ArgsType, Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DESCRIPTION_MAX, MAX_COMPONENT_SUGGESTIONS, TITLE_MAX } from '@headwaters/items';
import { Component } from '../catalogue/catalogue.types';

@ObjectType({ description: 'A component a report being written probably belongs to, learned from how items were triaged.' })
export class ComponentSuggestion {
  @Field(() => Component, { description: 'The component.' })
  component!: Component;

  @Field(() => Float, { description: '0 to 1: how sure.' })
  score!: number;

  @Field({ description: 'Why, in words a reporter understands (the words that point there, similar items filed there).' })
  reason!: string;
}

@ArgsType()
export class SuggestComponentsArgs {
  @Field({ description: `The title being written (up to ${TITLE_MAX} characters).` })
  @IsString() @MaxLength(TITLE_MAX + 100)
  title!: string;

  @Field({ nullable: true, description: 'The description being written, if any (its first 2,000 characters are read).' })
  @IsOptional() @IsString() @MaxLength(DESCRIPTION_MAX)
  description?: string;

  @Field(() => Int, { nullable: true, description: `How many suggestions, best first (1 to ${MAX_COMPONENT_SUGGESTIONS}; default 3).` })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_COMPONENT_SUGGESTIONS)
  first?: number;
}
