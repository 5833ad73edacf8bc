/**
 * Migration day, end to end, as an operator switching from the Python module
 * lives it, with the BUILT zips (describe_cloudtrails and
 * create_cloudtrail_tickets run as Lambda runs them) against the AWS wire
 * fake, dynalite, the fake JIRA and the fake Slack:
 *
 * 1. the table holds items exactly as the Python module wrote and reported
 *    them (no tickets: its JIRA creation was commented out);
 * 2. our scan finds the same issues (plus the digest error AWS sets beside
 *    an S3 delivery error): nothing is rewritten;
 * 3. our report with JIRA on but no JIRA credentials yet: the invocation
 *    fails, nothing is marked, nothing is sent;
 * 4. the operator stores the credentials with `npm run credentials`;
 * 5. our report files one ticket per open issue, with no "Discovered" again
 *    and no "changed" message;
 * 6. the next report and the next scan change nothing.
 */
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCredentialsCommand } from '../../reporting/ddb_inject_credentials.ts';
import { snsEventFor, startAwsWireFake, type AwsWireFake, type FakeAwsState } from '../fakes/awsWireFake.ts';
import { startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';
import { BOB, BOT, PROJECTS, SECRETS, USERS, fakeCredentials } from '../fakes/fakeJiraFixtures.ts';
import { SERVER_DEFAULT_PRIORITIES, startFakeJira, type FakeJira } from '../fakes/fakeJiraServer.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/fakeSlackServer.ts';
import { buildAndUnpack, invokeBuiltHandler, writeLambdaRunner, type BuiltLambda, type InvocationOutcome } from '../helpers/builtLambdas.ts';
import { SLACK_TOKEN, SLAVE1, setUpReporting, type ReportingSetup } from '../helpers/reportingFixtures.ts';
import { SLACK_USERS, ticketOwners } from '../helpers/reportingWorld.ts';

type Item = Record<string, unknown>;

const MASTER = '123456789012';
const ROLE = 'hammer-cloudsec-crossact-id';
const TOPIC = `arn:aws:sns:eu-west-1:${MASTER}:hammer-describe-cloudtrails-lambda`;
const DESCRIBE_ARN = `arn:aws:lambda:eu-west-1:${MASTER}:function:hammer-describe-cloudtrails`;
const REPORTING_ARN = `arn:aws:lambda:eu-west-1:${MASTER}:function:hammer-reporting-cloudtrails`;
const LAMBDA_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'ASIAQMASTERLAMBDA002', AWS_SECRET_ACCESS_KEY: 'bWlncmF0aW9uLWRheS1sYW1iZGEtc2VjcmV0', AWS_SESSION_TOKEN: 'IQoJmigrationdaylambdatoken' };
const MAIN = `arn:aws:cloudtrail:eu-west-1:${SLAVE1}:trail/main`;
const EAST = `arn:aws:cloudtrail:us-east-1:${SLAVE1}:trail/east`;
const CENTRAL = `arn:aws:cloudtrail:eu-central-1:${SLAVE1}:trail/central`;

/** Timestamps the Python module wrote (microseconds, +00:00). */
const IDENTIFIED = '2026-11-20T08:15:00.512345+00:00';
const REPORTED = '2026-11-20T08:55:03.250001+00:00';

function world(): FakeAwsState {
  return {
    callerAccountId: MASTER,
    topics: [TOPIC],
    accounts: {
      [MASTER]: { regions: ['eu-west-1', 'us-east-1', 'eu-central-1'] },
      [SLAVE1]: {
        regions: ['eu-west-1', 'us-east-1', 'eu-central-1'],
        roles: [ROLE],
        trails: [
          {
            // Log file validation on (the console's default): AWS sets the digest error beside the S3 one.
            trail: { Name: 'main', HomeRegion: 'eu-west-1', IsMultiRegionTrail: false, S3BucketName: 'slave1-main-logs', LogFileValidationEnabled: true },
            status: { IsLogging: true, LatestDeliveryError: 'AccessDenied', LatestDigestDeliveryError: 'AccessDenied', StartLoggingTime: new Date('2026-01-02T03:04:05.000Z') },
          },
          { trail: { Name: 'east', HomeRegion: 'us-east-1', IsMultiRegionTrail: false, S3BucketName: 'slave1-east-logs' }, status: { IsLogging: false } },
          { trail: { Name: 'central', HomeRegion: 'eu-central-1', IsMultiRegionTrail: false, S3BucketName: 'slave1-central-logs' }, status: { IsLogging: true, LatestDeliveryTime: new Date('2026-11-26T15:50:12.000Z') } },
        ],
      },
    },
  };
}

