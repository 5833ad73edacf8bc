// The reporting flow's own logic at unit level: runs that stop halfway, races
// with identification, temporary whitelist, accounts without a project, and the
// like, with an in-memory tracker whose failures are injected per operation.
// What a run does against JIRA and Slack themselves (tickets, comments,
// closing, Cloud, OAuth, failures, rate limits) is tested end to end with the
// real JIRA client in test/integration/reportingEndToEnd.test.ts.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pythonIsoTimestamp } from '../../../library/runtime/clock.ts';
import type { CloudTrailIssueItem } from '../../../library/issues/cloudTrailIssue.ts';
import { IssueStore, type IssueChange } from '../../../library/issues/issueStore.ts';
import { credentialsTableReader, type CredentialsReader } from '../../../reporting/credentialsTable.ts';
import { runReporting, type ReportingDeps } from '../../../reporting/reportingRun.ts';
import { SlackNotifier } from '../../../reporting/slack/slackNotifier.ts';
import { SlackWebApi } from '../../../reporting/slack/slackWebApi.ts';
import type { TicketTracker } from '../../../reporting/ticketTracker.ts';
import { startDynalite, type LocalDynamo } from '../../fakes/dynalite.ts';
import { startFakeSlack, type FakeSlack } from '../../fakes/fakeSlackServer.ts';
import { MemoryTicketTracker } from '../../helpers/memoryTicketTracker.ts';
import { RecordingLog } from '../../helpers/recordingLog.ts';
import {
  JIRA_PASSWORD,
  JIRA_SERVER,
  S3_ERROR_TRAIL,
  SLACK_TOKEN,
  SLAVE1,
  SLAVE2,
  STOPPED_TRAIL,
  TestClock,
  disabledIssue,
  putIssue,
  setUpReporting,
  type ReportingSetup,
  type ReportingSetupOptions,
} from '../../helpers/reportingFixtures.ts';

const test = suite('reportingRun');

const IDENTIFIED = '2026-11-26T14:15:03.250000+00:00';
const RUN1 = '2026-11-26T14:55:00.500Z';
const RUN2 = '2026-11-26T15:55:00.500Z';
const RUN3 = '2026-11-26T16:55:00.500Z';
const iso = (date: string): string => pythonIsoTimestamp(new Date(date));

const DISABLED_SUMMARY = "Disabled CloudTrail in 'slave1 / 210987654321 / eu-west-1'";
/** The lifecycle label of the issue identified at IDENTIFIED, and the creation mark a run at RUN1 writes. */
const LABEL = 'hammer-cloudtrails-210987654321-eu-west-1-20261126T1415032500000000';
const MARK_RUN1 = { ticket_label: LABEL, ticket_creation_started: iso(RUN1) };

let dynamo: LocalDynamo;
let slack: FakeSlack;
let log: RecordingLog;
let clock: TestClock;
let tracker: MemoryTicketTracker;
let credentialReads: string[];

test.before(async () => {
  dynamo = await startDynalite();
});

test.after(async () => {
  await dynamo.stop();
});

test.before.each(async () => {
  slack = await startFakeSlack({
    token: SLACK_TOKEN,
    users: [
      { id: 'U0ALICE', name: 'alice', email: 'alice@example.com' },
      { id: 'U0BOB', name: 'bob', email: 'bob@example.com' },
    ],
    channels: ['#devops-channel'],
  });
  log = new RecordingLog();
  clock = new TestClock(new Date(RUN1));
  tracker = new MemoryTicketTracker(JIRA_SERVER);
  credentialReads = [];
});

test.after.each(async () => {
  await slack.stop();
});

interface Harness {
  setup: ReportingSetup;
  store: IssueStore;
  deps: ReportingDeps;
  item(region?: string, account?: string): Promise<Record<string, unknown> | undefined>;
}

