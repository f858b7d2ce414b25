import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { isCalendarDate } from './cursor';

/** The earliest instant a DateTime may hold. */
export const DATE_TIME_MIN = new Date('1970-01-01T00:00:00.000Z');
/** The latest instant a DateTime may hold. */
export const DATE_TIME_MAX = new Date('9999-12-31T23:59:59.999Z');
const MIN_TIME = DATE_TIME_MIN.getTime();
const MAX_TIME = DATE_TIME_MAX.getTime();

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2})))?$/;

/**
 * Reads an ISO 8601 date-time (`2019-12-03T09:54:33Z`, `2019-12-03T10:54:33.5+01:00`) or date
 * (`2019-12-03`, midnight UTC) strictly: a day that does not exist (2019-02-30), an hour past
 * 23, an offset past 14 hours, or an instant outside years 1970 to 9999 is refused rather than
 * rolled over into another date. Returns the message of what is wrong instead of a Date.
 */
export function parseIsoDateTime(text: string): Date | string {
  const m = ISO_8601.exec(text);
  if (!m) return 'a DateTime must be an ISO 8601 date-time such as 2019-12-03T09:54:33Z (or a date such as 2019-12-03)';
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isCalendarDate(year, month, day)) return `${m[1]}-${m[2]}-${m[3]} is not a day of the calendar`;
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return 'the time of day must be 00:00:00 to 23:59:59';
  if (m[4] !== undefined && m[8] === undefined) return 'a DateTime with a time must say its offset (Z or +01:00)';
  let offsetMinutes = 0;
  if (m[9]) {
    const hours = Number(m[10]);
    const minutes = Number(m[11]);
    if (hours > 14 || minutes > 59) return 'the offset must be within -14:00 to +14:00';
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const millis = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const instant = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  // Date.UTC reads years 0 to 99 as 1900 to 1999; those are out of range either way.
  if (year < 1970 || instant < DATE_TIME_MIN.getTime() || instant > DATE_TIME_MAX.getTime()) {
    return 'a DateTime must lie within the years 1970 to 9999';
  }
  return new Date(instant);
}

function parse(value: unknown): Date {
  if (typeof value !== 'string') throw new GraphQLError('a DateTime must be a string such as 2019-12-03T09:54:33Z');
  const parsed = parseIsoDateTime(value);
  if (typeof parsed === 'string') throw new GraphQLError(parsed);
  return parsed;
}

/**
 * Writes an instant as ISO 8601 at UTC. Whatever the database holds cannot fail a read: an
 * instant outside the accepted range is written as the range's nearest end (PostgreSQL's
 * `infinity` too), and a value that is no instant at all is null.
 */
export function serializeDateTime(value: unknown): string | null {
  let time: number;
  if (value instanceof Date) {
    time = value.getTime();
    // What the database holds nearly always: written as it is.
    if (time >= MIN_TIME && time <= MAX_TIME) return value.toISOString();
  } else if (typeof value === 'number') time = value;
  else if (typeof value === 'string') time = Date.parse(value);
  else return null;
  if (Number.isNaN(time)) return null;
  return new Date(Math.min(Math.max(time, MIN_TIME), MAX_TIME)).toISOString();
}

/** The `DateTime` scalar of the schema: strict on the way in, never failing on the way out. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant as an ISO 8601 string at UTC, such as 2019-12-03T09:54:33Z, within the years 1970 to 9999. Inputs may give another offset (+01:00) or a date alone (midnight UTC); days that do not exist are refused.',
  parseValue: parse,
  serialize: serializeDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('a DateTime must be a string such as 2019-12-03T09:54:33Z');
    return parse(ast.value);
  },
});
