import type { SqlRunner } from '@headwaters/core';
import type { TrackerKind } from '@headwaters/catalogue';
import type { CheckDecision } from './check-decision';

/** A forward with what a check of its record needs. */
export interface WatchRow {
  id: number;
  itemId: number;
  upstreamId: number;
  state: string;
  url: string | null;
  remoteStatus: string | null;
  remoteEtag: string | null;
  checkFailures: number;
  trackerKind: TrackerKind;
  trackerUrl: string | null;
  /** When the reading last written (a check's or a webhook's) was made. */
  lastCheckedAt: Date | null;
}

const WATCH_COLUMNS = `f.id, f.item_id AS "itemId", f.upstream_id AS "upstreamId", f.state, f.url, f.remote_status AS "remoteStatus",
  f.remote_etag AS "remoteEtag", f.check_failures AS "checkFailures", u.tracker_kind AS "trackerKind", u.tracker_url AS "trackerUrl",
  f.last_checked_at AS "lastCheckedAt"`;

/** How long a check taken by a sweep is held before another sweep may take it again (a worker died). */
export const CHECK_LEASE_SECONDS = 900;

/**
 * The statements of watching on the `forward` table (the forwarding library's): linking a record,
 * writing what a check found, and handing due checks to the queue.
 */
export const watchStore = {
  async get(tx: SqlRunner, forwardId: number, lock = false): Promise<WatchRow | undefined> {
    const [row] = await tx.query<WatchRow[]>(`SELECT ${WATCH_COLUMNS} FROM forward f JOIN upstream u ON u.id = f.upstream_id WHERE f.id = $1${lock ? ' FOR UPDATE OF f' : ''}`, [forwardId]);
    return row;
  },

  /** The forwards of an upstream linked to this record URL (a webhook's issue). */
  async byUrl(tx: SqlRunner, upstreamId: number, url: string): Promise<WatchRow[]> {
    return tx.query<WatchRow[]>(`SELECT ${WATCH_COLUMNS} FROM forward f JOIN upstream u ON u.id = f.upstream_id WHERE f.upstream_id = $1 AND f.url = $2 ORDER BY f.id FOR UPDATE OF f`, [upstreamId, url]);
  },

  /**
   * Links the forward to the upstream's record: the reading of any previous record goes, a check
   * is due at once, and a forward not yet sent counts as FORWARDED from now.
   */
  async link(tx: SqlRunner, forwardId: number, url: string): Promise<void> {
    await tx.query(
      `UPDATE forward SET url = $2, remote_status = NULL, remote_etag = NULL, last_checked_at = NULL, check_error = NULL, check_failures = 0, next_check_at = now(),
              state = CASE WHEN state IN ('NOT_NEEDED','PENDING') THEN 'FORWARDED' ELSE state END,
              forwarded_at = coalesce(forwarded_at, now()), updated_at = now()
        WHERE id = $1`,
      [forwardId, url],
    );
  },

  /** Writes what a check (or a webhook) decided. */
  async recordCheck(tx: SqlRunner, forwardId: number, d: CheckDecision, checkedAt: Date): Promise<void> {
    await tx.query(
      `UPDATE forward SET state = $2, remote_status = $3, remote_etag = $4, check_error = $5, check_failures = $6, next_check_at = $7, last_checked_at = $8,
              updated_at = CASE WHEN state IS DISTINCT FROM $2 OR remote_status IS DISTINCT FROM $3 THEN now() ELSE updated_at END
        WHERE id = $1`,
      [forwardId, d.state, d.remoteStatus, d.remoteEtag, d.checkError, d.checkFailures, d.nextCheckAt, checkedAt],
    );
  },

  /**
   * Takes up to `limit` due checks (linked records whose next check has come) and holds them for
   * a lease, so that several sweepers never queue one check twice; locked rows are skipped.
   */
  async takeDue(tx: SqlRunner, limit: number): Promise<{ id: number; trackerKind: TrackerKind }[]> {
    return tx.query(
      `WITH due AS (
         SELECT f.id FROM forward f
          WHERE f.url IS NOT NULL AND (f.next_check_at IS NULL OR f.next_check_at <= now())
          ORDER BY f.next_check_at NULLS FIRST, f.id
          LIMIT $1 FOR UPDATE SKIP LOCKED),
       taken AS (
         UPDATE forward f SET next_check_at = now() + make_interval(secs => $2)
           FROM due, upstream u
          WHERE f.id = due.id AND u.id = f.upstream_id
         RETURNING f.id, u.tracker_kind AS "trackerKind")
       -- A SELECT, so the driver answers rows (an UPDATE's answer would be [rows, count]).
       SELECT id, "trackerKind" FROM taken ORDER BY id`,
      [limit, CHECK_LEASE_SECONDS],
    );
  },
};
