import { DomainError } from '@headwaters/core';

/** Cursors are opaque to clients: base64url JSON of the row's sort-key values, tagged by ordering. */
export function encodeCursor(ordering: string, values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([ordering, ...values]), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor} for the same `ordering` and number of values;
 * anything else is BAD_USER_INPUT naming `field` (`after` or `before`).
 */
export function decodeCursor(cursor: string, ordering: string, size: number, field: string): (string | number)[] {
  const bad = () => DomainError.invalid('INVALID_CURSOR', `${field} is not a cursor of this list in this order`, field);
  if (typeof cursor !== 'string' || cursor.length > 1000 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== size + 1 || parsed[0] !== ordering) throw bad();
  const values = parsed.slice(1);
  if (!values.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) throw bad();
  return values as (string | number)[];
}
