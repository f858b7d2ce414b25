import { CLOSES, isPlainOpening } from './prepared-statements';

/** What a watched connection adds to a plain opening of a transaction (see migration AnnounceAfterCommit). */
export const ANNOUNCE_AFTER_COMMIT = `SET LOCAL headwaters.announce = 'after_commit'`;

/**
 * What a watched connection sends once the COMMIT of a transaction that asked has returned: the
 * ids its timeline's trigger kept, a notification per chunk, in the order they were recorded;
 * then the session's list is emptied. Only built-in functions, so that it runs on a database
 * whose migrations have not run yet (the list is then never filled).
 */
export const ANNOUNCE_COMMITTED =
  `SELECT pg_notify('headwaters_events', chunk) FROM unnest(string_to_array(current_setting('headwaters.unannounced', true), ';')) AS chunk; ` +
  `SELECT set_config('headwaters.unannounced', '', false) WHERE current_setting('headwaters.unannounced', true) <> ''`;

const COMMITS = /^\s*(COMMIT|END)\b/i;

/**
 * The live announcements of one connection's transactions, sent after their commits rather than
 * within them: PostgreSQL commits a transaction that has sent a NOTIFY under one database-wide
 * lock held until its commit is flushed, which put every filing and vote in one queue. A plain
 * `START TRANSACTION` (or `BEGIN`) asks for it in its own round trip; after a plain `COMMIT` (or
 * `END`) of such a transaction the announcement is queued on the connection, to go as soon as
 * the commit has returned (after `COMMIT AND CHAIN`, it goes with the chained transaction's
 * commit). It is not awaited: a commit that succeeded is not reported failed because its
 * announcement could not go. A transaction opened otherwise (with options, with parameters)
 * announces within its commit, as every transaction of a connection not watched does.
 */
export class AfterCommitAnnounces {
  /** Whether the connection's open transaction asked. */
  private asked = false;

  /**
   * The text to send instead of a plain opening `text` (null for any other statement); `planned`
   * is the opening PlanModes would send instead, if any.
   */
  opening(text: unknown, values: unknown, planned: string | null): string | null {
    if (!isPlainOpening(text, values)) return null;
    this.asked = true;
    return `${(planned ?? text).replace(/;\s*$/, '')}; ${ANNOUNCE_AFTER_COMMIT}`;
  }

  /** Whether `text` ends a transaction that asked with its commit: the announcement is to follow it. */
  announcesAfter(text: unknown): boolean {
    if (!this.asked || typeof text !== 'string' || !CLOSES.test(text)) return false;
    this.asked = false;
    return COMMITS.test(text);
  }
}
