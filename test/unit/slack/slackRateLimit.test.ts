// Slack's per-channel limit on chat.postMessage, as the fake enforces it, and
// the notifier's pacing that stays under it. Both run on one virtual clock:
// waits are recorded, never waited.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ChannelPacer } from '../../../reporting/slack/channelPacer.ts';
import { SlackNotifier } from '../../../reporting/slack/slackNotifier.ts';
import { SlackWebApi } from '../../../reporting/slack/slackWebApi.ts';
import { SLACK_POST_MESSAGE_LIMIT, startFakeSlack, type FakeSlack } from '../../fakes/fakeSlackServer.ts';
import { RecordingLog } from '../../helpers/recordingLog.ts';
import { VirtualTime } from '../../helpers/virtualTime.ts';

const test = suite('slackRateLimit');
const TOKEN = 'xoxb-3333-4444-ratelimitsecret';
const USERS = [{ id: 'U0ALICE', name: 'alice' }, { id: 'U0BOB', name: 'bob' }];

let slack: FakeSlack | undefined;
let time: VirtualTime;

test.before.each(() => {
  time = new VirtualTime();
});

test.after.each(async () => {
  await slack?.stop();
  slack = undefined;
});

async function strictSlack(): Promise<FakeSlack> {
  slack = await startFakeSlack({ token: TOKEN, users: USERS, channels: ['#devops', '#security'], postMessageLimit: SLACK_POST_MESSAGE_LIMIT, clock: time.now });
  return slack;
}

async function post(fake: FakeSlack, channel: string): Promise<{ status: number; retryAfter: string | null; body: unknown }> {
  const response = await fetch(`${fake.apiUrl}/chat.postMessage`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ channel, text: 'hello' }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}

test('the fake takes a burst of four messages to a channel, then answers 429 with Retry-After until a second has passed', async () => {
  const fake = await strictSlack();
  const statuses = [];
  for (let message = 0; message < 5; message += 1) statuses.push((await post(fake, '#devops')).status);
  assert.equal(statuses, [200, 200, 200, 200, 429]);
  const refused = await post(fake, '#devops');
  assert.equal([refused.status, refused.retryAfter, refused.body], [429, '1', { ok: false, error: 'ratelimited' }]);
  assert.is(fake.messages.length, 4, 'a refused message is not posted');
  time.nowMs += 1000;
  assert.is((await post(fake, '#devops')).status, 200);
  assert.is((await post(fake, '#devops')).status, 429);
  assert.equal(fake.throttled, [{ channel: '#devops', retryAfterSeconds: 1 }, { channel: '#devops', retryAfterSeconds: 1 }, { channel: '#devops', retryAfterSeconds: 1 }]);
  assert.is(fake.rateLimitedAnswers, 3);
});

test('the fake counts each channel and each user\'s direct-message channel apart', async () => {
  const fake = await strictSlack();
  for (const channel of ['#devops', '#devops', '#devops', '#devops', '#security', 'U0BOB', 'U0BOB', 'U0BOB', 'U0BOB']) assert.is((await post(fake, channel)).status, 200, channel);
  assert.is((await post(fake, 'U0BOB')).status, 429);
  assert.is((await post(fake, 'U0ALICE')).status, 200);
});

test('without postMessageLimit the fake posts any number of messages, as before', async () => {
  slack = await startFakeSlack({ token: TOKEN, channels: ['#devops'] });
  for (let message = 0; message < 10; message += 1) assert.is((await post(slack, '#devops')).status, 200);
  assert.equal(slack.throttled, []);
});

function notifier(fake: FakeSlack, pacer?: ChannelPacer): SlackNotifier {
  const api = new SlackWebApi({ apiUrl: fake.apiUrl, token: TOKEN, sleep: time.sleep });
  return new SlackNotifier(api, new RecordingLog(), undefined, pacer ?? new ChannelPacer({ now: time.now, sleep: time.sleep }));
}

test('the paced notifier sends twelve messages to one channel and six to one user without a single 429', async () => {
  const fake = await strictSlack();
  const sender = notifier(fake);
  for (let message = 0; message < 12; message += 1) await sender.notifyOwners(['#devops', ...(message % 2 === 0 ? ['bob'] : [])], `issue ${message}`);
  assert.equal(fake.throttled, []);
  assert.is(sender.rateLimitedResponses, 0);
  assert.is(fake.messages.length, 18);
  assert.equal(fake.messages.filter((message) => message.channel === '#devops').map((message) => message.text), Array.from({ length: 12 }, (_, index) => `issue ${index}`));
  // Three at once, then a second apart per channel: bob's DMs come every second message, so they never wait.
  assert.equal(time.sleeps, [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000]);
});

test('without the pacing the same messages run into the limit (the fake is strict), and only the Retry-After waits deliver them', async () => {
  const fake = await strictSlack();
  const api = new SlackWebApi({ apiUrl: fake.apiUrl, token: TOKEN, sleep: time.sleep });
  for (let message = 0; message < 12; message += 1) await api.call('chat.postMessage', { channel: '#devops', text: `issue ${message}` }, 'json');
  assert.is(fake.throttled.length, 8);
  assert.is(api.rateLimitedResponses, 8);
  assert.equal(time.sleeps, Array.from({ length: 8 }, () => 1000));
  assert.is(fake.messages.length, 12);
});

test('a 429 Slack sends anyway holds the channel: the next message waits for the retried one', async () => {
  const fake = await strictSlack();
  const sender = notifier(fake);
  fake.rateLimit('chat.postMessage', 5, 1);
  await sender.notifyOwners(['#devops'], 'first');
  await sender.notifyOwners(['#devops'], 'second');
  // 5 s of Retry-After for the first, then the second a second after it, with no burst.
  assert.equal(time.sleeps, [5000, 1000]);
  assert.equal(fake.messages.map((message) => message.text), ['first', 'second']);
});

test.run();
