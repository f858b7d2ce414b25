/** Item kinds: bugs and feature suggestions share one lifecycle table. */
export type ItemKind = 'BUG' | 'FEATURE';

export const ITEM_STATUSES = [
  'NEW', 'INCOMPLETE', 'CONFIRMED', 'TRIAGED', 'PLANNED', 'IN_PROGRESS', 'FIX_COMMITTED',
  'FIX_RELEASED', 'WONT_FIX', 'INVALID', 'DUPLICATE', 'EXPIRED',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const CLOSED_STATUSES: ReadonlySet<ItemStatus> = new Set(['FIX_RELEASED', 'WONT_FIX', 'INVALID', 'DUPLICATE', 'EXPIRED']);

export const IMPORTANCES = ['UNDECIDED', 'CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'WISHLIST'] as const;
export type Importance = (typeof IMPORTANCES)[number];

/** PUBLIC, or SECURITY: an embargoed report only its reporter, its maintainers and admins see (see ItemVisibility). */
export const VISIBILITIES = ['PUBLIC', 'SECURITY'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const FORWARD_STATES = ['NOT_NEEDED', 'PENDING', 'FORWARDED', 'UPSTREAM_FIXED', 'UPSTREAM_REJECTED'] as const;
export type ForwardState = (typeof FORWARD_STATES)[number];

/** Where an item is routed and why. */
export interface RouteRecord {
  upstreamId: number;
  componentId: number | null;
  reason: string;
  manual: boolean;
  decidedAt: Date;
}

/** ROUTED: the forward to the upstream the item is routed to (listed first); ALSO_AFFECTS: another upstream's. */
export type ForwardKind = 'ROUTED' | 'ALSO_AFFECTS';

/**
 * The record of sending an item to one upstream (a row of `forward`, written by the forwarding
 * library; items only reads it). `url` to `checkError` are the watch of the upstream's own record.
 */
export interface ForwardRecord {
  id: number;
  itemId: number;
  kind: ForwardKind;
  state: ForwardState;
  upstreamId: number;
  reference: string | null;
  forwardedAt: Date | null;
  url: string | null;
  remoteStatus: string | null;
  lastCheckedAt: Date | null;
  checkError: string | null;
}

/**
 * One bug or feature suggestion without its forwards: what a list page reads (a page's forwards
 * are read only when a client asks for them, see ItemQueryService.forwardsOf).
 */
export interface ItemSummary {
  id: number;
  number: number;
  kind: ItemKind;
  title: string;
  description: string;
  status: ItemStatus;
  closed: boolean;
  importance: Importance;
  componentId: number | null;
  reporterId: number;
  duplicateOfId: number | null;
  voteCount: number;
  route: RouteRecord;
  fixedInId: number | null;
  plannedForId: number | null;
  incompleteSince: Date | null;
  visibility: Visibility;
  assigneeId: number | null;
  /** Sorted, unique labels. */
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
  /** The stored sort key of heat (see {@link heatOf}). */
  heatRank: number;
}

/** One bug or feature suggestion with its forwards, as services return it. */
export interface ItemRecord extends ItemSummary {
  /** The forward to the routed upstream (the first of `forwards`); null while it needs none. */
  forward: ForwardRecord | null;
  /** Every forward: the routed upstream's first, then the ones it also affects, oldest first. */
  forwards: ForwardRecord[];
}

/** Whether an item was read with its forwards (a list page's items come without). */
export const hasForwards = (item: ItemSummary): item is ItemRecord => 'forwards' in item;

/** The item's own columns, without its forwards. `i` is the item table. */
export const ITEM_OWN_COLUMNS = `i.id, i.number, i.kind, i.title, i.description, i.status, i.closed, i.importance,
  i.component_id, i.reporter_id, i.duplicate_of_id, i.vote_count,
  i.route_upstream_id, i.route_component_id, i.route_reason, i.route_manual, i.route_decided_at,
  i.fixed_in_id, i.planned_for_id, i.incomplete_since, i.visibility, i.assignee_id, i.tags, i.created_at, i.updated_at, i.heat_rank`;

/**
 * The item's forwards as one JSON array (routed first), read with the row: no statement of its
 * own, one probe of the (item_id, upstream_id) key per item. `id` is the item's id expression.
 */
export const forwardsOf = (id: string) => `(SELECT json_agg(json_build_object('id', f.id, 'itemId', f.item_id, 'kind', f.kind, 'state', f.state,
    'upstreamId', f.upstream_id, 'reference', f.reference, 'forwardedAt', f.forwarded_at, 'url', f.url, 'remoteStatus', f.remote_status,
    'lastCheckedAt', f.last_checked_at, 'checkError', f.check_error) ORDER BY ${FORWARD_ORDER}) FROM forward f WHERE f.item_id = ${id}) AS forwards`;

/** A forward's columns, aliased as {@link ForwardRecord}'s fields. `f` is the forward table. */
export const FORWARD_RECORD_COLUMNS = `f.id, f.item_id AS "itemId", f.kind, f.state, f.upstream_id AS "upstreamId", f.reference,
  f.forwarded_at AS "forwardedAt", f.url, f.remote_status AS "remoteStatus", f.last_checked_at AS "lastCheckedAt", f.check_error AS "checkError"`;

/** The order of an item's forwards: the routed upstream's first, then the others oldest first. */
export const FORWARD_ORDER = `f.kind = 'ROUTED' DESC, f.id`;

/** The columns every item query selects, aliased for {@link itemFromRow}. `i` is the item table. */
export const ITEM_COLUMNS = `${ITEM_OWN_COLUMNS}, ${forwardsOf('i.id')}`;

/** A forward as {@link forwardsOf} gives it (JSON: dates as text). */
type ForwardJson = Omit<ForwardRecord, 'forwardedAt' | 'lastCheckedAt'> & { forwardedAt: string | null; lastCheckedAt: string | null };

/** A row selected with {@link ITEM_OWN_COLUMNS}. */
export interface ItemSummaryRow {
  id: number;
  number: number;
  kind: ItemKind;
  title: string;
  description: string;
  status: ItemStatus;
  closed: boolean;
  importance: Importance;
  component_id: number | null;
  reporter_id: number;
  duplicate_of_id: number | null;
  vote_count: number;
  route_upstream_id: number;
  route_component_id: number | null;
  route_reason: string;
  route_manual: boolean;
  route_decided_at: Date;
  fixed_in_id: number | null;
  planned_for_id: number | null;
  incomplete_since: Date | null;
  visibility: Visibility;
  assignee_id: number | null;
  tags: string[];
  created_at: Date;
  updated_at: Date;
  heat_rank: number;
}

/** A row selected with {@link ITEM_COLUMNS}. */
export interface ItemRow extends ItemSummaryRow {
  forwards: ForwardJson[] | null;
}

/** The routed upstream's forward among an item's forwards (in {@link FORWARD_ORDER}), if any. */
export const routedOf = (forwards: readonly ForwardRecord[]): ForwardRecord | null => (forwards[0]?.kind === 'ROUTED' ? forwards[0] : null);

const dateOf = (value: string | null): Date | null => (value === null ? null : new Date(value));

export function itemFromRow(row: ItemRow): ItemRecord {
  const forwards = (row.forwards ?? []).map((f): ForwardRecord => ({ ...f, forwardedAt: dateOf(f.forwardedAt), lastCheckedAt: dateOf(f.lastCheckedAt) }));
  return { ...itemSummaryFromRow(row), forward: routedOf(forwards), forwards };
}

export function itemSummaryFromRow(row: ItemSummaryRow): ItemSummary {
  return {
    id: row.id,
    number: row.number,
    kind: row.kind,
    title: row.title,
    description: row.description,
    status: row.status,
    closed: row.closed,
    importance: row.importance,
    componentId: row.component_id,
    reporterId: row.reporter_id,
    duplicateOfId: row.duplicate_of_id,
    voteCount: row.vote_count,
    route: {
      upstreamId: row.route_upstream_id,
      componentId: row.route_component_id,
      reason: row.route_reason,
      manual: row.route_manual,
      decidedAt: row.route_decided_at,
    },
    fixedInId: row.fixed_in_id,
    plannedForId: row.planned_for_id,
    incompleteSince: row.incomplete_since,
    visibility: row.visibility,
    assigneeId: row.assignee_id,
    tags: row.tags,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    heatRank: row.heat_rank,
  };
}
