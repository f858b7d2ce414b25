import { createHash } from 'node:crypto';

/** Texts marked with {@link prepared}: planned once, generic plan kept. */
const names = new Map<string, string>();
/** Texts marked with {@link preparedShape}: parsed once, planned as PostgreSQL chooses. */
const shapes = new Map<string, string>();

/** Distinct texts {@link preparedShape} marks at most in a process; past them, texts go unnamed. */
export const MAX_PREPARED_SHAPES = 100;

const nameOf = (prefix: string, sql: string) => `${prefix}${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`;

/**
 * Marks a statement of a hot write path to be prepared once per connection: every connection of
 * a pool the app watches (see `watchPool` in the database lib) sends it as a named statement, so PostgreSQL parses
 * and plans it once per session instead of at each run (the audience of an event takes longer
 * to plan than to run). Returns the text unchanged, so call sites keep passing plain SQL.
 *
 * Only constant texts written for it belong here (their values are parameters): each distinct
 * text holds a prepared statement in every session.
 */
export function prepared(sql: string): string {
  if (!names.has(sql)) names.set(sql, nameOf('hw_w_', sql));
  return sql;
}

/**
 * Marks a read built from a bounded set of parts (a list's filter fields, order and page, its
 * values all parameters) to be parsed once per connection, as a named statement, and planned as
 * PostgreSQL chooses at each run (`plan_cache_mode = auto`, also inside a transaction): its best
 * plan may depend on the values (a subtree of two components or of forty), so no plan is forced,
 * but parsing and analysing the text again at each run is saved. The first
 * {@link MAX_PREPARED_SHAPES} distinct texts are marked; any further one runs unnamed, which
 * bounds what the sessions hold. Returns the text unchanged.
 */
export function preparedShape(sql: string): string {
  if (!names.has(sql) && !shapes.has(sql) && shapes.size < MAX_PREPARED_SHAPES) shapes.set(sql, nameOf('hw_s_', sql));
  return sql;
}

/** The statement name of a text marked with {@link prepared} or {@link preparedShape}, if it is one. */
export function preparedName(sql: string): string | undefined {
  return names.get(sql) ?? shapes.get(sql);
}

/** Whether the text was marked with {@link prepared}: its generic plan is kept inside transactions. */
export function keepsGenericPlan(sql: string): boolean {
  return names.has(sql);
}
