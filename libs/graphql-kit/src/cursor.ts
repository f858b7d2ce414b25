import { DomainError } from '@headwaters/core';

/**
 * What one value of a cursor must be, as the SQL that reads it back casts it: a cursor is opaque
 * to clients but not tamper-proof, so every value is checked against its ordering's type and
 * range before it reaches a statement.
 */
export type CursorValueKind = 'int' | 'smallint' | 'real' | 'double' | 'timestamptz' | 'string';

const INT4_MAX = 2_147_483_647;
const INT2_MAX = 32_767;
const REAL_MAX = 3.4e38;
/** `timestamptz::text` in PostgreSQL's ISO DateStyle: `2026-11-25 22:41:25.906899+00`. */
const TIMESTAMPTZ_TEXT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?([+-])(\d{2})(?::?(\d{2}))?$/;

/** Whether year-month-day names a day of the Gregorian calendar (2019-02-30 does not). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= days[month - 1];
}

function fits(value: unknown, kind: CursorValueKind): boolean {
  switch (kind) {
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= INT4_MAX;
    case 'smallint':
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= INT2_MAX;
    case 'real':
      return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= REAL_MAX;
    case 'double':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string' && value.length <= 500 && !value.includes('\u0000');
    case 'timestamptz': {
      if (typeof value !== 'string') return false;
      const m = TIMESTAMPTZ_TEXT.exec(value);
      if (!m) return false;
      const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [m[1], m[2], m[3], m[4], m[5], m[6], m[9], m[10] ?? '0'].map(Number);
      return year >= 1 && isCalendarDate(year, month, day) && hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 15 && offsetMinutes <= 59;
    }
  }
}

/** Cursors are opaque to clients: base64url JSON of the row's sort-key values, tagged by ordering. */
export function encodeCursor(ordering: string, values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([ordering, ...values]), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor} for the same `ordering`, whose values are of
 * `kinds` (one per value, in order); anything else is BAD_USER_INPUT (INVALID_CURSOR) naming
 * `field` (`after` or `before`).
 */
export function decodeCursor(cursor: string, ordering: string, kinds: readonly CursorValueKind[], field: string): (string | number)[] {
  const bad = () => DomainError.invalid('INVALID_CURSOR', `${field} is not a cursor of this list in this order`, field);
  if (typeof cursor !== 'string' || cursor.length > 1000 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== kinds.length + 1 || parsed[0] !== ordering) throw bad();
  const values = parsed.slice(1);
  if (!values.every((v, i) => fits(v, kinds[i]))) throw bad();
  return values as (string | number)[];
}
