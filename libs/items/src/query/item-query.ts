import type { ForwardState, Importance, ItemKind, ItemStatus } from '../item.record';

/** Which items a list shows; every field narrows it, all must hold. */
export interface ItemFilter {
  kind?: ItemKind;
  status?: ItemStatus[];
  closed?: boolean;
  importance?: Importance[];
  /** Component slugs: an item matches when its component is one of these or a descendant. */
  components?: string[];
  /** Upstream slugs the items are routed to. */
  upstreams?: string[];
  forwardState?: ForwardState[];
  /** A username (any case). */
  reporter?: string;
  /** Full-text search (web-search syntax: words, "phrases", -exclusions, or). */
  text?: string;
  minVotes?: number;
  maxVotes?: number;
  /** false: only items without a component, the triage inbox of the distribution. */
  hasComponent?: boolean;
  /** The username of the assignee (any case). */
  assignee?: string;
  /** false: only items nobody is assigned to; true: only assigned ones. */
  hasAssignee?: boolean;
  /** Items carrying every one of these tags. */
  tags?: string[];
}

export const ITEM_ORDER_FIELDS = ['CREATED_AT', 'UPDATED_AT', 'VOTES', 'IMPORTANCE', 'NUMBER', 'RELEVANCE', 'HEAT'] as const;
export type ItemOrderField = (typeof ITEM_ORDER_FIELDS)[number];

export interface ItemOrder {
  field: ItemOrderField;
  direction: 'ASC' | 'DESC';
}

/** Without an explicit order: best matches first for a text search, newest first otherwise. */
export function defaultOrder(filter: ItemFilter): ItemOrder {
  return filter.text ? { field: 'RELEVANCE', direction: 'DESC' } : { field: 'CREATED_AT', direction: 'DESC' };
}
