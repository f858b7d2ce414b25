import { keepsGenericPlan, preparedName } from '@headwaters/core';

/** The arguments of a `query` call with a prepared text turned into pg's named statement. */
export function preparedArguments(args: unknown[]): unknown[] {
  const [text, values, ...rest] = args;
  if (typeof text !== 'string') return args;
  const name = preparedName(text);
  if (!name) return args;
  if (typeof values === 'function') return [{ name, text }, values, ...rest];
  return [{ name, text, values: values ?? [] }, ...rest];
}

/** How the marked statements of a connection's open transaction are planned. */
type PlanMode = 'none' | 'auto' | 'generic' | 'unknown';

const OPENS = /^\s*(START\s+TRANSACTION|BEGIN)\b/i;
/** A statement that ends the connection's transaction (a rollback to a savepoint does not). */
export const CLOSES = /^\s*(COMMIT|END|ABORT|ROLLBACK(?!\s+TO\b))\b/i;
const BACK_TO_SAVEPOINT = /^\s*ROLLBACK\s+TO\b/i;
const PLAIN_OPENING = /^\s*(START\s+TRANSACTION|BEGIN)\s*;?\s*$/i;

/**
 * Whether a `query` call opens a transaction plainly: `START TRANSACTION` or `BEGIN` alone, no
 * options, no parameters (a callback may follow), so that more may be sent in its round trip.
 */
export function isPlainOpening(text: unknown, values: unknown): text is string {
  if (typeof text !== 'string' || !PLAIN_OPENING.test(text)) return false;
  return Array.isArray(values) ? values.length === 0 : values === undefined || typeof values === 'function';
}

const GENERIC_PLANS = `SET LOCAL plan_cache_mode = force_generic_plan`;
const CHOSEN_PLANS = `SET LOCAL plan_cache_mode = auto`;

/**
 * Keeps the plan of each marked statement of a connection for the whole session. PostgreSQL
 * plans a prepared statement again at each run when, after its first five runs, it judges the
 * generic plan dearer than one made for the values: so it judged the audience of an event and the
 * webhook lookup, and planning them cost five times what running them did. Inside a
 * transaction, a marked statement is therefore run with `plan_cache_mode = force_generic_plan`,
 * and any other statement with parameters with PostgreSQL's own choice (`auto`; reads marked with
 * `preparedShape` too, named but not forced): the setting is
 * changed by a `SET LOCAL` sent just before, only when it changes, and the transaction's end
 * undoes it. Outside a transaction nothing is changed.
 *
 * A connection whose last transaction ran a marked statement starts its next one with the
 * setting already made, in the same round trip as `START TRANSACTION` (the hot write paths run
 * marked statements first), and goes back to `auto` only if a statement not marked comes.
 *
 * Returns the `SET LOCAL` to send before the statement `args` on this connection, if any.
 */
export class PlanModes {
  private mode: PlanMode = 'none';
  /** Whether the last transaction on this connection ran a marked statement. */
  private usedMarked = false;

  before(args: readonly unknown[]): string | null {
    const [first, values] = args;
    const text = typeof first === 'string' ? first : typeof (first as { text?: unknown } | null)?.text === 'string' ? (first as { text: string }).text : null;
    if (text === null) return null;
    if (this.mode === 'none') {
      if (OPENS.test(text)) this.mode = 'auto';
      return null;
    }
    if (CLOSES.test(text)) {
      this.mode = 'none';
      return null;
    }
    if (BACK_TO_SAVEPOINT.test(text)) {
      // A SET LOCAL made after the savepoint is undone with it, one made before is not.
      this.mode = 'unknown';
      return null;
    }
    if (keepsGenericPlan(text)) {
      this.usedMarked = true;
      if (this.mode === 'generic') return null;
      this.mode = 'generic';
      return GENERIC_PLANS;
    }
    const parameters = Array.isArray(values) ? values : (first as { values?: unknown } | null)?.values;
    if (!Array.isArray(parameters) || parameters.length === 0 || this.mode === 'auto') return null;
    this.mode = 'auto';
    this.usedMarked = false;
    return CHOSEN_PLANS;
  }

  /**
   * The text to send instead of `text` (a plain `START TRANSACTION` or `BEGIN`, no parameters):
   * with the setting made in the same round trip when the connection's last transaction ran a
   * marked statement. Call before {@link before}.
   */
  opening(text: unknown, values: unknown): string | null {
    if (this.mode !== 'none' || !this.usedMarked || !isPlainOpening(text, values)) return null;
    this.mode = 'generic';
    this.usedMarked = false;
    return `${text.replace(/;\s*$/, '')}; ${GENERIC_PLANS}`;
  }
}
