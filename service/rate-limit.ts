// Fixed-window counters for the token endpoint, per client id and per remote address, so a guessing
// client is slowed whichever of the two it varies. Bounded by an LRU so many addresses cannot grow it.
import { LRUCache } from 'lru-cache';

export class RateLimiter {
  private readonly windows = new LRUCache<string, { count: number; resetAt: number }>({ max: 50_000 });

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a hit on `key`; returns seconds to wait when it is over `limit`, else 0. */
  hit(key: string, limit: number): number {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= t) {
      w = { count: 0, resetAt: t + this.windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    return w.count > limit ? Math.max(1, Math.ceil((w.resetAt - t) / 1000)) : 0;
  }
}
