import type { Sleep } from '../../library/runtime/sleep.ts';

/**
 * Time that moves only when code sleeps: tests of pacing and backoff record
 * the waits instead of waiting (no timed tests).
 */
export class VirtualTime {
  readonly sleeps: number[] = [];

  constructor(public nowMs: number = Date.UTC(2026, 10, 26, 15, 56, 20, 123), private readonly advanceOnSleep = true) {}

  readonly now = (): number => this.nowMs;

  readonly date = (): Date => new Date(this.nowMs);

  readonly sleep: Sleep = async (milliseconds) => {
    this.sleeps.push(milliseconds);
    if (this.advanceOnSleep) this.nowMs += Math.max(0, milliseconds);
  };
}
