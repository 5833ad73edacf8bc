/**
 * Reporting reads the same checked accounts as identification: with
 * aws.organization, an issue of an account known only to the organisation is
 * reported under the organisation's name for it.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { IssueStore } from '../../../library/issues/issueStore.ts';
import { pythonIsoTimestamp } from '../../../library/runtime/clock.ts';
import type { CheckedAccountsSource } from '../../../library/scan/checkedAccounts.ts';
import { credentialsTableReader } from '../../../reporting/credentialsTable.ts';
import { runReporting, type ReportingDeps } from '../../../reporting/reportingRun.ts';
import { SlackNotifier } from '../../../reporting/slack/slackNotifier.ts';
import { SlackWebApi } from '../../../reporting/slack/slackWebApi.ts';
import { startDynalite, type LocalDynamo } from '../../fakes/dynalite.ts';
import { startFakeSlack, type FakeSlack } from '../../fakes/fakeSlackServer.ts';
import { MemoryTicketTracker } from '../../helpers/memoryTicketTracker.ts';
import { RecordingLog } from '../../helpers/recordingLog.ts';
import { disabledIssue, JIRA_SERVER, putIssue, setUpReporting, SLACK_TOKEN, TestClock } from '../../helpers/reportingFixtures.ts';

const test = suite('reporting with the accounts of the organisation');

const ORG_ONLY = '400000000001';
const IDENTIFIED = pythonIsoTimestamp(new Date('2026-11-26T14:15:03.250Z'));

let dynamo: LocalDynamo;
let slack: FakeSlack;

test.before(async () => {
  dynamo = await startDynalite();
  slack = await startFakeSlack({ token: SLACK_TOKEN, channels: ['#devops-channel'], users: [{ id: 'U0BOB', name: 'bob' }] });
});

test.after(async () => {
  await slack.stop();
  await dynamo.stop();
});

test('an issue of an account found only in the organisation is reported under its organisation name, once per run', async () => {
  const setup = await setUpReporting(dynamo, { slackApiUrl: slack.apiUrl, jiraEnabled: true });
  const log = new RecordingLog();
  const clock = new TestClock(new Date('2026-11-26T14:55:00.500Z'));
  const tracker = new MemoryTicketTracker(JIRA_SERVER);
  await putIssue(dynamo.doc, setup.issuesTable, disabledIssue(IDENTIFIED, { account_id: ORG_ONLY }));
  let reads = 0;
  const checkedAccounts: CheckedAccountsSource = {
    current: async () => {
      reads += 1;
      return { accounts: { ...setup.config.cloudtrails.accounts, [ORG_ONLY]: 'member-0001' }, source: 'organization' };
    },
    lookup: async () => ({ checked: true, name: 'member-0001' }),
  };
  const deps: ReportingDeps = {
    config: setup.config,
    store: new IssueStore(dynamo.doc, setup.issuesTable, clock.now, log),
    log,
    readCredentials: credentialsTableReader(dynamo.doc, setup.credentialsTable),
    createTracker: () => tracker,
    createNotifier: ({ slack: slackConfig, token, log: notifierLog }) => new SlackNotifier(new SlackWebApi({ apiUrl: slackConfig.apiUrl, token, sleep: async () => undefined }), notifierLog),
    checkedAccounts,
  };
  const summary = await runReporting(deps);
  assert.is(reads, 1, 'read once per run');
  assert.is(summary.accounts, 4);
  assert.is(summary.outcomes.reported, 1);
  const tickets = [...tracker.tickets.values()];
  assert.equal(tickets.map((ticket) => ticket.request.summary), [`Disabled CloudTrail in 'member-0001 / ${ORG_ONLY} / eu-west-1'`]);
  const item = (await dynamo.doc.send(new GetCommand({ TableName: setup.issuesTable, Key: { account_id: ORG_ONLY, issue_id: 'eu-west-1' } }))).Item;
  assert.is((item?.jira_details as { ticket?: string }).ticket, tickets[0]?.key);

  // Without the source, the same run reads config.json's accounts and never sees the account.
  const { checkedAccounts: _unused, ...withoutOrganization } = deps;
  const plain = await runReporting(withoutOrganization);
  assert.is(plain.accounts, 3);
});

test.run();