async function harness(options: Partial<ReportingSetupOptions> = {}): Promise<Harness> {
  const setup = await setUpReporting(dynamo, { slackApiUrl: slack.apiUrl, whitelistingProcedureUrl: 'https://wiki.example.com/whitelisting', ...options });
  const store = new IssueStore(dynamo.doc, setup.issuesTable, clock.now, log);
  const reader = credentialsTableReader(dynamo.doc, setup.credentialsTable);
  const readCredentials: CredentialsReader = async (service) => {
    credentialReads.push(service);
    return reader(service);
  };
  const deps: ReportingDeps = {
    config: setup.config,
    store,
    log,
    readCredentials,
    createTracker: () => tracker,
    createNotifier: ({ slack: slackConfig, token, log: notifierLog }) =>
      new SlackNotifier(new SlackWebApi({ apiUrl: slackConfig.apiUrl, token, sleep: async () => undefined }), notifierLog),
  };
  return {
    setup,
    store,
    deps,
    item: async (region = 'eu-west-1', account = SLAVE1) =>
      (await dynamo.doc.send(new GetCommand({ TableName: setup.issuesTable, Key: { account_id: account, issue_id: region } }))).Item,
  };
}

/** Runs reporting at `at`; after every run, no secret may have reached a log line (asserted here, not in after.each, where uvu hides the failure). */
async function runAt(h: Harness, at: string) {
  clock.set(at);
  const summary = await runReporting(h.deps);
  assert.not.match(log.text(), SLACK_TOKEN);
  assert.not.match(log.text(), JIRA_PASSWORD);
  return summary;
}

function slackTexts(): string[] {
  return slack.messages.map((message) => `${message.channel}: ${message.text}`);
}

test('a ticket already closed in JIRA is left alone, and the issue is still closed and told', async () => {
  const h = await harness();
  await tracker.createTicket({ project: 'AWSSEC', summary: DISABLED_SUMMARY, description: '', issueType: 'Task', priority: 'Major', labels: [] });
  await tracker.closeTicket('AWSSEC-1', 'closed by a responder');
  await putIssue(dynamo.doc, h.setup.issuesTable, disabledIssue(IDENTIFIED, {
    status: 'resolved',
    timestamps: { identified: IDENTIFIED, updated: IDENTIFIED, reported: iso(RUN1), remediated: null, closed: null, resolved: iso(RUN1) },
    jira_details: { ticket: 'AWSSEC-1', ticket_assignee_id: 'Support-General' },
  }));

  await runAt(h, RUN2);

  assert.equal(tracker.ticket('AWSSEC-1').comments, ['closed by a responder']);
  assert.is(slack.messages.length, 3);
  assert.is(((await h.item()) as unknown as CloudTrailIssueItem).status, 'closed');
});

/** An IssueStore whose writes fail (as DynamoDB would after its retries) while `failing` says so. */
class FlakyStore extends IssueStore {
  failing: (change: IssueChange) => boolean = () => false;
  override async tryUpdate(issue: Pick<CloudTrailIssueItem, 'account_id' | 'issue_id'>, change: IssueChange): Promise<boolean> {
    if (this.failing(change)) throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
    return super.tryUpdate(issue, change);
  }
}

const setsPath = (change: IssueChange, path: string): boolean => change.set.some(([p]) => p.join('.') === path);

