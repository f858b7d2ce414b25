/** Days over which a quiet item's heat halves (migration ItemHeat holds the same). */
export const HEAT_HALF_LIFE_DAYS = 30;

/** The instant heat_rank counts half-lives from (migration ItemHeat holds the same). */
export const HEAT_EPOCH = Date.UTC(2025, 0, 1);

/** What each thing an item has is worth, before cooling: Launchpad's bug heat, more or less. */
export const HEAT_POINTS = { base: 1, vote: 4, follower: 2, duplicate: 6, comment: 1 } as const;

const HALF_LIFE_MS = HEAT_HALF_LIFE_DAYS * 86_400_000;

/**
 * An item's heat at `now`, from its stored rank: `points × 2^(−days quiet / 30)`, where points
 * are 1 + 4 per vote + 2 per follower + 6 per duplicate + 1 per comment and the days quiet count
 * from its last activity. The rank is `log2(points) + (last activity − epoch) / half-life`, so
 * this is `2^(rank − (now − epoch) / half-life)`, rounded.
 */
export function heatOf(heatRank: number, now: number = Date.now()): number {
  return Math.round(2 ** (heatRank - (now - HEAT_EPOCH) / HALF_LIFE_MS));
}
