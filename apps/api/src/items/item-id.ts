import { fromGlobalId } from '@headwaters/graphql-kit';
import { ITEM_TYPES } from './item.type';

/** The database id of an item from its global ID (a Bug or FeatureSuggestion); else BAD_USER_INPUT naming `field`. */
export function itemIdOf(globalId: string, field = 'itemId'): number {
  return fromGlobalId(globalId, ITEM_TYPES, field).id;
}
