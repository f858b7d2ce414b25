import { Context, Field, ID, InputType, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { Args } from '../graphql/args.decorator';
import { IsString, MaxLength } from 'class-validator';
import { ItemQueryService, ItemVisibility } from '@headwaters/items';
import { VotingService } from '@headwaters/voting';
import type { RequestContext } from '../graphql/request-context';
import { visibleItemOf } from '../items/visibility-context';
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
    private readonly itemQueries: ItemQueryService,
    private readonly reader: CatalogueReader,
  ) {}

  @Mutation(() => VotePayload, { description: 'Votes for an open item (again: no change). A vote on a duplicate counts on its original. Signed-in users only.' })
  async vote(@Args('input') input: VoteInput, @Context() context: RequestContext): Promise<VotePayload> {
    const id = await this.visibleId(context, input.itemId);
    await this.voting.vote(await context.actor(), id);
    return { item: toItem((await this.itemQueries.byIds([id], ItemVisibility.ALL))[0]!) };
  }

  @Mutation(() => VotePayload, { description: 'Takes your vote back (none: no change). Signed-in users only.' })
  async unvote(@Args('input') input: VoteInput, @Context() context: RequestContext): Promise<VotePayload> {
    const id = await this.visibleId(context, input.itemId);
    await this.voting.unvote(await context.actor(), id);
    return { item: toItem((await this.itemQueries.byIds([id], ItemVisibility.ALL))[0]!) };
  }

  /** The id of the item a mutation names, if the viewer may see it (else NOT_FOUND). */
  private async visibleId(context: RequestContext, globalId: string, field = 'itemId'): Promise<number> {
    return (await visibleItemOf(context, this.reader, this.itemQueries, globalId, field)).id;
  }
}
