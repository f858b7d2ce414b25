import { DEFAULT_CHECK_SCHEDULE, nextCheckAfterFailure, nextCheckAfterRateLimit, nextCheckAfterSuccess } from './check-schedule';

const now = new Date('2026-12-01T10:00:00Z');
const hours = (d: Date) => (d.getTime() - now.getTime()) / 3_600_000;

describe('the check schedule', () => {
  it('checks again one interval (6 hours by default) after a good check', () => {
    expect(hours(nextCheckAfterSuccess(now, DEFAULT_CHECK_SCHEDULE))).toBe(6);
  });

  it.each([[1, 24], [2, 48], [3, 72], [6, 144], [7, 144], [40, 144]])('after %i recent failures waits %i hours (a day each, up to six)', (failures, wait) => {
    expect(hours(nextCheckAfterFailure(now, failures, DEFAULT_CHECK_SCHEDULE))).toBe(wait);
  });

  it('never waits less than the interval, nor less than the tracker asked', () => {
    expect(hours(nextCheckAfterFailure(now, 1, { ...DEFAULT_CHECK_SCHEDULE, intervalSeconds: 172_800 }))).toBe(48);
    expect(hours(nextCheckAfterFailure(now, 1, DEFAULT_CHECK_SCHEDULE, new Date('2026-12-03T10:00:00Z')))).toBe(48);
  });

  it('waits for a rate limit\'s reset, at least a minute', () => {
    expect(hours(nextCheckAfterRateLimit(now, new Date('2026-12-01T10:30:00Z')))).toBe(0.5);
    expect(nextCheckAfterRateLimit(now, null).getTime() - now.getTime()).toBe(60_000);
    expect(nextCheckAfterRateLimit(now, new Date('2026-12-01T09:00:00Z')).getTime() - now.getTime()).toBe(60_000);
  });
});
