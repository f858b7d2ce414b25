import { Context, Field, ID, InputType, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { Args } from '../graphql/args.decorator';
import { IsString, MaxLength } from 'class-validator';
import { DomainError } from '@headwaters/core';
import { VotingService, type Admission } from '@headwaters/voting';
import type { RequestContext } from '../graphql/request-context';
import { checkItemKind, itemIdOf } from '../items/item-id';
import { visibilityOf } from '../items/visibility-context';
import { CatalogueReader } from '@headwaters/catalogue';
import { Item, toItem } from '../items/item.type';

@InputType({ description: 'Which item.' })
export class VoteInput {
  @Field(() => ID, { description: 'A Bug or FeatureSuggestion ID.' })
  @IsString() @MaxLength(200)
  itemId!: string;
}

@ObjectType({ description: 'The item, with its count as it is now.' })
export class VotePayload {
  @Field(() => Item, { description: 'The item voted on.' })
  item!: Item;
}

/** Votes: one per person per item, exact counts. */
@Resolver()
export class VotingResolver {
  constructor(
    private readonly voting: VotingService,
    private readonly reader: CatalogueReader,
  ) {}

  @Mutation(() => VotePayload, { description: 'Votes for an open item (again: no change). A vote on a duplicate counts on its original. Signed-in users only.' })
  async vote(@Args('input') input: VoteInput, @Context() context: RequestContext): Promise<VotePayload> {
    const actor = await context.actor();
    const id = itemIdOf(input.itemId, 'itemId');
    return { item: toItem(await this.voting.vote(actor, id, await this.admission(context, input.itemId))) };
  }

  @Mutation(() => VotePayload, { description: 'Takes your vote back (none: no change). Signed-in users only.' })
  async unvote(@Args('input') input: VoteInput, @Context() context: RequestContext): Promise<VotePayload> {
    const actor = await context.actor();
    const id = itemIdOf(input.itemId, 'itemId');
    return { item: toItem(await this.voting.unvote(actor, id, await this.admission(context, input.itemId))) };
  }

  /**
   * The check of the item a vote names, made on the item as the vote locks it: NOT_FOUND unless
   * the viewer may see it (exactly as for an id that names nothing), and the ID's type must be the item's.
   */
  private async admission(context: RequestContext, globalId: string, field = 'itemId'): Promise<Admission> {
    const visibility = await visibilityOf(context, this.reader);
    return (item) => {
      if (!visibility.allows(item)) throw DomainError.notFound('ITEM_NOT_FOUND', `${field} names no item`, field);
      checkItemKind(globalId, item.kind, field);
    };
  }

}
