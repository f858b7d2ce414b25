import { outsideQueryScope } from '@headwaters/database';

/**
 * Answers that are the same for every anonymous visitor and may be a few seconds old (how many
 * items each upstream has open): computed at most once per `ttlMs`, and by one request at a
 * time, so a busy home page does not count 100,000 items per visit. Stale answers are served
 * while a fresh one is computed.
 */
export class PublicCache {
  private readonly entries = new Map<string, { value: unknown; at: number; refreshing?: Promise<unknown> }>();

  constructor(private readonly ttlMs: number) {}

  async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    const now = Date.now();
    if (entry && now - entry.at < this.ttlMs) return entry.value as T;
    if (entry) {
      // The refresh serves later visitors, not this one: it must outlive this client leaving.
      entry.refreshing ??= outsideQueryScope(compute)
        .then((value) => this.entries.set(key, { value, at: Date.now() }))
        .catch(() => undefined)
        .finally(() => {
          const current = this.entries.get(key);
          if (current) delete current.refreshing;
        });
      return entry.value as T;
    }
    const value = await compute();
    this.entries.set(key, { value, at: Date.now() });
    return value;
  }
}
