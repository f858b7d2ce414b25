import { createHash } from 'node:crypto';

const names = new Map<string, string>();

/**
 * Marks a statement of a hot write path to be prepared once per connection: every connection of
 * a pool the app watches (see `watchPool`) sends it as a named statement, so PostgreSQL parses
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

/** The arguments of a `query` call with a prepared text turned into pg's named statement. */
export function preparedArguments(args: unknown[]): unknown[] {
  const [text, values, ...rest] = args;
  if (typeof text !== 'string') return args;
  const name = names.get(text);
  if (!name) return args;
  if (typeof values === 'function') return [{ name, text }, values, ...rest];
  return [{ name, text, values: values ?? [] }, ...rest];
}
