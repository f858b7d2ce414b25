import { parseIsoDateTime, serializeDateTime } from './date-time.scalar';

describe('DateTime', () => {
  it('reads ISO 8601 strictly', () => {
    expect(parseIsoDateTime('2019-12-03T09:54:33Z')).toEqual(new Date('2019-12-03T09:54:33Z'));
    expect(parseIsoDateTime('2020-02-29')).toEqual(new Date('2020-02-29T00:00:00Z'));
    expect(parseIsoDateTime('2019-02-29')).toMatch(/not a day/);
    expect(parseIsoDateTime('1900-02-29')).toMatch(/not a day/);
    expect(parseIsoDateTime('1970-01-01T00:30:00+01:00')).toMatch(/1970 to 9999/);
  });

  it('writes whatever is stored without failing', () => {
    expect(serializeDateTime(new Date('2019-12-03T09:54:33Z'))).toBe('2019-12-03T09:54:33.000Z');
    expect(serializeDateTime(new Date(8.64e15))).toBe('9999-12-31T23:59:59.999Z');
    expect(serializeDateTime(new Date(-8.64e15))).toBe('1970-01-01T00:00:00.000Z');
    expect(serializeDateTime(Infinity)).toBe('9999-12-31T23:59:59.999Z');
    expect(serializeDateTime(-Infinity)).toBe('1970-01-01T00:00:00.000Z');
    expect(serializeDateTime(new Date(Number.NaN))).toBeNull();
    expect(serializeDateTime({})).toBeNull();
  });
});
