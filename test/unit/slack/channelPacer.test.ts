// The per-channel pacing of chat.postMessage, on virtual time: the waits are
// recorded, never waited.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ChannelPacer, SLACK_CHANNEL_PACING } from '../../../reporting/slack/channelPacer.ts';
import { VirtualTime } from '../../helpers/virtualTime.ts';

const test = suite('channelPacer');

test('lets a burst of three through at once, then one message a second to the same channel', async () => {
  const time = new VirtualTime();
  const pacer = new ChannelPacer({ now: time.now, sleep: time.sleep });
  const waits: number[] = [];
  for (let message = 0; message < 6; message += 1) waits.push(await pacer.turn('#devops'));
  assert.equal(SLACK_CHANNEL_PACING, { burst: 3, intervalMs: 1000 });
  assert.equal(waits, [0, 0, 0, 1000, 1000, 1000]);
});

test('concurrent callers for one channel get consecutive slots in the order they asked', async () => {
  // Time does not move on sleep here: every caller asks at the same instant.
  const time = new VirtualTime(Date.UTC(2026, 10, 26), false);
  const pacer = new ChannelPacer({ now: time.now, sleep: time.sleep });
  const waits = await Promise.all(Array.from({ length: 8 }, () => pacer.turn('#devops')));
  assert.equal(waits, [0, 0, 0, 1000, 2000, 3000, 4000, 5000]);
  assert.is(pacer.waitedMs, 15000);
});

test('channels and direct-message channels are paced each on its own', async () => {
  const time = new VirtualTime(Date.UTC(2026, 10, 26), false);
  const pacer = new ChannelPacer({ now: time.now, sleep: time.sleep });
  const waits = await Promise.all(['#a', '#a', '#a', '#a', '#b', 'U0BOB', 'U0BOB', 'U0BOB', 'U0BOB', 'U0ALICE'].map((channel) => pacer.turn(channel)));
  assert.equal(waits, [0, 0, 0, 1000, 0, 0, 0, 0, 1000, 0]);
});

test('a quiet channel gets its burst back', async () => {
  const time = new VirtualTime();
  const pacer = new ChannelPacer({ now: time.now, sleep: time.sleep });
  for (let message = 0; message < 4; message += 1) await pacer.turn('#devops');
  time.nowMs += 10_000;
  const waits = [await pacer.turn('#devops'), await pacer.turn('#devops'), await pacer.turn('#devops'), await pacer.turn('#devops')];
  assert.equal(waits, [0, 0, 0, 1000]);
});

test('after a 429 the channel is held for its Retry-After, then takes one message a second without a burst', async () => {
  const time = new VirtualTime(Date.UTC(2026, 10, 26), false);
  const pacer = new ChannelPacer({ now: time.now, sleep: time.sleep });
  await pacer.turn('#devops');
  pacer.hold('#devops', 5000);
  const waits = await Promise.all([pacer.turn('#devops'), pacer.turn('#devops'), pacer.turn('#other')]);
  // The refused message is retried at +5 s by the Web API client; the next ones follow it a second apart.
  assert.equal(waits, [6000, 7000, 0]);
});

test.run();
