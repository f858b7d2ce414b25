import type { CatalogueReader } from '@headwaters/catalogue';
import { DomainError } from '@headwaters/core';
import { ItemVisibility, type ItemQueryService, type ItemRecord } from '@headwaters/items';
import { catalogueOf } from '../catalogue/catalogue-context';
import type { RequestContext } from '../graphql/request-context';
import { checkItemKind, itemIdOf } from './item-id';

const PUBLIC = Promise.resolve(ItemVisibility.PUBLIC);

/**
 * What the request's viewer may see (see ItemVisibility), worked out once per request. Every
 * read of items in the API goes through it: there is no other way to ask for items.
 */
export function visibilityOf(context: RequestContext, reader: CatalogueReader): Promise<ItemVisibility> {
  if (context.isAnonymous) return PUBLIC;
  return context
    .loader<number, ItemVisibility>('visibility', async (keys) => {
      const actor = await context.actor();
      const visibility = actor ? ItemVisibility.of(actor, await catalogueOf(context, reader)) : ItemVisibility.PUBLIC;
      return keys.map(() => visibility);
    })
    .load(0);
}

/** The request's loader of items by id, keeping to what the viewer may see (null for the rest). */
export async function itemLoader(context: RequestContext, reader: CatalogueReader, itemQueries: ItemQueryService) {
  const visibility = await visibilityOf(context, reader);
  return context.loader('item', (ids: readonly number[]) => itemQueries.byIds(ids, visibility));
}

/**
 * The item a mutation names, by global ID, if the viewer may see it; NOT_FOUND naming `field`
 * otherwise, exactly as for an id that names nothing (an embargoed report does not exist for
 * those who may not see it, so they cannot comment, vote, or learn anything from a FORBIDDEN).
 */
export async function visibleItemOf(context: RequestContext, reader: CatalogueReader, itemQueries: ItemQueryService, globalId: string, field = 'itemId'): Promise<ItemRecord> {
  const id = itemIdOf(globalId, field);
  const record = await (await itemLoader(context, reader, itemQueries)).load(id);
  if (!record) throw DomainError.notFound('ITEM_NOT_FOUND', `${field} names no item`, field);
  checkItemKind(globalId, record.kind, field);
  return record;
}