test('a run that stops after storing the ticket is finished by the next run without a second ticket', async () => {
  const h = await harness();
  const store = new FlakyStore(dynamo.doc, h.setup.issuesTable, clock.now, log);
  h.deps.store = store;
  await putIssue(dynamo.doc, h.setup.issuesTable, disabledIssue(IDENTIFIED));
  store.failing = (change) => setsPath(change, 'jira_details.ticket_assignee_id');

  const first = await runAt(h, RUN1);

  assert.is(first.outcomes.failed, 1);
  let item = (await h.item()) as unknown as CloudTrailIssueItem;
  assert.equal(item.jira_details, { ...MARK_RUN1, ticket: 'AWSSEC-1' });
  assert.is(item.timestamps.reported, null);
  assert.equal(slack.messages, []);
  assert.is(log.at('error')[0]?.fields.error_code, 'ServiceUnavailable');

  store.failing = () => false;
  const second = await runAt(h, RUN2);

  assert.is(second.outcomes.reported, 1);
  assert.is(tracker.callsOf('createTicket').length, 1);
  assert.is(tracker.callsOf('completeTicket').length, 2);
  item = (await h.item()) as unknown as CloudTrailIssueItem;
  assert.equal(item.jira_details, { ...MARK_RUN1, ticket: 'AWSSEC-1', ticket_assignee_id: 'Support-General' });
  assert.is(item.timestamps.reported, iso(RUN2));
  assert.is(slack.messages.length, 3);
});

test('a run whose reported write fails after the message files no second ticket next run', async () => {
  const h = await harness();
  const store = new FlakyStore(dynamo.doc, h.setup.issuesTable, clock.now, log);
  h.deps.store = store;
  await putIssue(dynamo.doc, h.setup.issuesTable, disabledIssue(IDENTIFIED));
  store.failing = (change) => setsPath(change, 'timestamps.reported');

  await runAt(h, RUN1);
  store.failing = () => false;
  await runAt(h, RUN2);

  assert.is(tracker.tickets.size, 1);
  assert.is(tracker.callsOf('completeTicket').length, 1);
  const item = (await h.item()) as unknown as CloudTrailIssueItem;
  assert.equal(item.jira_details, { ...MARK_RUN1, ticket: 'AWSSEC-1', ticket_assignee_id: 'Support-General' });
  assert.is(item.timestamps.reported, iso(RUN2));
});

test('an issue whose ticket and follow-ups are done but not its report only gets its message and reported', async () => {
  const h = await harness();
  await putIssue(dynamo.doc, h.setup.issuesTable, disabledIssue(IDENTIFIED, { jira_details: { ticket: 'AWSSEC-77', ticket_assignee_id: 'Support-General' } }));

  await runAt(h, RUN1);

  assert.equal(tracker.calls, []);
  assert.ok(slackTexts().includes(`U0BOB: Discovered ${DISABLED_SUMMARY} (${JIRA_SERVER}/browse/AWSSEC-77)`));
  assert.is(((await h.item()) as unknown as CloudTrailIssueItem).timestamps.reported, iso(RUN1));
});

test('a change identification writes while the ticket is being filed is reported by the next run, not lost', async () => {
  const h = await harness();
  const identification = new IssueStore(dynamo.doc, h.setup.issuesTable, clock.now, log);
  const racing: TicketTracker = Object.create(tracker, {
    createTicket: {
      value: async (request: Parameters<TicketTracker['createTicket']>[0]) => {
        const created = await tracker.createTicket(request);
        // Identification finds the trail gone a second later; the report goes on after it.
        clock.set('2026-11-26T14:55:01.000Z');
        await identification.mergeFinding({ account_id: SLAVE1, issue_id: 'eu-west-1', status: 'open', issue_details: { disabled: true, delivery_errors: {}, trails: [] } }, { issueEndpoints: ['s3', 'cloudwatch'] });
        clock.set('2026-11-26T14:55:02.000Z');
        return created;
      },
    },
  }) as TicketTracker;
  h.deps.createTracker = () => racing;
  await putIssue(dynamo.doc, h.setup.issuesTable, disabledIssue(IDENTIFIED));

  await runAt(h, RUN1);

  let item = (await h.item()) as unknown as CloudTrailIssueItem;
  assert.equal(item.issue_details.trails, []);
  assert.equal(item.jira_details, { ...MARK_RUN1, ticket: 'AWSSEC-1', ticket_assignee_id: 'Support-General' });
  assert.is(item.timestamps.updated, '2026-11-26T14:55:01+00:00');
  assert.is(item.timestamps.reported, iso(RUN1));

  const second = await runAt(h, RUN2);
  assert.is(second.outcomes['change-reported'], 1);
  assert.match(tracker.ticket('AWSSEC-1').comments[0] ?? '', '*Trails*: not detected');
  item = (await h.item()) as unknown as CloudTrailIssueItem;
  assert.is(item.timestamps.updated, iso(RUN1));
});

