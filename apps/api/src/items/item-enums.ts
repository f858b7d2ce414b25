import { registerEnumType } from '@nestjs/graphql';
import { FORWARD_STATES, IMPORTANCES, ITEM_ORDER_FIELDS, ITEM_STATUSES, VISIBILITIES } from '@headwaters/items';
import { enumOf } from '@headwaters/graphql-kit';


export const ItemKind = enumOf(['BUG', 'FEATURE'] as const);
export type ItemKind = keyof typeof ItemKind;
registerEnumType(ItemKind, {
  name: 'ItemKind',
  description: 'Bugs and feature suggestions share one lifecycle.',
  valuesMap: { BUG: { description: 'Something does not work as it should.' }, FEATURE: { description: 'A suggestion people vote on.' } },
});

export const ItemStatus = enumOf(ITEM_STATUSES);
registerEnumType(ItemStatus, {
  name: 'ItemStatus',
  description: 'One lifecycle for bugs and feature suggestions; which transitions are allowed depends on kind and role.',
  valuesMap: {
    NEW: { description: 'Filed, not yet looked at.' },
    INCOMPLETE: { description: 'Waiting for the reporter: it expires if nobody answers.' },
    CONFIRMED: { description: 'Bugs: reproduced or otherwise confirmed.' },
    TRIAGED: { description: 'A maintainer has assessed it.' },
    PLANNED: { description: 'Features: accepted for a release.' },
    IN_PROGRESS: { description: 'Someone is working on it.' },
    FIX_COMMITTED: { description: 'Bugs: fixed in the source, not yet released.' },
    FIX_RELEASED: { description: 'Closed: the fix or feature is released.' },
    WONT_FIX: { description: 'Closed: will not be done.' },
    INVALID: { description: 'Closed: not a bug or not actionable.' },
    DUPLICATE: { description: 'Closed: the same as another item (see duplicateOf).' },
    EXPIRED: { description: 'Closed: incomplete for too long without an answer.' },
  },
});

export const Importance = enumOf(IMPORTANCES);
registerEnumType(Importance, { name: 'Importance', description: 'How much an item matters, set by maintainers; new items are UNDECIDED.' });

export const ForwardState = enumOf(FORWARD_STATES);
registerEnumType(ForwardState, {
  name: 'ForwardState',
  description: 'Where sending an item to its upstream stands.',
  valuesMap: {
    NOT_NEEDED: { description: 'The upstream triages here, or nothing needs sending yet.' },
    PENDING: { description: 'Confirmed for an upstream that works elsewhere: a maintainer should forward it.' },
    FORWARDED: { description: 'Sent; the upstream reference is recorded.' },
    UPSTREAM_FIXED: { description: 'The upstream reports it fixed.' },
    UPSTREAM_REJECTED: { description: 'The upstream declined it.' },
  },
});

export const ItemOrderField = enumOf(ITEM_ORDER_FIELDS);
registerEnumType(ItemOrderField, {
  name: 'ItemOrderField',
  description: 'What to sort items by (ties are broken by creation).',
  valuesMap: { RELEVANCE: { description: 'Best text match first; needs filter.text.' }, IMPORTANCE: { description: 'CRITICAL > HIGH > MEDIUM > LOW > WISHLIST > UNDECIDED.' },
    HEAT: { description: 'Hottest first (DESC): votes, followers, duplicates and comments, cooling while an item is quiet (see Item.heat).' },
  },
});

export const OrderDirection = enumOf(['ASC', 'DESC'] as const);
registerEnumType(OrderDirection, { name: 'OrderDirection', description: 'Ascending or descending.' });

export const Visibility = enumOf(VISIBILITIES);
registerEnumType(Visibility, {
  name: 'Visibility',
  description: 'Who may know an item exists.',
  valuesMap: {
    PUBLIC: { description: 'Everyone, signed in or not.' },
    SECURITY: { description: 'An embargoed security report: only its reporter, maintainers of the upstream it is routed to (or of its component), and admins know it exists.' },
  },
});
