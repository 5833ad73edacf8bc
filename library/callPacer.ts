import type { Sleep } from './sleep.ts';

/**
 * Keeps calls under a rate per key by design rather than by error:
 * CloudTrail allows 10 Get/Describe/List calls per second per account and
 * region, and answers ThrottlingException past that. Each call reserves a start
 * time such that at most `callsPerSecond` calls of the same key start within
 * any one second, then waits for it. Reservations are made synchronously, so
 * concurrent callers never race for the same slot.
 */
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

  /** The start time given to the next call of `key` (milliseconds since the epoch). */
  private reserve(key: string): number {
    const now = this.now();
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
}