test('a whitelisted issue that was never reported is closed quietly', async () => {
  const h = await harness();
  await putIssue(dynamo.doc, h.setup.issuesTable, disabledIssue(IDENTIFIED, { status: 'whitelisted' }));

  const summary = await runAt(h, RUN1);

  assert.is(summary.outcomes.closed, 1);
  assert.equal(tracker.calls, []);
  assert.equal(slack.requests, []);
  const item = (await h.item()) as unknown as CloudTrailIssueItem;
  assert.is(item.status, 'closed');
  assert.equal(item.timestamps, { identified: IDENTIFIED, updated: IDENTIFIED, reported: null, remediated: null, closed: iso(RUN1) });
});

test('a reported issue entering the temporary whitelist gets one comment and message', async () => {
  const h = await harness({ tempWhitelist: { [SLAVE1]: ['eu-west-1'] } });
  await tracker.createTicket({ project: 'AWSSEC', summary: DISABLED_SUMMARY, description: '', issueType: 'Task', priority: 'Major', labels: [] });
  await putIssue(dynamo.doc, h.setup.issuesTable, disabledIssue(IDENTIFIED, {
    status: 'tempwhitelist',
    timestamps: { identified: IDENTIFIED, updated: IDENTIFIED, reported: iso(RUN1), remediated: null, closed: null },
    jira_details: { ticket: 'AWSSEC-1', ticket_assignee_id: 'Support-General' },
  }));

  await runAt(h, RUN2);
  await runAt(h, RUN3);

  const comment = "CloudTrail logging issue with 'eu-west-1' in 'slave1 / 210987654321' account is added to temporary whitelist.";
  assert.equal(tracker.ticket('AWSSEC-1').comments, [comment]);
  assert.equal(slack.messages.filter((message) => message.channel === 'U0BOB').map((message) => message.text), [`${comment} (${JIRA_SERVER}/browse/AWSSEC-1)`]);
  assert.is(((await h.item()) as unknown as CloudTrailIssueItem).timestamps.temp_whitelisted, iso(RUN2));
});

test('missing Slack token turns Slack off with one warning; JIRA still reports', async () => {
  const h = await harness({ credentials: { slack: null } });
  await putIssue(dynamo.doc, h.setup.issuesTable, disabledIssue(IDENTIFIED));

  const summary = await runAt(h, RUN1);

  assert.is(summary.slack, false);
  assert.equal(slack.requests, []);
  assert.is(tracker.tickets.size, 1);
  assert.is(log.at('warn').length, 1);
  assert.match(log.at('warn')[0]?.message ?? '', 'no Slack token');
});

test('jira.enabled false reports to Slack without asking for JIRA credentials', async () => {
  const h = await harness({ jiraEnabled: false });
  await putIssue(dynamo.doc, h.setup.issuesTable, disabledIssue(IDENTIFIED));

  await runAt(h, RUN1);

  assert.equal(credentialReads, ['slack']);
  assert.equal(log.at('warn'), []);
  assert.is(slack.messages.length, 3);
});

