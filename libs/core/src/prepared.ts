import { createHash } from 'node:crypto';

const names = new Map<string, string>();


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
  if (!names.has(sql)) names.set(sql, `hw_w_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`);
  return sql;
}

/** The statement name of a text marked with {@link prepared}, if it is one. */
export function preparedName(sql: string): string | undefined {
  return names.get(sql);
}
