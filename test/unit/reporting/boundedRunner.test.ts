// The bounded runner of reporting: limits overall and per key (JIRA
// project), stopping under the time budget, and the account interleaving.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { interleave, runBounded, type BoundedTask } from '../../../reporting/boundedRunner.ts';

const test = suite('boundedRunner');

/** A task that records how many of its key run with it, and finishes when released. */
class Gate {
  running = 0;
  maxRunning = 0;
  readonly runningByKey = new Map<string, number>();
  readonly maxByKey = new Map<string, number>();
  readonly started: string[] = [];
  private waiting: Array<() => void> = [];

  task(name: string, key: string | undefined): BoundedTask<string> {
    return {
      key,
      run: async () => {
        this.started.push(name);
        this.running += 1;
        this.maxRunning = Math.max(this.maxRunning, this.running);
        if (key !== undefined) {
          this.runningByKey.set(key, (this.runningByKey.get(key) ?? 0) + 1);
          this.maxByKey.set(key, Math.max(this.maxByKey.get(key) ?? 0, this.runningByKey.get(key) ?? 0));
        }
        await new Promise<void>((resolve) => this.waiting.push(resolve));
        this.running -= 1;
        if (key !== undefined) this.runningByKey.set(key, (this.runningByKey.get(key) ?? 1) - 1);
        return `${name} done`;
      },
    };
  }

  /** Lets every task started so far finish, until none is left (macrotask turns let the limiters start the next ones). */
  async drain(): Promise<void> {
    for (let turn = 0; turn < 1000; turn += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      const released = this.waiting.splice(0);
      if (released.length === 0 && this.running === 0) return;
      for (const release of released) release();
    }
  }
}

test('runs at most `concurrency` tasks at once, and at most `perKey` of one key, every task once', async () => {
  const gate = new Gate();
  const tasks = Array.from({ length: 30 }, (_, index) => gate.task(`t${index}`, `P${index % 3}`));
  const done = runBounded(tasks, { concurrency: 5, perKey: 2 });
  await gate.drain();
  const run = await done;
  assert.is(gate.maxRunning, 5);
  assert.equal([...gate.maxByKey.values()], [2, 2, 2]);
  assert.equal(run.results, tasks.map((_, index) => `t${index} done`));
  assert.equal(run.notStarted, []);
  assert.is(run.maxRunning, 5);
  assert.equal(new Set(gate.started).size, 30);
});

test('a busy key does not hold back the others: its waiting tasks take no place of the overall limit', async () => {
  const gate = new Gate();
  // Ten tasks of one project first, then one of another: with 3 places and 1 per project, the other starts at once.
  const tasks = [...Array.from({ length: 10 }, (_, index) => gate.task(`busy${index}`, 'BUSY')), gate.task('other', 'OTHER')];
  const done = runBounded(tasks, { concurrency: 3, perKey: 1 });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(gate.started, ['busy0', 'other']);
  await gate.drain();
  await done;
});

test('tasks without a key are only bounded overall', async () => {
  const gate = new Gate();
  const done = runBounded(Array.from({ length: 6 }, (_, index) => gate.task(`t${index}`, undefined)), { concurrency: 4, perKey: 1 });
  await gate.drain();
  await done;
  assert.is(gate.maxRunning, 4);
});

test('once mayStart says no, no task starts; the running ones finish; the first always starts', async () => {
  const gate = new Gate();
  let open = true;
  const asked: number[] = [];
  const done = runBounded(Array.from({ length: 10 }, (_, index) => gate.task(`t${index}`, undefined)), {
    concurrency: 3,
    perKey: 1,
    mayStart: (started) => {
      asked.push(started);
      return open;
    },
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(gate.started, ['t0', 't1', 't2']);
  open = false;
  await gate.drain();
  const run = await done;
  assert.equal(run.results.slice(0, 3), ['t0 done', 't1 done', 't2 done'], 'the three running finished');
  assert.equal(run.notStarted, [3, 4, 5, 6, 7, 8, 9]);
  assert.equal(gate.started, ['t0', 't1', 't2']);
  // Asked once before each start and once more when it said no; never after.
  assert.equal(asked, [0, 1, 2, 3]);
});

test('interleave takes one item of each account in turn, accounts in the order they first appear', () => {
  const items = ['a1', 'a2', 'a3', 'b1', 'c1', 'c2'];
  assert.equal(interleave(items, (item) => item[0] ?? ''), ['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
  assert.equal(interleave([], (item: string) => item), []);
});

test.run();