test('an account without a JIRA project is logged and its issue waits; other accounts are reported', async () => {
  const h = await harness({ ticketOwners: { account: { [SLAVE2]: { jira_project: 'OPS' } }, slack_owner: '#devops-channel' } });
  await putIssue(dynamo.doc, h.setup.issuesTable, disabledIssue(IDENTIFIED));
  await putIssue(dynamo.doc, h.setup.issuesTable, disabledIssue(IDENTIFIED, { account_id: SLAVE2 }));

  const summary = await runAt(h, RUN1);

  assert.is(summary.outcomes.reported, 1);
  assert.is(summary.outcomes.failed, 1);
  assert.equal([...tracker.tickets.keys()], ['OPS-1']);
  const [error] = log.at('error');
  assert.equal([error?.fields.account_id, error?.fields.error_code], [SLAVE1, 'NoJiraProject']);
  assert.is(((await h.item()) as unknown as CloudTrailIssueItem).timestamps.reported, null);
});

test('one account whose issues cannot be read does not stop the others', async () => {
  const h = await harness();
  class FailingQueryStore extends IssueStore {
    override async listAccountIssues(accountId: string, filter: { notStatus?: 'closed' } = {}) {
      if (accountId === SLAVE1) throw Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
      return super.listAccountIssues(accountId, filter);
    }
  }
  h.deps.store = new FailingQueryStore(dynamo.doc, h.setup.issuesTable, clock.now, log);
  await putIssue(dynamo.doc, h.setup.issuesTable, disabledIssue(IDENTIFIED, { account_id: SLAVE2 }));

  const summary = await runAt(h, RUN1);

  assert.is(summary.accounts_failed, 1);
  assert.is(summary.outcomes.reported, 1);
  const [error] = log.at('error');
  assert.equal([error?.fields.account_id, error?.fields.operation, error?.fields.error_code], [SLAVE1, 'Query', 'AccessDeniedException']);
});

test("reports an item written by Hammer's Python module (delivery_errors as a boolean)", async () => {
  const h = await harness();
  await putIssue(dynamo.doc, h.setup.issuesTable, {
    account_id: SLAVE1,
    issue_id: 'eu-west-1',
    status: 'open',
    issue_details: { disabled: false, delivery_errors: true, trails: [S3_ERROR_TRAIL] },
    timestamps: { identified: IDENTIFIED, updated: IDENTIFIED, reported: null, remediated: null, closed: null },
    jira_details: {},
  });

  await runAt(h, RUN1);

  const ticket = tracker.ticket('AWSSEC-1');
  assert.is(ticket.request.summary, "CloudTrail logging issues in 'slave1 / 210987654321 / eu-west-1'");
  assert.match(ticket.request.description, '*Status*: Enabled, with logging errors\n\n');
  assert.match(ticket.request.description, '|s3[trail-bucket, AccessDenied]|');
});

test('a ticket whose close fails stays open in the table and is closed by the next run', async () => {
  const h = await harness();
  await tracker.createTicket({ project: 'AWSSEC', summary: DISABLED_SUMMARY, description: '', issueType: 'Task', priority: 'Major', labels: [] });
  await putIssue(dynamo.doc, h.setup.issuesTable, disabledIssue(IDENTIFIED, {
    status: 'whitelisted',
    timestamps: { identified: IDENTIFIED, updated: IDENTIFIED, reported: iso(RUN1), remediated: null, closed: null },
    jira_details: { ticket: 'AWSSEC-1', ticket_assignee_id: 'Support-General' },
  }));
  tracker.failOn('closeTicket', 503);

  await runAt(h, RUN2);
  assert.is(((await h.item()) as unknown as CloudTrailIssueItem).status, 'whitelisted');
  assert.equal(slack.messages, []);

  await runAt(h, RUN3);
  assert.is(((await h.item()) as unknown as CloudTrailIssueItem).status, 'closed');
  assert.equal(tracker.ticket('AWSSEC-1').labels, ['whitelisted']);
  assert.is(slack.messages.length, 3);
});

