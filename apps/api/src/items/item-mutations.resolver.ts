import { Context, Mutation, Resolver } from '@nestjs/graphql';
import { Args } from '../graphql/args.decorator';
import { CommentService, FilingService, ItemEditingService, ItemQueryService, ItemVisibility } from '@headwaters/items';
import type { RequestContext } from '../graphql/request-context';
import { Comment } from './comment.type';
import { EditItemInput, EditItemPayload } from './editing.input';
import { CommentInput, CommentPayload, FileBugInput, FileBugPayload, SuggestFeatureInput, SuggestFeaturePayload } from './filing.input';
import { visibleItemOf } from './visibility-context';
import { CatalogueReader } from '@headwaters/catalogue';
import { Bug, FeatureSuggestion, toItem } from './item.type';

/** What reporters do: file bugs, suggest features, edit what they filed, comment. */
@Resolver()
export class ItemMutationsResolver {
  constructor(
    private readonly filing: FilingService,
    private readonly commenting: CommentService,
    private readonly itemQueries: ItemQueryService,
    private readonly reader: CatalogueReader,
    private readonly editing: ItemEditingService,
  ) {}

  @Mutation(() => FileBugPayload, { description: 'Files a bug; it is numbered and routed at once. Signed-in users only.' })
  async fileBug(@Args('input') input: FileBugInput, @Context() context: RequestContext): Promise<FileBugPayload> {
    const record = await this.filing.file(await context.actor(), { kind: 'BUG', ...input });
    return { bug: toItem(record) as Bug };
  }

  @Mutation(() => SuggestFeaturePayload, { description: 'Suggests a feature for people to vote on; numbered and routed at once. Signed-in users only.' })
  async suggestFeature(@Args('input') input: SuggestFeatureInput, @Context() context: RequestContext): Promise<SuggestFeaturePayload> {
    const record = await this.filing.file(await context.actor(), { kind: 'FEATURE', ...input });
    return { feature: toItem(record) as FeatureSuggestion };
  }

  @Mutation(() => CommentPayload, {
    description: "Comments on an item. A reporter's comment on their own INCOMPLETE item puts it back to NEW. Signed-in users only.",
  })
  async addComment(@Args('input') input: CommentInput, @Context() context: RequestContext): Promise<CommentPayload> {
    const itemId = await this.visibleId(context, input.itemId);
    const comment = await this.commenting.addComment(await context.actor(), itemId, input.body);
    const [record] = await this.itemQueries.byIds([itemId], ItemVisibility.ALL);
    return { comment: Comment.from(comment), item: toItem(record!) };
  }

  @Mutation(() => EditItemPayload, {
    description:
      "Changes an item's title or description. Its reporter, maintainers of the upstream it is routed to (or of its component) and admins may; the timeline keeps the text before.",
  })
  async editItem(@Args('input') input: EditItemInput, @Context() context: RequestContext): Promise<EditItemPayload> {
    const record = await this.editing.edit(await context.actor(), await this.visibleId(context, input.itemId), { title: input.title, description: input.description });
    return { item: toItem(record) };
  }

  /** The id of the item a mutation names, if the viewer may see it (else NOT_FOUND). */
  private async visibleId(context: RequestContext, globalId: string, field = 'itemId'): Promise<number> {
    return (await visibleItemOf(context, this.reader, this.itemQueries, globalId, field)).id;
  }
}
