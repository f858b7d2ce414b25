/** No wait between attempts is longer than this. */
export const MAX_RETRY_WAIT_MS = 6 * 60 * 60 * 1000;

/**
 * How long to wait after failed attempt number `attempt` (1 for the first): `baseSeconds`, then
 * about twice the last wait each time, each spread by up to ±20% (so that deliveries failing
 * together do not all come back together), never more than 6 hours.
 * @param random a number in [0, 1), Math.random by default
 */
export function retryWaitMs(attempt: number, baseSeconds: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 40);
  const wait = baseSeconds * 1000 * 2 ** exponent;
  const jittered = wait * (0.8 + 0.4 * random());
  return Math.round(Math.min(jittered, MAX_RETRY_WAIT_MS));
}
