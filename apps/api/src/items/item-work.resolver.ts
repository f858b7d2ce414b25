import { Context, Mutation, Resolver } from '@nestjs/graphql';
import { CatalogueReader } from '@headwaters/catalogue';
import { AssignmentService, DisclosureService, ItemQueryService } from '@headwaters/items';
import { Args } from '../graphql/args.decorator';
import type { RequestContext } from '../graphql/request-context';
import { AssignInput, AssignPayload, DiscloseInput, DisclosePayload } from './item-work.inputs';
import { toItem } from './item.type';
import { visibleItemOf } from './visibility-context';

/** Who works on an item, and the end of a security embargo. */
@Resolver()
export class ItemWorkResolver {
  constructor(
    private readonly assignments: AssignmentService,
    private readonly disclosures: DisclosureService,
    private readonly itemQueries: ItemQueryService,
    private readonly reader: CatalogueReader,
  ) {}

  @Mutation(() => AssignPayload, {
    description: "Assigns an item to one of its maintainers (a maintainer may take it), or unassigns it (username: null). The item's maintainers and admins.",
  })
  async assign(@Args('input') input: AssignInput, @Context() context: RequestContext): Promise<AssignPayload> {
    const item = await visibleItemOf(context, this.reader, this.itemQueries, input.itemId);
    return { item: toItem(await this.assignments.assign(await context.actor(), item.id, input.username ?? null)) };
  }

  @Mutation(() => DisclosePayload, { description: "Makes an embargoed security report PUBLIC, with a DISCLOSED event. The item's maintainers and admins." })
  async disclose(@Args('input') input: DiscloseInput, @Context() context: RequestContext): Promise<DisclosePayload> {
    const item = await visibleItemOf(context, this.reader, this.itemQueries, input.itemId);
    return { item: toItem(await this.disclosures.disclose(await context.actor(), item.id)) };
  }
}
