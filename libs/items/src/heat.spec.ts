import { HEAT_EPOCH, heatOf } from './heat';

const DAY = 86_400_000;
/** The rank migration ItemHeat stores for these points and last activity. */
const rank = (points: number, lastActivity: number) => Math.log2(points) + (lastActivity - HEAT_EPOCH) / (30 * DAY);

describe('heat', () => {
  const now = Date.UTC(2026, 11, 1);

  it('is the points while an item is active, halving every 30 quiet days', () => {
    expect(heatOf(rank(41, now), now)).toBe(41);
    expect(heatOf(rank(40, now - 30 * DAY), now)).toBe(20);
    expect(heatOf(rank(40, now - 90 * DAY), now)).toBe(5);
    expect(heatOf(rank(1, now - 365 * DAY), now)).toBe(0);
  });

  it('orders as the rank does, whenever it is read', () => {
    const quietPopular = rank(200, now - 120 * DAY);
    const activeSmall = rank(20, now);
    for (const later of [now, now + 10 * DAY, now + 60 * DAY]) {
      expect(heatOf(quietPopular, later) >= heatOf(activeSmall, later)).toBe(quietPopular >= activeSmall);
    }
  });
});
