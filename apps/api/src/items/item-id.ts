import { DomainError } from '@headwaters/core';
import { fromGlobalId } from '@headwaters/graphql-kit';
import { ITEM_TYPES } from './item.type';

/** The database id of an item from its global ID (a Bug or FeatureSuggestion); else BAD_USER_INPUT naming `field`. */
export function itemIdOf(globalId: string, field = 'itemId'): number {
  return fromGlobalId(globalId, ITEM_TYPES, field).id;
}

const KIND_OF_TYPE: Record<(typeof ITEM_TYPES)[number], string> = { Bug: 'BUG', FeatureSuggestion: 'FEATURE' };

/**
 * Refuses an item's global ID of the other kind: `FeatureSuggestion:<id of a bug>` (or the
 * reverse) is BAD_USER_INPUT naming `field`, as any ID that is not this item's.
 */
export function checkItemKind(globalId: string, kind: string, field = 'itemId'): void {
  const { type } = fromGlobalId(globalId, ITEM_TYPES, field);
  if (KIND_OF_TYPE[type as (typeof ITEM_TYPES)[number]] !== kind) {
    const actual = ITEM_TYPES.find((t) => KIND_OF_TYPE[t] === kind) ?? kind;
    throw DomainError.invalid('INVALID_ID', `${field} must be the ID of the ${actual} it names, not a ${type} ID`, field);
  }
}
