import { Context, Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import type { RequestContext } from './request-context';

@ObjectType({ description: 'Where you stand in the hourly budget of points (see the README for what each field costs).' })
export class RateLimit {
  @Field(() => Int, { description: 'Points this request cost.' })
  cost!: number;

  @Field(() => Int, { description: 'Points per hour: per user when signed in, per address otherwise (0: no hourly budget).' })
  limit!: number;

  @Field(() => Int, { description: 'Points left in this hour, after this request.' })
  remaining!: number;

  @Field(() => Date, { description: 'When the hour ends and the budget is whole again.' })
  resetAt!: Date;
}

/** GitHub's `rateLimit`: what this request cost and what is left of the hour. */
@Resolver()
export class RateLimitResolver {
  @Query(() => RateLimit, { nullable: true, description: 'What this request cost and what is left of your hourly budget. Costs nothing itself.' })
  rateLimit(@Context() context: RequestContext): RateLimit | null {
    return context.rateLimit ?? null;
  }
}
