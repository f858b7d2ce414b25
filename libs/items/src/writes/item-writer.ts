import { Injectable } from '@nestjs/common';
import { recordEvents, type SqlRunner, type TimelineEventInput } from '@headwaters/core';
import { prepared } from '@headwaters/database';
import { ITEM_COLUMNS, itemFromRow, type Importance, type ItemRecord, type ItemRow, type ItemStatus, type Visibility } from '../item.record';
import { checkTransition, STATUS_RULES, type StatusSetter } from '../workflow/status-rules';

/** Items touched together (a batch of deliveries' answers), locked in id order. */
const TOUCH_ALL_SQL = prepared(
  `UPDATE item SET updated_at = now() WHERE id IN (SELECT id FROM item WHERE id = ANY($1) ORDER BY id FOR UPDATE)`,
);
/** Vote counts moved by a vote, the items returned as they are now (prepared: every vote runs it). */
const ADD_VOTES_SQL = prepared(`WITH counted AS (UPDATE item AS i SET vote_count = i.vote_count + $2 WHERE i.id = ANY($1) RETURNING ${ITEM_COLUMNS}) SELECT * FROM counted`);

/** A status change: who sets it (the workflow table decides whether they may), and its event. */
export interface StatusChange {
  by: StatusSetter;
  /** The original, when the status is DUPLICATE. */
  duplicateOfId?: number;
  /** Events recorded with the change (the caller's sentences); none when the status stays. */
  events: readonly TimelineEventInput[];
}

/**
 * The writes of an item's own fields besides its route (see ItemRouteWriter) and its text (see
 * ItemEditingService), for the use cases of every library: status through the one workflow
 * table, importance, component, duplicates' links, vote counts, and "changed now". Callers hold
 * the rows' locks (itemStore.lock) and pass their transaction.
 */
@Injectable()
export class ItemWriter {
  /**
   * Sets the status if the workflow table lets `change.by` set it (CONFLICT otherwise, saying
   * what is allowed); false when the item has it already. INCOMPLETE starts the needs-info clock;
   * any other status stops it. Only DUPLICATE keeps a link to an original.
   */
  async setStatus(tx: SqlRunner, item: Pick<ItemRecord, 'id' | 'kind' | 'status'>, to: ItemStatus, change: StatusChange): Promise<boolean> {
    if (!checkTransition(item.kind, item.status, to, change.by)) return false;
    await tx.query(
      `UPDATE item SET status = $2, duplicate_of_id = $3, incomplete_since = CASE WHEN $2 = 'INCOMPLETE' THEN now() ELSE NULL END, updated_at = now() WHERE id = $1`,
      [item.id, to, to === 'DUPLICATE' ? (change.duplicateOfId ?? null) : null],
    );
    await recordEvents(tx, change.events);
    return true;
  }

  async setImportance(tx: SqlRunner, itemId: number, importance: Importance): Promise<void> {
    await tx.query(`UPDATE item SET importance = $2, updated_at = now() WHERE id = $1`, [itemId, importance]);
  }

  /** Moves the item to another component; re-routing it is the caller's next step (ItemRouteWriter). */
  async setComponent(tx: SqlRunner, itemId: number, componentId: number): Promise<void> {
    await tx.query(`UPDATE item SET component_id = $2, updated_at = now() WHERE id = $1`, [itemId, componentId]);
  }

