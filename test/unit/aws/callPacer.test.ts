import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CallPacer } from '../../../library/aws/callPacer.ts';

const test = suite('callPacer');

/** Holds that end only when the test says so: the test plays the clock. */
class ManualHolds {
  private readonly pending: Array<() => void> = [];
  readonly hold = (ms: number): Promise<void> => {
    assert.is(ms, 1000);
    return new Promise((resolve) => this.pending.push(resolve));
  };
  /** One second passes: every permit held so far is released. */
  async secondPasses(): Promise<void> {
    for (const resolve of this.pending.splice(0)) resolve();
    await new Promise((resolve) => setImmediate(resolve));
  }
  get count(): number {
    return this.pending.length;
  }
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

test('lets N calls of one key run, and the next only a second after one of them ended', async () => {
  const holds = new ManualHolds();
  const pacer = new CallPacer(3, holds.hold);
  const started: number[] = [];
  const calls = Array.from({ length: 7 }, (_, index) => pacer.run('210987654321/eu-west-1', async () => { started.push(index); return index; }));
  await settle();
  assert.equal(started, [0, 1, 2]);
  await holds.secondPasses();
  await settle();
  assert.equal(started, [0, 1, 2, 3, 4, 5]);
  await holds.secondPasses();
  await settle();
  assert.equal(started, [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(await Promise.all(calls), [0, 1, 2, 3, 4, 5, 6]);
});

test('keeps a permit while its call is in flight, however long it takes', async () => {
  const holds = new ManualHolds();
  const pacer = new CallPacer(1, holds.hold);
  let answer: (value: string) => void = () => undefined;
  const slow = pacer.run('k', () => new Promise<string>((resolve) => { answer = resolve; }));
  let secondStarted = false;
  const second = pacer.run('k', async () => { secondStarted = true; });
  await holds.secondPasses(); // a second passes while the first call is still waiting for its answer
  await settle();
  assert.is(secondStarted, false);
  answer('late');
  assert.is(await slow, 'late');
  await settle();
  assert.is(secondStarted, false); // the first call ended just now: its permit is held one more second
  await holds.secondPasses();
  await second;
  assert.is(secondStarted, true);
});

test('paces each key on its own', async () => {
  const holds = new ManualHolds();
  const pacer = new CallPacer(1, holds.hold);
  const results = await Promise.all([
    pacer.run('a/eu-west-1', async () => 1),
    pacer.run('a/us-east-1', async () => 2),
    pacer.run('b/eu-west-1', async () => 3),
  ]);
  assert.equal(results, [1, 2, 3]);
  assert.is(holds.count, 3);
});

test('returns the call\'s result, passes its error on, and releases the permit after a failure too', async () => {
  const holds = new ManualHolds();
  const pacer = new CallPacer(1, holds.hold);
  assert.is(await pacer.run('k', async () => 'answer'), 'answer');
  await holds.secondPasses();
  try {
    await pacer.run('k', async () => { throw new Error('refused'); });
    assert.unreachable('expected the error');
  } catch (err: unknown) {
    assert.is((err as Error).message, 'refused');
  }
  await holds.secondPasses();
  assert.is(await pacer.run('k', async () => 'again'), 'again');
});

test('forgets a key once its permits are all released', async () => {
  const holds = new ManualHolds();
  const pacer = new CallPacer(8, holds.hold);
  for (let account = 0; account < 300; account += 1) await pacer.run(`${account}/eu-west-1`, async () => account);
  assert.is(pacer.trackedKeys, 300);
  await holds.secondPasses();
  assert.is(pacer.trackedKeys, 0);
});

test('rejects a rate that is not a positive whole number', () => {
  assert.throws(() => new CallPacer(0, async () => undefined), /positive integer/);
});

test.run();
