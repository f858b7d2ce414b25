import { Context, Mutation, Resolver } from '@nestjs/graphql';
import { Args } from '../graphql/args.decorator';
import { ItemQueryService, ItemVisibility } from '@headwaters/items';
import { DuplicateService, TriageService } from '@headwaters/triage';
import type { RequestContext } from '../graphql/request-context';
import { visibleItemOf } from '../items/visibility-context';
import { CatalogueReader } from '@headwaters/catalogue';
import { toItem } from '../items/item.type';
import { MarkDuplicateInput, MarkDuplicatePayload, TriageInput, TriagePayload, UnmarkDuplicateInput, UnmarkDuplicatePayload } from './triage.inputs';

/** What maintainers do: triage and duplicates. */
@Resolver()
export class TriageResolver {
  constructor(
    private readonly triaging: TriageService,
    private readonly duplicates: DuplicateService,
    private readonly itemQueries: ItemQueryService,
    private readonly reader: CatalogueReader,
  ) {}

  @Mutation(() => TriagePayload, { description: "Sets status, importance or component (re-routing it), with an optional comment. The route's maintainers and admins." })
  async triage(@Args('input') input: TriageInput, @Context() context: RequestContext): Promise<TriagePayload> {
    const id = await this.visibleId(context, input.itemId);
    const { itemId: _, ...change } = input;
    await this.triaging.triage(await context.actor(), id, change);
    return { item: toItem((await this.itemQueries.byIds([id], ItemVisibility.ALL))[0]!) };
  }

  @Mutation(() => MarkDuplicatePayload, { description: "Closes an item as a DUPLICATE of another (chains collapse); its voters count on the original. The maintainers of the item marked, and admins." })
  async markDuplicate(@Args('input') input: MarkDuplicateInput, @Context() context: RequestContext): Promise<MarkDuplicatePayload> {
    const { item, original } = await this.duplicates.markDuplicate(await context.actor(), await this.visibleId(context, input.itemId), await this.visibleId(context, input.duplicateOfId, 'duplicateOfId'));
    return { item: toItem(item), original: toItem(original) };
  }

  @Mutation(() => UnmarkDuplicatePayload, { description: "Undoes markDuplicate exactly, votes included. The maintainers of the duplicate or of its original, and admins." })
  async unmarkDuplicate(@Args('input') input: UnmarkDuplicateInput, @Context() context: RequestContext): Promise<UnmarkDuplicatePayload> {
    const { item, original } = await this.duplicates.unmarkDuplicate(await context.actor(), await this.visibleId(context, input.itemId));
    return { item: toItem(item), original: toItem(original) };
  }

  /** The id of the item a mutation names, if the viewer may see it (else NOT_FOUND). */
  private async visibleId(context: RequestContext, globalId: string, field = 'itemId'): Promise<number> {
    return (await visibleItemOf(context, this.reader, this.itemQueries, globalId, field)).id;
  }
}
