import { prepared, type SqlRunner } from '@headwaters/core';
import type { ForwardKind, ForwardState } from '@headwaters/items';

/**
 * Deliveries' answers recorded on their forwards, many in one statement: prepared, as every
 * delivered batch of webhooks runs it. Only forwards whose reference or URL changes are written;
 * their items come back, to be touched.
 */
const RECORD_ANSWERS_SQL = prepared(`WITH changed AS (
    UPDATE forward f SET reference = coalesce(v.reference, f.reference), url = coalesce(v.url, f.url), updated_at = now()
      FROM unnest($1::int[], $2::text[], $3::text[]) AS v(id, reference, url)
     WHERE f.id = v.id AND (coalesce(v.reference, f.reference) IS DISTINCT FROM f.reference OR coalesce(v.url, f.url) IS DISTINCT FROM f.url)
    RETURNING f.item_id)
  SELECT DISTINCT item_id AS "itemId" FROM changed`);

/**
 * Every statement that writes the `forward` table: one row per item and upstream, the routed
 * upstream's (kind ROUTED, at most one per item) and the ones it also affects. Reads of forwards
 * come with the item (ITEM_COLUMNS), from ItemQueryService.forwardsOf or from ForwardQueries.
 */
export const forwardStore = {
  /** The item's routed forward becomes PENDING for this upstream, created if it has none. */
  async markPending(tx: SqlRunner, itemId: number, upstreamId: number): Promise<void> {
    await upsertRouted(tx, itemId, upstreamId, 'PENDING', null, false);
  },

  /** The item's routed forward is FORWARDED to this upstream now, with its reference. */
  async recordRoutedForwarded(tx: SqlRunner, itemId: number, upstreamId: number, reference: string | null): Promise<void> {
    await upsertRouted(tx, itemId, upstreamId, 'FORWARDED', reference, true);
  },

  /** Another upstream's forward is FORWARDED now, with its reference. */
  async recordForwarded(tx: SqlRunner, forwardId: number, reference: string | null): Promise<void> {
    await tx.query(`UPDATE forward SET state = 'FORWARDED', reference = $2, forwarded_at = now(), updated_at = now() WHERE id = $1`, [forwardId, reference]);
  },

  /** The upstream's reference and record of a forward, as a delivery learnt them (null keeps what is there). */
  async setReference(tx: SqlRunner, forwardId: number, reference: string | null, url: string | null = null): Promise<void> {
    await this.recordAnswers(tx, [{ forwardId, reference, url }]);
  },

  /**
   * What each forward's upstream answered: its reference and record URL (null keeps what is
   * there). Resolves with the items whose forwards it changed.
   */
  async recordAnswers(tx: SqlRunner, answers: readonly { forwardId: number; reference: string | null; url: string | null }[]): Promise<number[]> {
    const rows = await tx.query<{ itemId: number }[]>(RECORD_ANSWERS_SQL, [answers.map((a) => a.forwardId), answers.map((a) => a.reference), answers.map((a) => a.url)]);
    return rows.map((r) => r.itemId);
  },

  /** A forward to another upstream the item affects, PENDING; null when the item has one to it already. */
  async addAlsoAffects(tx: SqlRunner, itemId: number, upstreamId: number): Promise<number | null> {
    const rows = await tx.query<{ id: number }[]>(
      `INSERT INTO forward (item_id, upstream_id, kind, state) VALUES ($1, $2, 'ALSO_AFFECTS', 'PENDING') ON CONFLICT (item_id, upstream_id) DO NOTHING RETURNING id`,
      [itemId, upstreamId],
    );
    return rows[0]?.id ?? null;
  },

  /** A forward whose delivery failed is PENDING again (only if it was FORWARDED); whether it changed. */
  async backToPending(tx: SqlRunner, forwardId: number): Promise<boolean> {
    const rows = await tx.query<{ id: number }[]>(`WITH f AS (UPDATE forward SET state = 'PENDING', updated_at = now() WHERE id = $1 AND state = 'FORWARDED' RETURNING id) SELECT id FROM f`, [forwardId]);
    return rows.length > 0;
  },

  /** A forward redelivered is on its way again: FORWARDED if it had gone back to PENDING. */
  async inFlightAgain(tx: SqlRunner, forwardId: number): Promise<void> {
    await tx.query(`UPDATE forward SET state = 'FORWARDED', forwarded_at = now(), updated_at = now() WHERE id = $1 AND state = 'PENDING'`, [forwardId]);
  },

  async setState(tx: SqlRunner, forwardId: number, state: ForwardState): Promise<void> {
    await tx.query(`UPDATE forward SET state = $2, updated_at = now() WHERE id = $1`, [forwardId, state]);
  },

  /**
   * Re-routed items: a routed forward still PENDING follows the route to its new upstream, or
   * goes when that upstream triages here (nothing to send). A forward already sent stays where
   * it was sent.
   */
  async followRoute(tx: SqlRunner, itemIds: readonly number[], upstreamId: number, handledHere: boolean): Promise<void> {
    if (itemIds.length === 0) return;
    if (handledHere) {
      await tx.query(`DELETE FROM forward WHERE item_id = ANY($1) AND kind = 'ROUTED' AND state = 'PENDING'`, [itemIds]);
    } else {
      await tx.query(`UPDATE forward SET upstream_id = $2, updated_at = now() WHERE item_id = ANY($1) AND kind = 'ROUTED' AND state = 'PENDING' AND upstream_id <> $2`, [itemIds, upstreamId]);
    }
  },
};

async function upsertRouted(tx: SqlRunner, itemId: number, upstreamId: number, state: ForwardState, reference: string | null, forwardedNow: boolean): Promise<void> {
  const kind: ForwardKind = 'ROUTED';
  await tx.query(
    `INSERT INTO forward AS f (item_id, upstream_id, kind, state, reference, forwarded_at)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::boolean THEN now() END)
     ON CONFLICT (item_id) WHERE kind = 'ROUTED'
     DO UPDATE SET upstream_id = EXCLUDED.upstream_id, state = EXCLUDED.state, reference = EXCLUDED.reference, forwarded_at = EXCLUDED.forwarded_at, updated_at = now()`,
    [itemId, upstreamId, kind, state, reference, forwardedNow],
  );
}
