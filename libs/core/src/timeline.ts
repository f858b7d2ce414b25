/** Anything that runs SQL: a TypeORM EntityManager inside a transaction, or a DataSource. */
export interface SqlRunner {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

/**
 * The event types written so far; the GraphQL `type` field is open-ended, so new ones may come.
 */
export type TimelineEventType =
  | 'FILED'
  | 'RETITLED'
  | 'DESCRIPTION_EDITED'
  | 'ROUTED'
  | 'STATUS_CHANGED'
  | 'IMPORTANCE_CHANGED'
  | 'COMPONENT_CHANGED'
  | 'COMMENTED'
  | 'VOTED'
  | 'UNVOTED'
  | 'MARKED_DUPLICATE'
  | 'UNMARKED_DUPLICATE'
  | 'FORWARD_NEEDED'
  | 'FORWARDED'
  | 'EXPIRED'
  | 'ATTACHED'
  | 'ASSIGNED'
  | 'TAGGED'
  | 'UNTAGGED'
  | 'FIXED_IN_CHANGED'
  | 'PLANNED_FOR_CHANGED'
  | 'DISCLOSED'
  | 'COMMENT_EDITED'
  | 'COMMENT_HIDDEN'
  | 'COMMENT_UNHIDDEN';

export interface TimelineEventInput {
  itemId: number;
  type: TimelineEventType;
  /** Null for the system (a job, an ownership change without a person behind it). */
  actorId: number | null;
  /** A sentence a person can read. */
  summary: string;
  data?: Record<string, unknown>;
}

/**
 * Writes timeline events, in the caller's transaction: every state change records its event in
 * the same transaction as the change itself.
 */
export async function recordEvents(tx: SqlRunner, events: readonly TimelineEventInput[]): Promise<void> {
  if (events.length === 0) return;
  await tx.query(
    `INSERT INTO timeline_event (item_id, type, actor_id, summary, data)
     SELECT * FROM unnest($1::int[], $2::text[], $3::int[], $4::text[], $5::jsonb[])`,
    [
      events.map((e) => e.itemId),
      events.map((e) => e.type),
      events.map((e) => e.actorId),
      events.map((e) => e.summary),
      events.map((e) => JSON.stringify(e.data ?? {})),
    ],
  );
}
