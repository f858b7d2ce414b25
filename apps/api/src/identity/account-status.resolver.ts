import { Context, Field, InputType, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { AccountStatusService } from '@headwaters/identity';
import { Args } from '../graphql/args.decorator';
import type { RequestContext } from '../graphql/request-context';
import { User } from './identity.types';

@InputType({ description: 'Whose account to deactivate.' })
export class DeactivateUserInput {
  @Field({ description: 'Their username.' })
  @IsString() @MinLength(1) @MaxLength(39)
  username!: string;
}

@ObjectType({ description: 'The account deactivated.' })
export class DeactivateUserPayload {
  @Field(() => User, { description: 'The user, who can no longer sign in and is told of nothing.' })
  user!: User;
}

/** Closing accounts. */
@Resolver()
export class AccountStatusResolver {
  constructor(private readonly status: AccountStatusService) {}

  @Mutation(() => DeactivateUserPayload, {
    description: 'Deactivates an account: every token of it is revoked, it can no longer sign in, and no notification, mail or live event reaches it any more (those already queued are dropped when their turn comes). Admins only; not their own.',
  })
  async deactivateUser(@Args('input') input: DeactivateUserInput, @Context() context: RequestContext): Promise<DeactivateUserPayload> {
    return { user: User.from(await this.status.deactivate(await context.actor(), input.username)) };
  }
}
