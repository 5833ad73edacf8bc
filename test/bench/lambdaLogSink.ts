/**
 * Log lines of the Lambdas run inside a benchmark process, counted by level
 * (and WARN/ERROR lines by message and error code) instead of printed: they
 * would drown the tables. The SDK's own warnings are counted too.
 */
export interface LogCounts {
  byLevel: Record<string, number>;
  problems: Array<[problem: string, count: number]>;
}

/** Log lines of the in-process Lambdas, counted by level instead of printed (they would drown the tables). */
export class LambdaLogSink {
  readonly byLevel: Record<string, number> = {};
  /** WARN and ERROR lines by message and error code. */
  readonly problems = new Map<string, number>();
  private readonly restore: Array<() => void> = [];

  install(): void {
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
      stream.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
        const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
        const sdkWarning = /^(@smithy\/[\w-]+|@aws-sdk\/[\w-]+) - \[(\w+)\] ([^.]*)/.exec(text);
        if (sdkWarning) {
          // The SDK's own warnings (a request over its timeout when this thread is saturated, say): counted, not printed.
          const key = `${sdkWarning[2] ?? 'WARN'} ${sdkWarning[1] ?? ''}: ${sdkWarning[3] ?? ''}`;
          this.problems.set(key, (this.problems.get(key) ?? 0) + 1);
          rest.find((arg): arg is () => void => typeof arg === 'function')?.();
          return true;
        }
        if (!text.startsWith('{"level"')) return original(chunk, ...rest);
        const level = /^\{"level":"(\w+)"/.exec(text)?.[1] ?? 'UNKNOWN';
        this.byLevel[level] = (this.byLevel[level] ?? 0) + 1;
        if (level === 'WARN' || level === 'ERROR') {
          const code = /"error_code":"([^"]*)"/.exec(text)?.[1]?.replace(/\d+/g, 'N') ?? 'none';
          const message = /"message":"([^"]*)"/.exec(text)?.[1] ?? '';
          const key = `${level} ${message} (${code})`;
          this.problems.set(key, (this.problems.get(key) ?? 0) + 1);
        }
        const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
        callback?.();
        return true;
      }) as typeof stream.write;
      this.restore.push(() => {
        stream.write = original as typeof stream.write;
      });
    }
  }

  uninstall(): void {
    for (const undo of this.restore) undo();
    this.restore.length = 0;
  }

  counts(): LogCounts {
    return { byLevel: { ...this.byLevel }, problems: [...this.problems] };
  }

  /** Adds the counts of another process's sink. */
  add(counts: LogCounts): void {
    for (const [level, count] of Object.entries(counts.byLevel)) this.byLevel[level] = (this.byLevel[level] ?? 0) + count;
    for (const [problem, count] of counts.problems) this.problems.set(problem, (this.problems.get(problem) ?? 0) + count);
  }
}