/** The items exactly as the Python module wrote them (describe_cloudtrails.py, then create_cloudtrail_tickets.py's set_status_reported / set_status_closed). */
const PYTHON_ITEMS: Item[] = [
  {
    account_id: SLAVE1,
    issue_id: 'eu-central-1',
    issue_details: { trails: [{ id: CENTRAL, enabled: false, multi_region: false, selectors: 'All', errors: {} }], disabled: true, delivery_errors: false },
    status: 'closed',
    timestamps: { identified: '2026-10-01T08:15:00.100001+00:00', updated: '2026-10-01T08:15:00.100001+00:00', reported: '2026-10-01T08:55:00.200002+00:00', remediated: null, closed: '2026-10-02T08:55:00.300003+00:00', resolved: '2026-10-02T08:15:00.400004+00:00' },
    jira_details: {},
  },
  {
    account_id: SLAVE1,
    issue_id: 'eu-west-1',
    issue_details: { trails: [{ id: MAIN, enabled: true, multi_region: false, selectors: 'All', errors: { s3: { resource: 'slave1-main-logs', error: 'AccessDenied' } } }], disabled: false, delivery_errors: true },
    status: 'open',
    timestamps: { identified: IDENTIFIED, updated: IDENTIFIED, reported: REPORTED, remediated: null, closed: null },
    jira_details: {},
  },
  {
    account_id: SLAVE1,
    issue_id: 'us-east-1',
    issue_details: { trails: [{ id: EAST, enabled: false, multi_region: false, selectors: 'All', errors: {} }], disabled: true, delivery_errors: false },
    status: 'open',
    timestamps: { identified: IDENTIFIED, updated: IDENTIFIED, reported: REPORTED, remediated: null, closed: null },
    jira_details: {},
  },
];

const LABEL = (region: string) => `hammer-cloudtrails-${SLAVE1}-${region}-20261120T0815005123450000`;

let work: string;
let lambdas: Record<string, BuiltLambda>;
let runner: string;
let dynamo: LocalDynamo;
let aws: AwsWireFake;
let jira: FakeJira;
let slack: FakeSlack;
let setup: ReportingSetup;

const test = suite('migration day');

test.before(async () => {
  work = mkdtempSync(join(tmpdir(), 'hammer-migration-'));
  [dynamo, aws, jira, slack] = await Promise.all([
    startDynalite(),
    startAwsWireFake(world()),
    startFakeJira({ flavour: 'server', users: USERS, projects: PROJECTS, credentials: fakeCredentials(), priorities: SERVER_DEFAULT_PRIORITIES }),
    startFakeSlack({ token: SLACK_TOKEN, users: SLACK_USERS, channels: ['#devops-channel'] }),
  ]);
  jira.addIssue({ project: 'AWSSEC', summary: 'CloudTrail logging issues' });
  // JIRA on in config.json, the Slack token stored, the JIRA credentials not yet.
  setup = await setUpReporting(dynamo, {
    slackApiUrl: slack.apiUrl,
    keepConfigFolder: true,
    credentials: { jira: null },
    jira: { server: jira.url, deployment: 'auto' },
    ticketOwners: ticketOwners(BOB.name),
    whitelistingProcedureUrl: 'https://wiki.example.com/whitelisting',
  });
  lambdas = await buildAndUnpack({ names: ['describe_cloudtrails', 'create_cloudtrail_tickets'], configDir: setup.configDir, work });
  runner = writeLambdaRunner(work);
  for (const item of PYTHON_ITEMS) await dynamo.doc.send(new PutCommand({ TableName: setup.issuesTable, Item: item }));
});

test.after(async () => {
  await aws?.stop();
  await jira?.stop();
  await slack?.stop();
  await dynamo?.stop();
  setup?.removeConfigFolder();
  if (work) rmSync(work, { recursive: true, force: true });
});

function env(): Record<string, string> {
  return { ...LAMBDA_CREDENTIALS, ...aws.endpointEnv, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint };
}

async function tableItems(): Promise<Item[]> {
  const page = await dynamo.doc.send(new ScanCommand({ TableName: setup.issuesTable, ConsistentRead: true }));
  return (page.Items ?? []).sort((a, b) => String(a.issue_id).localeCompare(String(b.issue_id)));
}

let invocations = 0;

async function scan(): Promise<InvocationOutcome> {
  invocations += 1;
  const message = { account_id: SLAVE1, account_name: 'slave1', regions: ['eu-west-1', 'us-east-1', 'eu-central-1'], sns_arn: TOPIC };
  const published = { topicArn: TOPIC, messageId: `m-${invocations}`, message: JSON.stringify(message), messageAttributes: {}, via: 'Publish' as const, accountId: MASTER, region: 'eu-west-1', publishedAt: new Date() };
  return invokeBuiltHandler({ runner, lambda: lambdas.describe_cloudtrails as BuiltLambda, event: snsEventFor(published), functionArn: DESCRIBE_ARN, requestId: `0000000${invocations}-migr-4000-8000-000000000000`, env: env() });
}