test('an item without a jira_details map gets one holding its ticket', async () => {
  const h = await harness();
  const { jira_details: _dropped, ...withoutJira } = disabledIssue(IDENTIFIED);
  await putIssue(dynamo.doc, h.setup.issuesTable, withoutJira);
  await putIssue(dynamo.doc, h.setup.issuesTable, { ...withoutJira, issue_id: 'us-east-1', status: 'whitelisted' });

  const summary = await runAt(h, RUN1);

  assert.equal([summary.outcomes.reported, summary.outcomes.closed], [1, 1]);
  assert.equal(((await h.item()) as unknown as CloudTrailIssueItem).jira_details, { ...MARK_RUN1, ticket: 'AWSSEC-1', ticket_assignee_id: 'Support-General' });
  assert.is(((await h.item('us-east-1')) as unknown as CloudTrailIssueItem).status, 'closed');
});

test('trails without an id-sorted order are listed sorted in the ticket', async () => {
  const h = await harness();
  const second = { ...STOPPED_TRAIL, id: `arn:aws:cloudtrail:eu-west-1:${SLAVE1}:trail/b` };
  const first = { ...STOPPED_TRAIL, id: `arn:aws:cloudtrail:eu-west-1:${SLAVE1}:trail/a` };
  await putIssue(dynamo.doc, h.setup.issuesTable, disabledIssue(IDENTIFIED, { issue_details: { disabled: true, delivery_errors: {}, trails: [second, first] } }));

  await runAt(h, RUN1);

  const rows = tracker.ticket('AWSSEC-1').request.description.split('\n').filter((line) => line.startsWith('|arn:'));
  assert.equal(rows.map((row) => row.split('|')[1]), [first.id, second.id]);
});

test('a region disabled by trails that log but record no write management events is reported with why, in JIRA and Slack', async () => {
  const h = await harness();
  const blind = { ...S3_ERROR_TRAIL, errors: {}, selectors: 'Advanced: Management(Read)', coverage_note: 'logging, but records no write management events' };
  await putIssue(dynamo.doc, h.setup.issuesTable, disabledIssue(IDENTIFIED, { issue_details: { disabled: true, delivery_errors: {}, trails: [blind] } }));

  await runAt(h, RUN1);

  const ticket = tracker.ticket('AWSSEC-1');
  assert.is(ticket.request.summary, DISABLED_SUMMARY);
  assert.match(ticket.request.description, `*Why disabled*:\n* ${blind.id} (selectors: Advanced: Management(Read)): logging, but records no write management events\n`);
  const discovered = slack.messages.map((message) => message.text).filter((text) => text.startsWith('Discovered'));
  assert.ok(discovered.length > 0);
  for (const text of discovered) {
    assert.is(text, `Discovered ${DISABLED_SUMMARY}: ${blind.id} [Advanced: Management(Read)] logging, but records no write management events (${JIRA_SERVER}/browse/AWSSEC-1)`);
  }
});

test('basic selectors that exclude management events are named as basic selectors, not shown as a bare "All", in JIRA and Slack', async () => {
  const h = await harness();
  // Stored as Hammer stores basic selectors: their ReadWriteType, "All" although IncludeManagementEvents is false.
  const dataOnly = { ...S3_ERROR_TRAIL, errors: {}, selectors: 'All', coverage_note: 'logging, but records no write management events' };
  await putIssue(dynamo.doc, h.setup.issuesTable, disabledIssue(IDENTIFIED, { issue_details: { disabled: true, delivery_errors: {}, trails: [dataOnly] } }));

  await runAt(h, RUN1);

  assert.match(tracker.ticket('AWSSEC-1').request.description, `*Why disabled*:\n* ${dataOnly.id} (selectors: basic selectors, ReadWriteType All): logging, but records no write management events\n`);
  const discovered = slack.messages.map((message) => message.text).filter((text) => text.startsWith('Discovered'));
  assert.ok(discovered.length > 0);
  for (const text of discovered) assert.ok(text.includes(`${dataOnly.id} [basic selectors, ReadWriteType All] logging, but records no write management events`), text);
});

test.run();
