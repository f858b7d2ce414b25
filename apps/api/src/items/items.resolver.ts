import { Context, Int, Query, Resolver } from '@nestjs/graphql';
import { Args } from '../graphql/args.decorator';
import { ItemQueryService, orderingName, type ItemList } from '@headwaters/items';
import { connectionOf, pageQueryOf, type ConnectionArgs, type ConnectionShape, type CursorValueKind } from '@headwaters/graphql-kit';
import type { RequestContext } from '../graphql/request-context';
import { ItemConnection } from './item-connections.type';
import { ItemsArgs, SearchArgs, SimilarItemsArgs } from './item-filter.input';
import { Item, toItem } from './item.type';
import { CatalogueReader } from '@headwaters/catalogue';
import { itemLoader, visibilityOf } from './visibility-context';

/** The connection of a page of items; shared by every list of items. */
export function itemConnection(list: ItemList): ConnectionShape<Item> {
  return connectionOf(list.slice, list.page, orderingName(list.order), (i) => i.key, (i) => toItem(i.record), list.count);
}

type ItemOrder = Parameters<typeof orderingName>[0];

/**
 * What the values of an item list's cursors are, per order: the sort value (as the list's SQL
 * casts it back) and the id; relevance's also carry whether the item was ranked.
 */
const ITEM_CURSOR_KINDS: Record<ItemOrder['field'], readonly CursorValueKind[]> = {
  CREATED_AT: ['timestamptz', 'int'],
  UPDATED_AT: ['timestamptz', 'int'],
  VOTES: ['int', 'int'],
  IMPORTANCE: ['smallint', 'int'],
  NUMBER: ['int', 'int'],
  RELEVANCE: ['int', 'real', 'int'],
  HEAT: ['double', 'int'],
};

/** Cursors of items carry the sort value and the id, each checked against its type. */
export const itemPage = (args: ConnectionArgs) => (order: ItemOrder) => pageQueryOf(args, orderingName(order), ITEM_CURSOR_KINDS[order.field]);

/** Reading items: by number, lists with filters and orders, people's search strings, look-alikes. */
@Resolver(() => Item)
export class ItemsResolver {
  constructor(
    private readonly itemQueries: ItemQueryService,
    private readonly reader: CatalogueReader,
  ) {}

  @Query(() => Item, { nullable: true, description: 'The item with this number (#12 is 12); null when there is none.' })
  async item(@Args('number', { type: () => Int }) number: number, @Context() context: RequestContext): Promise<Item | null> {
    if (!Number.isInteger(number) || number < 1) return null;
    const record = await this.itemQueries.byNumber(number, await visibilityOf(context, this.reader));
    if (!record) return null;
    (await itemLoader(context, this.reader, this.itemQueries)).prime(record.id, record);
    return toItem(record);
  }

  @Query(() => ItemConnection, { description: 'Items, filtered and sorted (newest first by default; best match first with filter.text), keyset-paginated both ways.' })
  async items(@Args() args: ItemsArgs, @Context() context: RequestContext): Promise<ConnectionShape<Item>> {
    const order = args.orderBy ? { field: args.orderBy.field, direction: args.orderBy.direction } : null;
    return itemConnection(await this.itemQueries.list({ ...args.filter }, order, itemPage(args), await visibilityOf(context, this.reader)));
  }

  @Query(() => ItemConnection, {
    description: 'A search string for people: is:open component:xapi votes:>10 sort:votes-desc "live migration" ... Unknown qualifiers and bad values are BAD_USER_INPUT.',
  })
  async search(@Args() args: SearchArgs, @Context() context: RequestContext): Promise<ConnectionShape<Item>> {
    return itemConnection(await this.itemQueries.search(args.query, itemPage(args), await visibilityOf(context, this.reader)));
  }

  @Query(() => [Item], { description: 'Open items likely to be the same as a report being written, best first.' })
  async similarItems(@Args() args: SimilarItemsArgs, @Context() context: RequestContext): Promise<Item[]> {
    const records = await this.itemQueries.similar(args.title, args.description, args.first ?? 5, await visibilityOf(context, this.reader));
    return records.map(toItem);
  }
}
