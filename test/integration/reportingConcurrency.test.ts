/**
 * Reporting many issues at once, end to end through the production wiring
 * (dynalite, the fake JIRA answering after a latency and counting the
 * requests in progress per project, the fake Slack enforcing Slack's
 * per-channel limit on a virtual clock the notifier's pacing shares): the
 * limits of cloudtrails.reporting_concurrency and jira.project_concurrency
 * hold, no issue gets two tickets, Slack never answers 429, and the time
 * budget starts no issue under its reserve while the ones running finish.
 * Counts are asserted, never durations.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CloudTrailIssueItem } from '../../library/issues/cloudTrailIssue.ts';
import { pythonIsoTimestamp } from '../../library/runtime/clock.ts';
import { SlackNotifier } from '../../reporting/slack/slackNotifier.ts';
import type { TicketTracker } from '../../reporting/ticketTracker.ts';
import { startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';
import { BOB } from '../fakes/fakeJiraFixtures.ts';
import { SLACK_POST_MESSAGE_LIMIT } from '../fakes/fakeSlackServer.ts';
import type { RecordingLog } from '../helpers/recordingLog.ts';
import { MASTER, SLAVE1, SLAVE2, disabledIssue, putIssue } from '../helpers/reportingFixtures.ts';
import { ReportingWorlds, type World, type WorldOptions } from '../helpers/reportingWorld.ts';
import { VirtualTime } from '../helpers/virtualTime.ts';

const test = suite('reportingConcurrency');

const IDENTIFIED = '2026-11-26T14:15:03.250000+00:00';
const RUN1 = '2026-11-26T15:55:00.500Z';
const RUN2 = '2026-11-26T16:55:00.500Z';
const API = '/rest/api/2';
const ACCOUNTS = [MASTER, SLAVE1, SLAVE2];
const REGIONS = ['eu-west-1', 'eu-west-2', 'eu-west-3', 'us-east-1'];

/** MASTER files in CLOUDSEC, the slaves in AWSSEC; everyone's issues go to #devops-channel, SLAVE1's also to alice, SLAVE2's to bob. */
const OWNERS = {
  account: {
    [MASTER]: { jira_project: 'CLOUDSEC' },
    [SLAVE1]: { slack_owner: 'alice' },
    [SLAVE2]: { slack_owner: 'bob' },
  },
  jira_project: 'AWSSEC',
  jira_owner: BOB.name,
  jira_parent_ticket: 'AWSSEC-1',
  slack_owner: '#devops-channel',
};

let dynamo: LocalDynamo;
let worlds: ReportingWorlds;
let log: RecordingLog;
let time: VirtualTime;

test.before(async () => {
  dynamo = await startDynalite();
  worlds = new ReportingWorlds(dynamo);
});

test.after(async () => {
  await dynamo.stop();
});

test.before.each(() => {
  worlds.reset(RUN1);
  ({ log } = worlds);
  time = new VirtualTime();
});

test.after.each(async () => {
  await worlds.stopAll();
});

/**
 * A world of 3 accounts whose fake JIRA answers after 30 ms, and whose fake
 * Slack enforces Slack's limit on the virtual clock the notifier paces with.
 */
async function world(options: { concurrency?: number; projectConcurrency?: number; extra?: WorldOptions } = {}): Promise<World> {
  const w = await worlds.start({
    fakeJira: { latencyMs: 30 },
    fakeSlack: { postMessageLimit: SLACK_POST_MESSAGE_LIMIT, clock: time.now },
    jiraConfig: { project_concurrency: options.projectConcurrency ?? 3 },
    setup: { ticketOwners: OWNERS, cloudtrails: { reporting_concurrency: options.concurrency ?? 6 } },
    ...options.extra,
  });
  w.deps.createNotifier = ({ slack, token, log: notifierLog }) => SlackNotifier.create({ apiUrl: slack.apiUrl, token, sleep: time.sleep, pacing: { now: time.now } }, notifierLog);
  return w;
}

async function putIssues(w: World, accounts = ACCOUNTS, regions = REGIONS): Promise<void> {
  for (const account of accounts) {
    for (const region of regions) await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED, { account_id: account, issue_id: region }));
  }
}

async function items(w: World): Promise<CloudTrailIssueItem[]> {
  return (await Promise.all(ACCOUNTS.map((account) => w.identification.listAccountIssues(account)))).flat();
}

/** No JIRA issue carries a lifecycle label another one carries: one ticket per issue lifecycle. */
function assertNoDuplicateTickets(w: World): void {
  const labels = w.jira.issues().flatMap((issue) => issue.labels.filter((label) => label.startsWith('hammer-cloudtrails-')));
  assert.is(new Set(labels).size, labels.length, 'a lifecycle label on two tickets');
}

