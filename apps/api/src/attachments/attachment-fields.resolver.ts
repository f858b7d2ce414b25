import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AttachmentService } from '@headwaters/items';
import type { RequestContext } from '../graphql/request-context';
import { Item } from '../items/item.type';
import { Attachment } from './attachment.type';

/** An item's attachments: one query for every item of a page. */
@Resolver(() => Item)
export class AttachmentFieldsResolver {
  constructor(private readonly store: AttachmentService) {}

  @ResolveField(() => [Attachment], { description: 'Files attached to it (logs, status reports, screenshots), oldest first. Upload with POST /items/{number}/attachments.' })
  async attachments(@Parent() item: Item, @Context() context: RequestContext): Promise<Attachment[]> {
    const records = await context.loader('attachments', (ids: readonly number[]) => this.store.byItemIds(ids)).load(item.record.id);
    return records.map(Attachment.from);
  }
}
