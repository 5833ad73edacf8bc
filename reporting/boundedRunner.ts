/**
 * Runs tasks with bounded concurrency: at most `concurrency` at once, and at
 * most `perKey` at once among the tasks of one key (reporting: one JIRA
 * project). A task waiting for its key's turn takes no place of the overall
 * limit, so a busy key never holds back the others. Tasks start in the order
 * given within each key; `mayStart` is asked right before each start, and
 * once it says no, no further task starts (the ones running finish).
 */
import pLimit, { type LimitFunction } from 'p-limit';

export interface BoundedTask<T> {
  /** Tasks of one key share its limit; undefined: only the overall limit. */
  key: string | undefined;
  run(): Promise<T>;
}

export interface BoundedRunOptions {
  concurrency: number;
  perKey: number;
  /**
   * Asked right before a task would start, with the number started so far;
   * false stops the run from starting any further task. Default: always.
   */
  mayStart?(started: number): boolean;
}

export interface BoundedRunResult<T> {
  /** Each task's result, in the order given; undefined for a task not started. */
  results: Array<T | undefined>;
  /** Indexes of the tasks not started, in the order given. */
  notStarted: number[];
  /** The most tasks that ran at once, overall and by key. */
  maxRunning: number;
  maxRunningByKey: Map<string, number>;
}

export async function runBounded<T>(tasks: ReadonlyArray<BoundedTask<T>>, options: BoundedRunOptions): Promise<BoundedRunResult<T>> {
  const overall = pLimit(Math.max(1, Math.floor(options.concurrency)));
  const byKey = new Map<string, LimitFunction>();
  const runningByKey = new Map<string, number>();
  const maxRunningByKey = new Map<string, number>();
  let started = 0;
  let running = 0;
  let maxRunning = 0;
  let stopped = false;
  const notStarted: number[] = [];

  const start = async (task: BoundedTask<T>, index: number): Promise<T | undefined> => {
    if (stopped || !(options.mayStart?.(started) ?? true)) {
      stopped = true;
      notStarted.push(index);
      return undefined;
    }
    started += 1;
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    if (task.key !== undefined) {
      const now = (runningByKey.get(task.key) ?? 0) + 1;
      runningByKey.set(task.key, now);
      maxRunningByKey.set(task.key, Math.max(maxRunningByKey.get(task.key) ?? 0, now));
    }
    try {
      return await task.run();
    } finally {
      running -= 1;
      if (task.key !== undefined) runningByKey.set(task.key, (runningByKey.get(task.key) ?? 1) - 1);
    }
  };

  const results = await Promise.all(tasks.map((task, index) => {
    // The key's limit outside, the overall one inside: waiting for the key holds no overall place.
    const inOverall = () => overall(() => start(task, index));
    if (task.key === undefined) return inOverall();
    let keyLimit = byKey.get(task.key);
    if (keyLimit === undefined) {
      keyLimit = pLimit(Math.max(1, Math.floor(options.perKey)));
      byKey.set(task.key, keyLimit);
    }
    return keyLimit(inOverall);
  }));
  return { results, notStarted: notStarted.sort((a, b) => a - b), maxRunning, maxRunningByKey };
}

/**
 * The items taken one from each group in turn (the first of every group,
 * then the second, ...), groups in the order they first appear: concurrent
 * reports of one account would all wait for the same Slack channel.
 */
export function interleave<T>(items: readonly T[], groupOf: (item: T) => string): T[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groupOf(item);
    const list = groups.get(group);
    if (list === undefined) groups.set(group, [item]);
    else list.push(item);
  }
  const lists = [...groups.values()];
  const longest = Math.max(0, ...lists.map((list) => list.length));
  const out: T[] = [];
  for (let round = 0; round < longest; round += 1) {
    for (const list of lists) {
      const item = list[round];
      if (item !== undefined) out.push(item);
    }
  }
  return out;
}