test('12 issues: at most reporting_concurrency at once, at most project_concurrency per JIRA project, one ticket each, no Slack 429', async () => {
  const w = await world({ concurrency: 4, projectConcurrency: 2 });
  await putIssues(w);

  const summary = await w.run(RUN1);

  assert.equal([summary.issues, summary.outcomes.reported, summary.outcomes.failed], [12, 12, 0]);
  // Each issue has one JIRA request in progress at a time, so these bound the issues in progress.
  assert.ok(w.jira.maxConcurrentRequests <= 4, `${w.jira.maxConcurrentRequests} JIRA requests at once`);
  assert.ok((w.jira.maxConcurrentByProject.get('AWSSEC') ?? 0) <= 2, `AWSSEC: ${w.jira.maxConcurrentByProject.get('AWSSEC')}`);
  assert.ok((w.jira.maxConcurrentByProject.get('CLOUDSEC') ?? 0) <= 2, `CLOUDSEC: ${w.jira.maxConcurrentByProject.get('CLOUDSEC')}`);
  assert.ok(w.jira.maxConcurrentRequests > 1, 'issues were reported concurrently');

  assert.is(w.jira.requestsTo('POST', `${API}/issue`).length, 12);
  assertNoDuplicateTickets(w);
  const stored = await items(w);
  assert.is(new Set(stored.map((item) => item.jira_details.ticket)).size, 12, 'a ticket of its own for every issue');
  assert.ok(stored.every((item) => item.timestamps.reported === pythonIsoTimestamp(new Date(RUN1))));
  assert.equal(w.jira.issues().filter((issue) => issue.project === 'CLOUDSEC').length, 4);

  assert.equal(w.slack.throttled, [], 'paced under Slack\'s per-channel limit');
  assert.is(w.slack.messages.filter((message) => message.channel === '#devops-channel').length, 12);
  assert.is(w.slack.messages.filter((message) => message.channel === 'U0ALICE').length, 4);
  assert.is(w.slack.messages.filter((message) => message.channel === 'U0BOB').length, 4);
  assert.is(new Set(w.slack.messages.map((message) => `${message.channel} ${message.text}`)).size, 20, 'no message twice');

  const again = await w.run(RUN2);
  assert.equal([again.outcomes.unchanged, w.jira.requestsTo('POST', `${API}/issue`).length], [12, 12]);
});

test('reporting_concurrency 1 reports one issue at a time, as Hammer did', async () => {
  const w = await world({ concurrency: 1 });
  await putIssues(w, [SLAVE1, SLAVE2], REGIONS.slice(0, 3));
  const summary = await w.run(RUN1);
  assert.is(summary.outcomes.reported, 6);
  assert.is(w.jira.maxConcurrentRequests, 1);
});

test('creates whose replies are lost while others run concurrently lead to no second ticket: the next run adopts them', async () => {
  const w = await world();
  await putIssues(w);
  // JIRA creates the ticket, and the reply never arrives, for three of the creates.
  w.jira.failOn({ method: 'POST', path: `${API}/issue`, status: 201, reply: 'drop', afterEffect: true, times: 3 });

  const first = await w.run(RUN1);
  assert.equal([first.outcomes.reported, first.outcomes.failed], [9, 3]);
  assert.is(w.jira.issues().length, 13, 'the parent and 12 tickets: JIRA made the three it never answered');

  const second = await w.run(RUN2);
  assert.equal([second.outcomes.reported, second.outcomes.unchanged], [3, 9]);
  assert.is(w.jira.requestsTo('POST', `${API}/issue`).length, 12, 'no create repeated: the three were found by their labels');
  assertNoDuplicateTickets(w);
  const stored = await items(w);
  assert.is(new Set(stored.map((item) => item.jira_details.ticket)).size, 12);
  assert.ok(stored.every((item) => typeof item.timestamps.reported === 'string'));
});

test('under the time budget\'s reserve no issue starts; the ones running finish, and the next run reports the rest', async () => {
  const w = await world({ concurrency: 3, projectConcurrency: 3 });
  await putIssues(w, [SLAVE1, SLAVE2], REGIONS);
  let remaining = 200_000;
  const budget = { remainingMs: () => remaining, reserveMs: 120_000 };
  const remainingAtCreate: number[] = [];
  const createTracker = w.deps.createTracker;
  w.deps.createTracker = async (input) => {
    const real = await createTracker(input);
    // Each ticket takes 30 s of the run's time.
    return Object.create(real, {
      createTicket: {
        value: async (request: Parameters<TicketTracker['createTicket']>[0]) => {
          remainingAtCreate.push(remaining);
          remaining -= 30_000;
          return real.createTicket(request);
        },
      },
    }) as TicketTracker;
  };

  const first = await w.run(RUN1, { budget });

  // Three started with 200 s left; by the time one finished, 110 s were left: no fourth.
  assert.equal([first.issues, first.outcomes.reported, first.outcomes.failed, first.deferred], [3, 3, 0, 5]);
  assert.equal([...remainingAtCreate].sort((a, b) => b - a), [200_000, 170_000, 140_000]);
  const warning = log.at('warn').find((entry) => entry.fields.error_code === 'TimeBudget');
  assert.equal([warning?.fields.issues_left, warning?.fields.issues_not_started, warning?.fields.remaining_ms], [5, 5, 110_000]);
  assert.is((await items(w)).filter((item) => item.timestamps.reported !== null).length, 3);

  remaining = 900_000;
  const second = await w.run(RUN2, { budget });
  assert.equal([second.issues, second.outcomes.reported, second.outcomes.unchanged, second.deferred], [8, 5, 3, 0]);
  assert.is(w.jira.requestsTo('POST', `${API}/issue`).length, 8);
  assertNoDuplicateTickets(w);
});

test('the first issue always starts, even with no time left, so every run makes progress', async () => {
  const w = await world({ concurrency: 4 });
  await putIssues(w, [SLAVE1], REGIONS.slice(0, 3));
  const summary = await w.run(RUN1, { budget: { remainingMs: () => 1_000, reserveMs: 120_000 } });
  assert.equal([summary.issues, summary.outcomes.reported, summary.deferred], [1, 1, 2]);
});

test.run();
