import { prepared } from './prepared';
/** Anything that runs SQL: a TypeORM EntityManager inside a transaction, or a DataSource. */
export interface SqlRunner {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

/**
 * What each event type keeps besides its sentence, one shape per type (as Vendure's
 * HistoryEntryData): readers can rely on it, and writers cannot forget or misspell a field.
 * Statuses and importances are their names (`NEW`, `HIGH`); ids are database ids.
 */
export interface TimelineEventData {
  FILED: Record<string, never>;
  RETITLED: { from: string; to: string };
  DESCRIPTION_EDITED: { previous: string };
  ROUTED: { upstreamId: number; componentId: number | null; manual?: boolean };
  STATUS_CHANGED: { from: string; to: string };
  IMPORTANCE_CHANGED: { from: string; to: string };
  COMPONENT_CHANGED: { from: number | null; to: number };
  COMMENTED: { commentId: number };
  VOTED: Record<string, never>;
  UNVOTED: Record<string, never>;
  /** On the duplicate (what unmarking needs to undo it), on the original, or on a re-pointed duplicate. */
  MARKED_DUPLICATE: { previousStatus: string; originalId: number; repointed: number[] } | { duplicateId: number } | { originalId: number; via: number };
  /** On the item given back its own life, or on its former original. */
  UNMARKED_DUPLICATE: { originalId: number; restoredStatus: string; repointed: number[] } | { duplicateId: number };
  FORWARD_NEEDED: { upstreamId: number };
  FORWARDED: { upstreamId: number; reference: string | null; deliveryId?: number };
  /** A forward's mail or POST given up after its attempts: the forward is PENDING again. */
  FORWARD_FAILED: { upstreamId: number; deliveryId: number; error: string | null };
  /** Another upstream the item affects (Launchpad's "also affects"). */
  ALSO_AFFECTS: { upstreamId: number };
  /** What the upstream did with a forwarded item (UPSTREAM_FIXED, UPSTREAM_REJECTED). */
  UPSTREAM_OUTCOME: { state: string; upstreamId: number };
  EXPIRED: { days: number };
  ATTACHED: { attachmentId: number };
  /** The assignee before and after (user ids; null: nobody). */
  ASSIGNED: { from: number | null; to: number | null };
  TAGGED: { tags: string[] };
  UNTAGGED: { tags: string[] };
  /** Release ids before and after (null: none). */
  FIXED_IN_CHANGED: { from: number | null; to: number | null };
  PLANNED_FOR_CHANGED: { from: number | null; to: number | null };
  DISCLOSED: { from: string; to: string };
  COMMENT_EDITED: { commentId: number; previous: string };
  COMMENT_HIDDEN: { commentId: number; reason: string | null };
  COMMENT_UNHIDDEN: { commentId: number };
  /** A forward linked to the upstream's own record (by a maintainer, a webhook's answer, Debian's acknowledgement). */
  UPSTREAM_LINKED: { forwardId: number; upstreamId: number; url: string };
  /** The upstream's record changed status, in its own words; `state` is the forward's new state when it moved. */
  UPSTREAM_STATUS_CHANGED: { forwardId: number; upstreamId: number; url: string; from: string | null; to: string; state: string | null };
  /** Someone commented on the upstream's record (a GitHub issue comment). */
  UPSTREAM_COMMENTED: { forwardId: number; upstreamId: number; author: string; url: string };
  /** A reply by mail through the upstream's mailing list. */
  UPSTREAM_REPLIED: { upstreamId: number; from: string; messageId: string | null; excerpt: string };
}

/** The event types written so far; the GraphQL `type` field is open-ended, so new ones may come. */
export type TimelineEventType = keyof TimelineEventData;

/** One event to record: its type decides the shape of its `data`. */
export type TimelineEventInput = {
  [T in TimelineEventType]: {
    itemId: number;
    type: T;
    /** Null for the system (a job, an ownership change without a person behind it). */
    actorId: number | null;
    /** A sentence a person can read. */
    summary: string;
    /** Left out where the shape is empty. */
    data?: TimelineEventData[T];
  };
}[TimelineEventType];

/** The `data` of one event type, for writers that build it apart from the event. */
export type TimelineEventDataOf<T extends TimelineEventType> = TimelineEventData[T];

/** A timeline event as written: its id and what it says. */
export interface RecordedEvent {
  id: number;
  itemId: number;
  type: TimelineEventType;
  actorId: number | null;
}

/**
 * Told of every event written, inside the transaction that writes it, so whatever it writes
 * (notifications, a job, a NOTIFY) commits or rolls back with the event. Libraries above the
 * core register one at start-up (notifications does); the core knows none of them. `looked` is
 * what the sink's {@link EventLookup} read in the statement that wrote the events, when it has
 * one and {@link recordEvents} wrote them; undefined otherwise (the sink then reads for itself).
 */
export type EventSink = (tx: SqlRunner, events: readonly RecordedEvent[], looked?: readonly unknown[]) => Promise<void>;

/**
 * A read a sink makes of the events in the very statement that inserts them, saving it a round
 * trip: `sql(recorded)` is a SELECT over the CTE named `recorded`, the inserted rows, with the
 * columns of `timeline_event` (id, item_id, type, actor_id, summary, data, created_at). Its rows
 * come to the sink through JSON (timestamps as text). A statement sees the table as it was before
 * the statement, so such a read finds the new events in `recorded` only.
 */
export interface EventLookup {
  sql(recorded: string): string;
}

interface Registered {
  sink: EventSink;
  lookup?: EventLookup;
}

const sinks = new Map<string, Registered[]>();

/**
 * Installs `sink` under `name`, with its `lookup` if it has one. Only the latest sink of a name
 * runs, so an app built twice in one process (tests do) does not fan out twice. Returns a
 * function that removes it again.
 */
export function registerEventSink(name: string, sink: EventSink, lookup?: EventLookup): () => void {
  const stack = sinks.get(name) ?? [];
  const entry: Registered = { sink, lookup };
  stack.push(entry);
  sinks.set(name, stack);
  return () => {
    const at = stack.lastIndexOf(entry);
    if (at >= 0) stack.splice(at, 1);
    if (stack.length === 0) sinks.delete(name);
  };
}

/** The sinks that run: the latest of each name, in the order their names were first registered. */
const activeSinks = (): Registered[] => [...sinks.values()].map((stack) => stack[stack.length - 1]);

const INSERT_EVENTS = `INSERT INTO timeline_event (item_id, type, actor_id, summary, data)
  SELECT * FROM unnest($1::int[], $2::text[], $3::int[], $4::text[], $5::jsonb[])`;

/** Every use case but filing records its events with it (when no sink has a lookup): prepared. */
const RECORD_EVENTS_SQL = prepared(`
  ${INSERT_EVENTS}
  RETURNING id, item_id`);

/**
 * The insert with the lookups of the `active` sinks (those that have one) over its rows: one row,
 * with the events written (`recorded`, id and item) and the rows of the i-th sink's lookup
 * (`looked_<i>`). Prepared; its text is made again only when the set of lookups changes.
 */
const recordWithLookups = (() => {
  let made: { lookups: (EventLookup | undefined)[]; sql: string } | undefined;
  return (active: readonly Registered[]): string => {
    const lookups = active.map((entry) => entry.lookup);
    if (made && made.lookups.length === lookups.length && made.lookups.every((l, i) => l === lookups[i])) return made.sql;
    const columns = lookups.flatMap((lookup, i) => (lookup ? [`(SELECT coalesce(json_agg(l), '[]') FROM (${lookup.sql('recorded')}) l) AS looked_${i}`] : []));
    const sql = prepared(`
  WITH recorded AS (${INSERT_EVENTS}
    RETURNING id, item_id, type, actor_id, summary, data, created_at)
  SELECT (SELECT json_agg(json_build_object('id', id, 'item_id', item_id)) FROM recorded) AS recorded, ${columns.join(', ')}`);
    made = { lookups, sql };
    return sql;
  };
})();

/**
 * Writes timeline events, in the caller's transaction: every state change records its event in
 * the same transaction as the change itself. This is the one place events are written, so every
 * registered {@link EventSink} hears of each of them in that same transaction, with what its
 * {@link EventLookup} read of them in the same statement.
 */
export async function recordEvents(tx: SqlRunner, events: readonly TimelineEventInput[]): Promise<RecordedEvent[]> {
  if (events.length === 0) return [];
  const parameters = [
    events.map((e) => e.itemId),
    events.map((e) => e.type),
    events.map((e) => e.actorId),
    events.map((e) => e.summary),
    events.map((e) => JSON.stringify(e.data ?? {})),
  ];
  const active = activeSinks();
  let rows: { id: number; item_id: number }[];
  let looked: (readonly unknown[] | undefined)[] = [];
  if (active.some((entry) => entry.lookup)) {
    const [row] = await tx.query<Record<string, unknown[]>[]>(recordWithLookups(active), parameters);
    rows = row.recorded as { id: number; item_id: number }[];
    looked = active.map((entry, i) => (entry.lookup ? row[`looked_${i}`] : undefined));
  } else {
    rows = await tx.query<{ id: number; item_id: number }[]>(RECORD_EVENTS_SQL, parameters);
  }
  // Identities are given out in the order unnest yields the rows, which is the arrays' order.
  rows.sort((a, b) => a.id - b.id);
  const recorded = rows.map((row, i) => ({ id: row.id, itemId: row.item_id, type: events[i].type, actorId: events[i].actorId }));
  for (const [i, entry] of active.entries()) await entry.sink(tx, recorded, looked[i]);
  return recorded;
}

/**
 * Tells every registered {@link EventSink} of events just written in `tx`. {@link recordEvents}
 * does it for the events it writes; a writer that inserts its events within a statement of its
 * own (filing writes the item, its releases and its first events in one) calls it next, in the
 * same transaction, with the events in id order.
 */
export async function announceEvents(tx: SqlRunner, recorded: readonly RecordedEvent[]): Promise<void> {
  if (recorded.length === 0) return;
  for (const entry of activeSinks()) await entry.sink(tx, recorded);
}
