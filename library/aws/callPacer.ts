import type { Sleep } from '../runtime/sleep.ts';

/**
 * Keeps calls under a rate per key by design rather than by error:
 * CloudTrail allows 10 Get/Describe/List calls per second per account and
 * region, and answers ThrottlingException past that.
 *
 * Each key has `callsPerSecond` permits. A call holds one from the moment it
 * may start until one second after it ends (answered or failed); callers
 * beyond that wait, first come first served. This holds at the server, not
 * only at the caller: if N+1 calls arrived within one second, each of the
 * first N would have ended at or after that second began, so all of them
 * still held their permit when the last one started; it could not have
 * started. Reserving start times alone cannot promise that, because a call
 * delayed on its way (a new connection, a busy process) lands closer to the
 * next one.
 */
export class CallPacer {
  private readonly keys = new Map<string, { held: number; waiting: Array<() => void> }>();

  /**
   * @param hold waits out the second a permit stays held after its call ends
   *   (production: a real timer; tests of other units may release at once).
   */
  constructor(
    readonly callsPerSecond: number,
    private readonly hold: Sleep,
  ) {
    if (!Number.isInteger(callsPerSecond) || callsPerSecond < 1) throw new RangeError(`callsPerSecond must be a positive integer, got ${callsPerSecond}`);
  }

  async run<T>(key: string, call: () => Promise<T>): Promise<T> {
    await this.acquire(key);
    try {
      return await call();
    } finally {
      void this.hold(1000).then(() => this.release(key), () => this.release(key));
    }
  }

  /** Keys with a permit held or a caller waiting (a warm Lambda sees many accounts and regions over time). */
  get trackedKeys(): number {
    return this.keys.size;
  }

  private acquire(key: string): Promise<void> {
    let state = this.keys.get(key);
    if (state === undefined) {
      state = { held: 0, waiting: [] };
      this.keys.set(key, state);
    }
    if (state.held < this.callsPerSecond) {
      state.held += 1;
      return Promise.resolve();
    }
    const queue = state.waiting;
    return new Promise((resolve) => queue.push(resolve));
  }

  private release(key: string): void {
    const state = this.keys.get(key);
    if (state === undefined) return;
    const next = state.waiting.shift();
    if (next !== undefined) {
      next(); // the permit passes straight to the next caller
      return;
    }
    state.held -= 1;
    if (state.held === 0) this.keys.delete(key);
  }
}
