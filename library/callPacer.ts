import type { Sleep } from './sleep.ts';

/**
 * Keeps calls under a rate per key by design rather than by error:
 * CloudTrail allows 10 Get/Describe/List calls per second per account and
 * region, and answers ThrottlingException past that. Each call reserves a start
 * time such that at most `callsPerSecond` calls of the same key start within
 * any one second, then waits for it. Reservations are made synchronously, so
 * concurrent callers never race for the same slot.
 */
/** Past this many keys, keys without a call in the last second are forgotten. */
const FORGET_AFTER_KEYS = 256;

export class CallPacer {
  private readonly starts = new Map<string, number[]>();

  constructor(
    readonly callsPerSecond: number,
    private readonly now: () => number,
    private readonly sleep: Sleep,
  ) {
    if (!Number.isInteger(callsPerSecond) || callsPerSecond < 1) throw new RangeError(`callsPerSecond must be a positive integer, got ${callsPerSecond}`);
  }

  async run<T>(key: string, call: () => Promise<T>): Promise<T> {
    const startAt = this.reserve(key);
    const wait = startAt - this.now();
    if (wait > 0) await this.sleep(wait);
    return call();
  }

  /** Keys with calls in the last second (a warm Lambda sees many accounts and regions over time). */
  get trackedKeys(): number {
    return this.starts.size;
  }

  /** The start time given to the next call of `key` (milliseconds since the epoch). */
  private reserve(key: string): number {
    const now = this.now();
    if (this.starts.size >= FORGET_AFTER_KEYS) this.forgetIdleKeys(now);
    const recent = (this.starts.get(key) ?? []).filter((start) => start > now - 1000);
    let startAt = Math.max(now, recent.at(-1) ?? now);
    if (recent.length >= this.callsPerSecond) {
      const windowOpener = recent[recent.length - this.callsPerSecond] ?? now;
      startAt = Math.max(startAt, windowOpener + 1000);
    }
    recent.push(startAt);
    this.starts.set(key, recent);
    return startAt;
  }

  private forgetIdleKeys(now: number): void {
    for (const [key, starts] of this.starts) {
      if ((starts.at(-1) ?? 0) <= now - 1000) this.starts.delete(key);
    }
  }
}
