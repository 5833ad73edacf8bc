/** Plain-text tables and the statistics the benchmarks print. */

export type Cell = string | number;

/** Columns padded to their widest cell; numbers right-aligned. */
export function renderTable(title: string, header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const cells = [header.map(String), ...rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const numeric = header.map((_, column) => rows.every((row) => typeof row[column] === 'number' || row[column] === '-'));
  const line = (row: readonly string[]): string => row.map((cell, column) => (numeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join('  ').trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [`\n${title}`, line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join('\n');
}

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/** Nearest-rank percentile (p in 0..100) of the values; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function megabytes(bytes: number): number {
  return bytes / (1024 * 1024);
}

/** Tracks the peak RSS and heap of this process while a benchmark runs. */
export class MemorySampler {
  peakRss = 0;
  peakHeapUsed = 0;
  private timer: NodeJS.Timeout | undefined;

  start(everyMs = 20): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    const usage = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, usage.rss);
    this.peakHeapUsed = Math.max(this.peakHeapUsed, usage.heapUsed);
  }
}
