import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Spaces starts evenly: at most `perSecond` a second, each one `1 / perSecond` seconds after the
 * one before. A start that finds the last one long past goes at once (no burst is saved up), so a
 * lone job never waits; a burst is spread out instead of taking the machine at once. With
 * `perSecond` 0 nothing waits.
 */
export class Pacer {
  private next = 0;
  private readonly interval: number;

  constructor(
    perSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly wait: (ms: number, signal?: AbortSignal) => Promise<unknown> = (ms, signal) => sleep(ms, undefined, { signal }),
  ) {
    this.interval = perSecond > 0 ? 1000 / perSecond : 0;
  }

  /** Resolves when the caller may start; rejects with the signal's reason if it is aborted first. */
  async take(signal?: AbortSignal): Promise<void> {
    if (this.interval === 0) return;
    signal?.throwIfAborted();
    const now = this.now();
    const at = Math.max(now, this.next);
    this.next = at + this.interval;
    if (at <= now) return;
    try {
      await this.wait(at - now, signal);
    } catch (error) {
      throw signal?.aborted ? signal.reason : error;
    }
  }
}
