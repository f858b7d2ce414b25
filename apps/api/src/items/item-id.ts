import { DomainError } from '@headwaters/core';
import { fromGlobalId } from '@headwaters/graphql-kit';
import type { RequestContext } from '../graphql/request-context';
import { ITEM_TYPES } from './item.type';

/**
 * The database id of an item from its global ID, which must be a Bug's or a FeatureSuggestion's
 * and name an item of that kind: a `FeatureSuggestion:` ID of a bug (or the reverse) is
 * BAD_USER_INPUT naming `field`, as anything that is not an item's ID. An ID naming no item is
 * left to the use case (NOT_FOUND).
 */
export async function itemIdOf(context: RequestContext, globalId: string, field = 'itemId'): Promise<number> {
  const { type, id } = fromGlobalId(globalId, ITEM_TYPES, field);
  const [found] = await context.fetchNodes(type, [id]);
  if (found) return id;
  const other = ITEM_TYPES.find((t) => t !== type)!;
  const [asOther] = await context.fetchNodes(other, [id]);
  if (asOther) throw DomainError.invalid('INVALID_ID', `${field} must be the ID of a ${other} here: it names a ${other}, not a ${type}`, field);
  return id;
}
