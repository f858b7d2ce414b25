import { retryAfter } from './login-throttle';

const limits = { maxFailures: 3, windowMinutes: 10 };
const now = new Date('2026-01-01T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

describe('the login throttle window', () => {
  it('allows tries while failures in the window are under the limit', () => {
    expect(retryAfter([minutesAgo(1), minutesAgo(2)], limits, now)).toBeNull();
  });

  it('ignores failures older than the window', () => {
    expect(retryAfter([minutesAgo(1), minutesAgo(2), minutesAgo(11), minutesAgo(30)], limits, now)).toBeNull();
  });

  it('refuses at the limit until the oldest counted failure leaves the window', () => {
    expect(retryAfter([minutesAgo(1), minutesAgo(2), minutesAgo(3)], limits, now)).toEqual(new Date(minutesAgo(3).getTime() + 10 * 60_000));
    expect(retryAfter([minutesAgo(1), minutesAgo(2), minutesAgo(3), minutesAgo(4)], limits, now)).toEqual(new Date(minutesAgo(3).getTime() + 10 * 60_000));
  });
});