  /** Points duplicates at another original (a duplicate's duplicates follow it to its root). */
  async repointDuplicates(tx: SqlRunner, ids: readonly number[], originalId: number, onlyFrom?: number): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await tx.query<{ id: number }[]>(
      `WITH moved AS (UPDATE item SET duplicate_of_id = $2, updated_at = now() WHERE id = ANY($1) AND ($3::int IS NULL OR duplicate_of_id = $3) RETURNING id) SELECT id FROM moved`,
      [ids, originalId, onlyFrom ?? null],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Recounts votes of these items exactly: an original counts the distinct voters of itself and
   * its duplicates, a duplicate its own.
   */
  async recountVotes(tx: SqlRunner, ids: readonly number[]): Promise<void> {
    await tx.query(
      `UPDATE item i SET vote_count = CASE
          WHEN i.duplicate_of_id IS NULL THEN (SELECT count(DISTINCT v.user_id) FROM vote v JOIN item g ON g.id = v.item_id WHERE g.id = i.id OR g.duplicate_of_id = i.id)
          ELSE (SELECT count(*) FROM vote v WHERE v.item_id = i.id) END
        WHERE i.id = ANY($1)`,
      [ids],
    );
  }

  /** Adds `delta` to the items' vote counts (atomically, in SQL); returns the items as they are now, in id order. */
  async addVotes(tx: SqlRunner, ids: readonly number[], delta: 1 | -1): Promise<ItemRecord[]> {
    if (ids.length === 0) return [];
    const rows = await tx.query<ItemRow[]>(
      ADD_VOTES_SQL,
      [ids, delta],
    );
    return rows.map(itemFromRow).sort((a, b) => a.id - b.id);
  }

  /** Who works on it (a user id; null: nobody). */
  async setAssignee(tx: SqlRunner, itemId: number, assigneeId: number | null): Promise<void> {
    await tx.query(`UPDATE item SET assignee_id = $2, updated_at = now() WHERE id = $1`, [itemId, assigneeId]);
  }

  /** PUBLIC or SECURITY: who may know the item exists (see ItemVisibility). */
  async setVisibility(tx: SqlRunner, itemId: number, visibility: Visibility): Promise<void> {
    await tx.query(`UPDATE item SET visibility = $2, updated_at = now() WHERE id = $1`, [itemId, visibility]);
  }

  /** Replaces the item's tags (cleaned, sorted and counted by the caller: see cleanTags). */
  async setTags(tx: SqlRunner, itemId: number, tags: readonly string[]): Promise<void> {
    await tx.query(`UPDATE item SET tags = $2::text[], updated_at = now() WHERE id = $1`, [itemId, tags]);
  }

  /** The release a bug is fixed in, or a feature planned for (null clears it). */
  async setRelease(tx: SqlRunner, itemId: number, which: 'fixedIn' | 'plannedFor', releaseId: number | null): Promise<void> {
    const column = which === 'fixedIn' ? 'fixed_in_id' : 'planned_for_id';
    await tx.query(`UPDATE item SET ${column} = $2, updated_at = now() WHERE id = $1`, [itemId, releaseId]);
  }

  /**
   * Rebuilds the item's comment search text from its comments as they are now (after an edit,
   * or a comment hidden or shown again): hidden comments are not searchable.
   */
  async refreshCommentSearch(tx: SqlRunner, itemId: number): Promise<void> {
    await tx.query(
      `UPDATE item SET updated_at = now(), comments_tsv = to_tsvector('english',
         left(coalesce((SELECT string_agg(c.body, ' ' ORDER BY c.id) FROM comment c WHERE c.item_id = $1 AND NOT c.hidden), ''), 500000))
        WHERE id = $1`,
      [itemId],
    );
  }

  /** The item changed through a record of another library (a forward): `updated_at` follows. */
  touch(tx: SqlRunner, itemId: number): Promise<void> {
    return this.touchAll(tx, [itemId]);
  }

  /** {@link touch} for many items, locked in id order (as every multi-item write here locks). */
  async touchAll(tx: SqlRunner, itemIds: readonly number[]): Promise<void> {
    await tx.query(TOUCH_ALL_SQL, [itemIds]);
  }

  /**
   * Needs-info expiry, set-based: INCOMPLETE items whose reporter has not answered for `days`
   * become EXPIRED (the workflow's expiry rule), unless 2 or more people voted for them or they
   * were forwarded. One transaction changes the items and writes their EXPIRED events, so a run is
   * atomic and idempotent, and runs of several instances at once are safe (row locks, re-checked
   * WHERE). Returns the expired items' ids.
   */
  async expireStale(tx: SqlRunner, now: Date, days: number): Promise<number[]> {
    const rows = await tx.query<{ item_id: number }[]>(
      `WITH expired AS (
         UPDATE item SET status = 'EXPIRED', incomplete_since = NULL, updated_at = now()
          WHERE status = ANY($3::text[]) AND incomplete_since < $1::timestamptz - make_interval(days => $2)
            AND vote_count < 2
            AND NOT EXISTS (SELECT 1 FROM forward f WHERE f.item_id = item.id AND f.state NOT IN ('NOT_NEEDED', 'PENDING'))
          RETURNING id)
       SELECT id AS item_id FROM expired ORDER BY id`,
      [now, days, STATUS_RULES.EXPIRED.from],
    );
    await recordEvents(tx, rows.map((r) => ({ itemId: r.item_id, type: 'EXPIRED' as const, actorId: null, summary: `Expired: no answer from the reporter for ${days} days`, data: { days } })));
    return rows.map((r) => r.item_id);
  }
}
