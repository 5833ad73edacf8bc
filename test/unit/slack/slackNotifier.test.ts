import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { lazySlackNotifier } from '../../../reporting/slack/lazySlackNotifier.ts';
import { SlackNotifier } from '../../../reporting/slack/slackNotifier.ts';
import { SlackWebApi } from '../../../reporting/slack/slackWebApi.ts';
import { startFakeSlack, type FakeSlack, type FakeSlackUser } from '../../fakes/fakeSlackServer.ts';
import { RecordingLog } from '../../helpers/recordingLog.ts';

const test = suite('slackNotifier');
const TOKEN = 'xoxb-1111-2222-secretslacktoken';

const USERS: FakeSlackUser[] = [
  { id: 'U001', name: 'alice', email: 'alice@example.com' },
  { id: 'U002', name: 'bob', email: 'Bob.Builder@Example.com' },
  { id: 'U003', name: 'carol', email: 'carol@example.com' },
  { id: 'U004', name: 'gone', email: 'gone@example.com', deleted: true },
  { id: 'U005', name: 'dave', email: 'dave@example.com' },
];

let slack: FakeSlack;
let log: RecordingLog;
let waits: number[];

function notifier(options: { token?: string; pageSize?: number } = {}): SlackNotifier {
  const api = new SlackWebApi({
    apiUrl: slack.apiUrl,
    token: options.token ?? TOKEN,
    sleep: async (milliseconds) => {
      waits.push(milliseconds);
    },
  });
  return new SlackNotifier(api, log);
}

test.before.each(async () => {
  slack = await startFakeSlack({ token: TOKEN, users: USERS, channels: ['#devops-channel'], pageSize: 2 });
  log = new RecordingLog();
  waits = [];
});

test.after.each(async () => {
  await slack.stop();
});

test('posts to a #channel as user name hammer with the bot token', async () => {
  const delivered = await notifier().notifyOwners(['#devops-channel'], 'Discovered something');
  assert.is(delivered, 1);
  assert.equal(slack.messages, [{ channel: '#devops-channel', text: 'Discovered something', username: 'hammer' }]);
  const [post] = slack.requestsOf('chat.postMessage');
  assert.is(post?.authorization, `Bearer ${TOKEN}`);
  assert.match(post?.contentType ?? '', /^application\/json/);
  assert.is(slack.requestsOf('users.list').length, 0);
});

test('messages a user found by name by the user id, without im.open', async () => {
  await notifier().notifyOwners(['alice'], 'hello');
  assert.equal(slack.messages, [{ channel: 'U001', text: 'hello', username: 'hammer' }]);
  assert.is(slack.requestsOf('im.open').length, 0);
  assert.is(slack.requestsOf('conversations.open').length, 0);
});

test('finds a user by e-mail case-insensitively', async () => {
  await notifier().notifyOwners(['bob.builder@example.COM'], 'hello');
  assert.equal(slack.messages.map((message) => message.channel), ['U002']);
});

test('follows users.list cursor pages to find a user on a later page, reading them once per run', async () => {
  const sender = notifier();
  await sender.notifyOwners(['dave'], 'first');
  await sender.notifyOwners(['carol', 'dave'], 'second');
  assert.equal(slack.messages.map((message) => message.channel), ['U005', 'U003', 'U005']);
  const pages = slack.requestsOf('users.list');
  assert.is(pages.length, 3);
  assert.is(pages[0]?.params.cursor, undefined);
  assert.ok(typeof pages[1]?.params.cursor === 'string' && pages[1].params.cursor !== '');
  assert.match(pages[0]?.contentType ?? '', /^application\/x-www-form-urlencoded/);
});

test('skips an unknown user with one warning and still sends to the others', async () => {
  const sender = notifier();
  const delivered = await sender.notifyOwners(['nobody', '#devops-channel'], 'one', { account_id: '210987654321', region: 'eu-west-1' });
  await sender.notifyOwners(['nobody'], 'two');
  assert.is(delivered, 1);
  assert.equal(slack.messages.map((message) => message.channel), ['#devops-channel']);
  const warnings = log.at('warn');
  assert.is(warnings.length, 1);
  assert.is(warnings[0]?.fields.recipient, 'nobody');
  assert.is(warnings[0]?.fields.account_id, '210987654321');
});

test('does not message a deleted user', async () => {
  assert.is(await notifier().notifyOwners(['gone'], 'hello'), 0);
  assert.equal(slack.messages, []);
});