async function report(): Promise<InvocationOutcome> {
  invocations += 1;
  const event = { version: '0', id: `e-${invocations}`, 'detail-type': 'Scheduled Event', source: 'aws.events', account: MASTER, time: '2026-11-26T16:55:00Z', region: 'eu-west-1', resources: [], detail: {} };
  return invokeBuiltHandler({ runner, lambda: lambdas.create_cloudtrail_tickets as BuiltLambda, event, functionArn: REPORTING_ARN, requestId: `0000000${invocations}-migr-4000-8000-000000000000`, timeoutMs: 900_000, env: env() });
}

test('our first scan finds the Python module\'s issues again, the digest error included, and rewrites nothing', async () => {
  const run = await scan();
  assert.equal(run.outcome?.ok, true, `${run.stdout}\n${run.stderr}`);
  assert.equal(await tableItems(), PYTHON_ITEMS);
  const outcomes = run.logs.filter((line) => line.message === 'CloudTrail issue found').map((line) => [line.region, line.outcome]);
  assert.equal(outcomes.sort(), [['eu-west-1', 'unchanged'], ['us-east-1', 'unchanged']]);
  assert.equal(aws.callsTo('cloudtrail', 'GetTrailStatus').length, 3, 'the trails were really read');
});

test('our first report with JIRA on but no JIRA credentials fails, marks nothing and sends nothing', async () => {
  const run = await report();
  assert.equal(run.outcome?.ok, false);
  assert.equal(run.outcome?.error?.name, 'ReportingSetupError');
  const errors = run.logs.filter((line) => line.level === 'ERROR');
  assert.equal(errors.map((line) => line.error_code), ['CredentialsMissing']);
  assert.match(String(errors[0]?.error_message), 'npm run credentials');
  assert.equal(await tableItems(), PYTHON_ITEMS);
  assert.equal(jira.requests, []);
  assert.equal(slack.requests, []);
});

test('after the credentials are stored, the report files one ticket per open issue, with no "Discovered" again and no "changed" message', async () => {
  const printed: string[] = [];
  const stored = await runCredentialsCommand(['--config', setup.configDir, '--jira-username', BOT.emailAddress ?? BOT.name, '--jira-password', SECRETS.basicPassword], { doc: dynamo.doc, print: (line) => printed.push(line) });
  assert.is(stored, 0);
  assert.not.match(printed.join('\n'), SECRETS.basicPassword);

  const run = await report();

  assert.equal(run.outcome?.ok, true, `${run.stdout}\n${run.stderr}`);
  const summary = run.outcome?.result as { outcomes: Record<string, number> };
  assert.equal([summary.outcomes['ticket-filed'], summary.outcomes.reported, summary.outcomes['change-reported'], summary.outcomes.failed], [2, 0, 0, 0]);
  assert.equal(jira.requestsTo('POST', '/rest/api/2/issue').length, 2);
  assert.equal(jira.requestsTo('POST', /\/comment$/), []);
  const tickets = { 'eu-west-1': jira.issue('AWSSEC-2'), 'us-east-1': jira.issue('AWSSEC-3') };
  assert.equal(tickets['eu-west-1']?.summary, "CloudTrail logging issues in 'slave1 / 210987654321 / eu-west-1'");
  assert.equal(tickets['us-east-1']?.summary, "Disabled CloudTrail in 'slave1 / 210987654321 / us-east-1'");
  for (const [region, ticket] of Object.entries(tickets)) {
    assert.equal([ticket?.labels, ticket?.assignee, ticket?.links.map((link) => link.outward)], [['cloudtrail-issue', LABEL(region)], BOB.name, ['AWSSEC-1']], region);
  }
  const texts = slack.messages.map((message) => message.text);
  assert.is(texts.length, 6, 'three owners, two issues');
  assert.ok(texts.every((text) => text.startsWith('Ticket filed for the already reported ')), texts.join('\n'));

  const items = await tableItems();
  assert.equal(items[0], PYTHON_ITEMS[0]);
  for (const [index, key] of [[1, 'AWSSEC-2'], [2, 'AWSSEC-3']] as const) {
    const python = PYTHON_ITEMS[index] as Item;
    const item = items[index] as Item;
    const jiraDetails = item.jira_details as Record<string, unknown>;
    assert.equal(item, { ...python, jira_details: { ticket_label: LABEL(String(python.issue_id)), ticket_creation_started: jiraDetails.ticket_creation_started, ticket: key, ticket_assignee_id: BOB.name } });
  }
});

test('the next report and the next scan change nothing', async () => {
  const before = await tableItems();
  const jiraSeen = jira.requests.length;
  const slackSeen = slack.requests.length;

  const reported = await report();
  const scanned = await scan();

  assert.equal(reported.outcome?.ok, true, reported.stderr);
  assert.equal(scanned.outcome?.ok, true, scanned.stderr);
  assert.is((reported.outcome?.result as { outcomes: Record<string, number> }).outcomes.unchanged, 2);
  assert.equal(jira.requests.slice(jiraSeen), []);
  assert.equal(slack.requests.slice(slackSeen), []);
  assert.equal(await tableItems(), before);
});

test.run();
