/**
 * A progress line on a terminal: rewritten in place, shown only when the
 * stream is a terminal and only once the work has taken longer than a
 * moment (a quick scan prints no progress at all), erased at the end.
 */
import type { OutputStream } from './commandLine.ts';

export class ProgressLine {
  private shown = false;
  private readonly startedAt: number;

  constructor(
    private readonly stream: OutputStream,
    private readonly label: string,
    private readonly now: () => number = Date.now,
    private readonly afterMs = 1000,
  ) {
    this.startedAt = now();
  }

  update(done: number, total: number): void {
    if (this.stream.isTTY !== true) return;
    if (!this.shown && this.now() - this.startedAt < this.afterMs) return;
    this.shown = true;
    this.stream.write(`\r\x1b[2K${this.label}: ${done}/${total}`);
  }

  /** Erases the line, if it was shown. */
  finish(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