test('waits Retry-After seconds after HTTP 429 and delivers the message once', async () => {
  slack.rateLimit('chat.postMessage', 7, 2);
  const delivered = await notifier().notifyOwners(['#devops-channel'], 'after the rate limit');
  assert.is(delivered, 1);
  assert.equal(waits, [7000, 7000]);
  assert.is(slack.requestsOf('chat.postMessage').length, 3);
  assert.equal(slack.messages.map((message) => message.text), ['after the rate limit']);
});

test('gives up on a message after the bounded number of 429 retries and logs it', async () => {
  slack.rateLimit('chat.postMessage', 1, 10);
  const delivered = await notifier().notifyOwners(['#devops-channel'], 'never');
  assert.is(delivered, 0);
  assert.is(slack.requestsOf('chat.postMessage').length, 4);
  const [error] = log.at('error');
  assert.is(error?.fields.error_code, 'ratelimited');
  assert.is(error?.fields.operation, 'chat.postMessage');
});

test('logs ok: false with its error and goes on with the next owner', async () => {
  slack.failWith('chat.postMessage', 'is_archived');
  const delivered = await notifier().notifyOwners(['#devops-channel', 'alice'], 'text');
  assert.is(delivered, 1);
  assert.equal(slack.messages.map((message) => message.channel), ['U001']);
  const [error] = log.at('error');
  assert.is(error?.fields.error_code, 'is_archived');
  assert.is(error?.fields.recipient, '#devops-channel');
});

test('a wrong token is logged as invalid_auth, and the token never appears in the logs', async () => {
  const delivered = await notifier({ token: 'xoxb-wrong-secret-token' }).notifyOwners(['#devops-channel', 'alice'], 'text');
  assert.is(delivered, 0);
  assert.ok(log.at('error').some((entry) => entry.fields.error_code === 'invalid_auth'));
  assert.not.match(log.text(), 'xoxb-wrong-secret-token');
  assert.not.match(log.text(), 'Bearer');
});

test('a Slack that cannot be reached is logged and does not throw', async () => {
  const api = new SlackWebApi({ apiUrl: 'http://127.0.0.1:1/api', token: TOKEN, sleep: async () => {} });
  const delivered = await new SlackNotifier(api, log).notifyOwners(['#devops-channel'], 'text');
  assert.is(delivered, 0);
  assert.is(log.at('error')[0]?.fields.error_code, 'ECONNREFUSED');
  assert.not.match(log.text(), TOKEN);
});

test('the lazily loaded notifier sends nothing until its first message, then is one notifier for all of them', async () => {
  const lazy = lazySlackNotifier({ apiUrl: slack.apiUrl, token: TOKEN, sleep: async (milliseconds) => void waits.push(milliseconds) }, log);
  assert.equal(slack.requestsOf('users.list'), [], 'made without a call');
  assert.is(await lazy.notifyOwners(['bob'], 'first'), 1);
  const listed = slack.requestsOf('users.list').length;
  assert.ok(listed > 0, 'bob found through users.list');
  assert.is(await lazy.notifyOwners(['bob', '#devops-channel'], 'second', { issue: 'x' }), 2);
  assert.is(slack.requestsOf('users.list').length, listed, 'the same user directory: bob is not listed again');
  assert.equal(slack.messages.map((message) => [message.channel, message.text]), [['U002', 'first'], ['U002', 'second'], ['#devops-channel', 'second']]);
});

test('the lazily loaded notifier never throws: a client that fails to load is logged, the message counted as not sent, and the next message loads it again', async () => {
  let attempts = 0;
  const lazy = lazySlackNotifier({ apiUrl: slack.apiUrl, token: TOKEN, sleep: async () => undefined }, log, async () => {
    attempts += 1;
    if (attempts === 1) throw new Error('Cannot find module ./slackNotifier');
    return import('../../../reporting/slack/slackNotifier.ts');
  });
  assert.is(await lazy.notifyOwners(['bob'], 'lost', { issue: 'x' }), 0);
  const failure = log.entries.find((entry) => entry.message.startsWith('could not load the Slack client'));
  assert.ok(failure, 'one error logged');
  assert.is(failure?.level, 'error');
  assert.is(failure?.fields.operation, 'LoadSlackClient');
  assert.is(failure?.fields.issue, 'x');
  assert.is(await lazy.notifyOwners(['bob'], 'delivered'), 1, 'loaded again on the next message');
  assert.is(attempts, 2);
  assert.equal(slack.messages.map((message) => message.text), ['delivered']);
});

test.run();
