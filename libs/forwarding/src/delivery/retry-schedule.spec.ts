import { MAX_RETRY_WAIT_MS, retryWaitMs } from './retry-schedule';

describe('the retry schedule', () => {
  it('starts at the base and doubles each time, without jitter at the middle of its range', () => {
    const waits = [1, 2, 3, 4, 5].map((attempt) => retryWaitMs(attempt, 60, () => 0.5));
    expect(waits).toEqual([60_000, 120_000, 240_000, 480_000, 960_000]);
  });

  it('spreads each wait by at most a fifth either way', () => {
    expect(retryWaitMs(3, 60, () => 0)).toBe(192_000);
    expect(retryWaitMs(3, 60, () => 0.999999)).toBeLessThanOrEqual(288_000);
    expect(retryWaitMs(3, 60, () => 0.999999)).toBeGreaterThan(287_000);
    const seen = new Set(Array.from({ length: 50 }, () => retryWaitMs(2, 60)));
    expect(seen.size).toBeGreaterThan(10);
    for (const wait of seen) expect(wait >= 96_000 && wait <= 144_000).toBe(true);
  });

  it('never waits more than 6 hours, however many attempts', () => {
    expect(retryWaitMs(9, 60, () => 0.5)).toBe(15_360_000);
    expect(retryWaitMs(10, 60, () => 0.99)).toBe(MAX_RETRY_WAIT_MS);
    expect(retryWaitMs(1000, 60, () => 0.99)).toBe(MAX_RETRY_WAIT_MS);
  });

  it('takes fractions of a second as a base (tests run it short)', () => {
    expect(retryWaitMs(1, 0.2, () => 0.5)).toBe(200);
    expect(retryWaitMs(2, 0.2, () => 0.5)).toBe(400);
  });
});
