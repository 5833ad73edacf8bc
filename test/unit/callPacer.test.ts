import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CallPacer } from '../../library/callPacer.ts';
import { VirtualTime } from '../helpers/virtualTime.ts';

const test = suite('callPacer');

test('lets at most N calls of one key start in any second', async () => {
  // Time stands still unless a caller sleeps: the waits are what the pacer asked for.
  const time = new VirtualTime(1_000_000, false);
  const pacer = new CallPacer(8, time.now, time.sleep);
  const starts: number[] = [];
  await Promise.all(Array.from({ length: 20 }, () => pacer.run('210987654321/eu-west-1', async () => { starts.push(time.now()); })));
  assert.equal(time.sleeps, [...Array(8).fill(1000), ...Array(4).fill(2000)]);
  assert.is(starts.length, 20);
});

test('paces each key on its own', async () => {
  const time = new VirtualTime(1_000_000, false);
  const pacer = new CallPacer(2, time.now, time.sleep);
  await Promise.all([
    pacer.run('a/eu-west-1', async () => 1),
    pacer.run('a/eu-west-1', async () => 2),
    pacer.run('a/us-east-1', async () => 3),
    pacer.run('b/eu-west-1', async () => 4),
  ]);
  assert.equal(time.sleeps, []);
});

test('calls spread over time never wait', async () => {
  const time = new VirtualTime(1_000_000, false);
  const pacer = new CallPacer(2, time.now, time.sleep);
  for (let call = 0; call < 6; call += 1) {
    await pacer.run('a/eu-west-1', async () => call);
    time.nowMs += 500;
  }
  assert.equal(time.sleeps, []);
});

test('a burst after a pause waits only for the calls still inside the last second', async () => {
  const time = new VirtualTime(1_000_000, false);
  const pacer = new CallPacer(2, time.now, time.sleep);
  await pacer.run('k', async () => 0);
  time.nowMs += 600;
  await Promise.all([pacer.run('k', async () => 1), pacer.run('k', async () => 2)]);
  // slots: 1_000_000, 1_000_600, then 1_001_000 (one second after the first)
  assert.equal(time.sleeps, [400]);
});

test('returns the call\'s result and passes its error on', async () => {
  const time = new VirtualTime(1_000_000, false);
  const pacer = new CallPacer(1, time.now, time.sleep);
  assert.is(await pacer.run('k', async () => 'answer'), 'answer');
  try {
    await pacer.run('k', async () => { throw new Error('refused'); });
    assert.unreachable('expected the error');
  } catch (err: unknown) {
    assert.is((err as Error).message, 'refused');
  }
});

test('forgets keys that have been idle for a second once many keys were seen', async () => {
  const time = new VirtualTime(1_000_000, false);
  const pacer = new CallPacer(8, time.now, time.sleep);
  for (let account = 0; account < 300; account += 1) await pacer.run(`${account}/eu-west-1`, async () => account);
  time.nowMs += 1500;
  await pacer.run('new/eu-west-1', async () => 'new');
  assert.is(pacer.trackedKeys, 1);
});

test.run();
