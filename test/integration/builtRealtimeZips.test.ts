/**
 * Black-box test of the BUILT zips of issue 10: the accounts from AWS
 * Organizations (aws.organization) and the real-time path. `node build.mjs`
 * builds initiate_to_desc_cloudtrails, describe_cloudtrails and
 * realtime_to_desc_cloudtrails with a config folder that sets
 * aws.organization and cloudtrails.realtime.slack_alert; each handler runs in
 * a fresh Node process as Lambda runs it, against the loopback AWS wire fake
 * (Organizations, CloudTrail, STS, SNS), dynalite and the fake Slack.
 *
 * The real-time scenarios send EventBridge "AWS API Call via CloudTrail"
 * events (test/helpers/cloudTrailEventFixtures.ts) through the built
 * realtime Lambda as SQS delivers them, deliver the scan messages it publishes
 * to the built describe_cloudtrails as SNS does, and compare the issues table
 * item for item. Event times are 16 s before the invocation: the queue's
 * delivery delay (the debounce window) has passed, as in production. The
 * debounce table is emptied between scenarios, as time would.
 */
import { DeleteCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pythonIsoTimestamp } from '../../library/runtime/clock.ts';
import { snsEventFor, startAwsWireFake, type AwsWireFake, type FakeAwsState, type FakeTrail, type PublishedMessage } from '../fakes/awsWireFake.ts';
import { hashKeyTableInput, startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/fakeSlackServer.ts';
import { buildAndUnpack, invokeBuiltHandler, writeLambdaRunner, type BuiltLambda, type InvocationOutcome } from '../helpers/builtLambdas.ts';
import { apiCallEvent, deleteTrail, putEventSelectorsWithoutManagementEvents, sqsEventOf, stopLogging, type EventBridgeEvent } from '../helpers/cloudTrailEventFixtures.ts';
import { sampleConfigJson, writeConfigFolder } from '../helpers/configFolder.ts';
import { fakeOrganization, memberAccountId } from '../helpers/organizationFixtures.ts';

type Item = Record<string, unknown>;

const MANAGEMENT = '111111111111';
const MASTER = '123456789012';
const SLAVE1 = '210987654321';
const SLAVE2 = '654321210987';
const FOREIGN = '999999999999';
const ROLE = 'hammer-cloudsec-crossact-id';
const READER = 'hammer-organization-reader';
const REGIONS = ['eu-west-1', 'us-east-1', 'eu-central-1'];
const TOPIC = `arn:aws:sns:eu-west-1:${MASTER}:hammer-describe-cloudtrails-lambda`;
const ISSUES_TABLE = 'realtime-cloudtrails';
const DEBOUNCE_TABLE = 'realtime-debounce';
const CREDENTIALS_TABLE = 'realtime-credentials';
const SLACK_TOKEN = 'xoxb-realtime-test-token';
const ALERT_CHANNEL = '#security-alerts';
const INITIATE_ARN = `arn:aws:lambda:eu-west-1:${MASTER}:function:hammer-initiate-cloudtrails`;
const DESCRIBE_ARN = `arn:aws:lambda:eu-west-1:${MASTER}:function:hammer-describe-cloudtrails`;
const REALTIME_ARN = `arn:aws:lambda:eu-west-1:${MASTER}:function:hammer-realtime-cloudtrails`;
const LAMBDA_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIAQMASTERLAMBDA002',
  AWS_SECRET_ACCESS_KEY: 'cmVhbHRpbWUtcm9sZS1zZWNyZXQtb2YtdGhlLXRlc3Q',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEFAKErealtimeroletoken',
};

const arn = (account: string, region: string, name: string): string => `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
const EU_AUDIT = arn(SLAVE1, 'eu-west-1', 'eu-audit');
const MANAGEMENT_EVENTS = arn(SLAVE1, 'us-east-1', 'management-events');
const AUDITS = [1, 2, 3, 4].map((n) => arn(SLAVE1, 'us-east-1', `audit-${n}`));
const REGIONAL_EU = arn(SLAVE2, 'eu-west-1', 'regional-eu');
const REGIONAL_US = arn(SLAVE2, 'us-east-1', 'regional-us');

/** Hammer's timestamps: Python's datetime.now(timezone.utc).isoformat(). */
const PYTHON_ISOFORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/;
const NOW = '<written by this step>';
const IDENTIFIED = '2026-11-20T08:15:00.500000+00:00';
const REPORTED = '2026-11-20T08:55:03.250000+00:00';

function trail(name: string, homeRegion: string, multiRegion: boolean, extra: Partial<FakeTrail> = {}): FakeTrail {
  return { trail: { Name: name, HomeRegion: homeRegion, IsMultiRegionTrail: multiRegion, S3BucketName: `${name}-logs` }, status: { IsLogging: true }, ...extra };
}

function worldState(): FakeAwsState {
  const organization = fakeOrganization({
    managementAccountId: MANAGEMENT,
    members: 20,
    suspended: [7],
    extra: [{ id: MASTER, name: 'security-tooling' }, { id: SLAVE1, name: 'payments-prod' }, { id: SLAVE2, name: 'payments-dev' }],
  });
  const member = { regions: REGIONS, roles: [ROLE] };
  return {
    callerAccountId: MASTER,
    topics: [TOPIC],
    organization,
    accounts: {
      [MANAGEMENT]: { regions: REGIONS, roles: [READER, ROLE] },
      [MASTER]: { regions: REGIONS },
      [SLAVE1]: {
        ...member,
        trails: [
          trail('eu-audit', 'eu-west-1', false, { status: { IsLogging: true, LatestDeliveryError: 'AccessDenied' } }),
          trail('management-events', 'us-east-1', true),
          ...[1, 2, 3, 4].map((n) => trail(`audit-${n}`, 'us-east-1', false)),
        ],
      },
      [SLAVE2]: { ...member, trails: [trail('regional-eu', 'eu-west-1', false), trail('regional-us', 'us-east-1', false)] },
      ...Object.fromEntries(Array.from({ length: 20 }, (_, offset) => [memberAccountId(offset + 1), member])),
      [FOREIGN]: { ...member, trails: [trail('foreign', 'eu-west-1', false)] },
    },
  };
}

function configFiles(slackApiUrl: string): Record<string, unknown> {
  const config = sampleConfigJson();
  config.aws = {
    region: 'eu-west-1',
    main_account_id: MASTER,
    regions: REGIONS,
    role_name_identification: ROLE,
    accounts: { [MASTER]: 'master', [SLAVE1]: 'slave1', [SLAVE2]: 'slave2' },
    organization: { account_id: MANAGEMENT, role_name: READER },
  };
  config.credentials = { 'ddb.table_name': CREDENTIALS_TABLE };
  config.slack = { enabled: true, notify_default_owner: true, channels: {}, ignore: [], api_url: slackApiUrl };
  config.cloudtrails = { enabled: true, 'ddb.table_name': ISSUES_TABLE, topic_name: 'hammer-describe-cloudtrails-lambda', reporting: false, realtime: { slack_alert: true } };
  return {
    'config.json': config,
    'ticket_owners.json': { jira_project: 'AWSSEC', jira_owner: '', slack_owner: ALERT_CHANNEL },
  };
}

/** Items an earlier hourly scan wrote and reporting reported. */
function earlierIssue(accountId: string, region: string, details: Item): Item {
  return {
    account_id: accountId,
    issue_id: region,
    status: 'open',
    issue_details: details,
    timestamps: { identified: IDENTIFIED, updated: IDENTIFIED, reported: REPORTED, remediated: null, closed: null },
    jira_details: { ticket: 'AWSSEC-7', ticket_assignee_id: 'bob' },
  };
}
const euAuditError = { s3: { resource: 'eu-audit-logs', error: 'AccessDenied' } };
const euAuditLogging = { id: EU_AUDIT, enabled: true, multi_region: false, selectors: 'All', errors: euAuditError };
const managementLogging = { id: MANAGEMENT_EVENTS, enabled: true, multi_region: true, selectors: 'All', errors: {} };
const managementStopped = { ...managementLogging, enabled: false };
const SLAVE1_EU_EARLIER = earlierIssue(SLAVE1, 'eu-west-1', {
  disabled: false,
  delivery_errors: { [EU_AUDIT]: { errors: euAuditError, events: 'All', multi_region: false } },
  trails: [euAuditLogging, managementLogging],
});
const SLAVE2_CENTRAL_EARLIER = earlierIssue(SLAVE2, 'eu-central-1', { disabled: true, delivery_errors: {}, trails: [] });

function newIssue(accountId: string, region: string, details: Item): Item {
  return { account_id: accountId, issue_id: region, status: 'open', issue_details: details, timestamps: { identified: NOW, updated: NOW, reported: null, remediated: null, closed: null }, jira_details: {} };
}

let work: string;
let removeConfig: () => void;
let lambdas: Record<string, BuiltLambda>;
let runner: string;
let dynamo: LocalDynamo;
let aws: AwsWireFake;
let slack: FakeSlack;
let stepStart = '';
let invocations = 0;

const test = suite('built realtime and organisation zips');

test.before(async () => {
  work = mkdtempSync(join(tmpdir(), 'hammer-realtime-'));
  slack = await startFakeSlack({ token: SLACK_TOKEN, channels: [ALERT_CHANNEL] });
  const config = writeConfigFolder(configFiles(slack.apiUrl));
  removeConfig = config.remove;
  const [built, localDynamo, fake] = await Promise.all([
    buildAndUnpack({ names: ['initiate_to_desc_cloudtrails', 'describe_cloudtrails', 'realtime_to_desc_cloudtrails'], configDir: config.dir, work }),
    startDynalite(),
    startAwsWireFake(worldState(), { cloudTrailCallsPerSecond: 10 }),
  ]);
  lambdas = built;
  dynamo = localDynamo;
  aws = fake;
  runner = writeLambdaRunner(work);
  await dynamo.createIssuesTable(ISSUES_TABLE);
  await dynamo.createCredentialsTable(CREDENTIALS_TABLE);
  await dynamo.createTable(hashKeyTableInput(DEBOUNCE_TABLE, 'id'));
  await dynamo.doc.send(new PutCommand({ TableName: CREDENTIALS_TABLE, Item: { service: 'slack', credentials: { api_token: SLACK_TOKEN } } }));
  for (const item of [SLAVE1_EU_EARLIER, SLAVE2_CENTRAL_EARLIER]) await dynamo.doc.send(new PutCommand({ TableName: ISSUES_TABLE, Item: item }));
});

test.after(async () => {
  await aws?.stop();
  await dynamo?.stop();
  await slack?.stop();
  removeConfig?.();
  if (work) rmSync(work, { recursive: true, force: true });
});

function lambdaEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ...LAMBDA_CREDENTIALS, ...aws.endpointEnv, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, ...extra };
}

async function invoke(lambda: string, functionArn: string, event: unknown, env: Record<string, string> = {}): Promise<InvocationOutcome> {
  invocations += 1;
  const run = await invokeBuiltHandler({ runner, lambda: lambdas[lambda] as BuiltLambda, event, functionArn, requestId: `5e1f0c3e-0000-4000-8000-${String(invocations).padStart(12, '0')}`, env: lambdaEnv(env) });
  assert.equal(run.outcome?.ok, true, `${lambda}: ${run.stdout}\n${run.stderr}`);
  return run;
}

/** The realtime Lambda on one SQS batch of these events; its answer must hold no failures. */
async function realtime(events: readonly unknown[]): Promise<InvocationOutcome> {
  const run = await invoke('realtime_to_desc_cloudtrails', REALTIME_ARN, sqsEventOf(events), { SNS_ARN: TOPIC, REALTIME_TABLE_NAME: DEBOUNCE_TABLE });
  assert.equal(run.outcome?.result, { batchItemFailures: [] }, JSON.stringify(run.logs));
  return run;
}

/** Delivers every message published since the last take to describe_cloudtrails, one invocation each, as SNS does. */
async function deliverScanMessages(): Promise<Array<Record<string, unknown>>> {
  const messages = aws.takePublished(TOPIC);
  for (const message of messages) await invoke('describe_cloudtrails', DESCRIBE_ARN, snsEventFor(message));
  return messages.map((message: PublishedMessage) => JSON.parse(message.message) as Record<string, unknown>);
}

/** An event time of a call made `secondsAgo` before now, at CloudTrail's one-second resolution. */
function callTime(secondsAgo = 16): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000 - secondsAgo * 1000).toISOString().replace('.000Z', 'Z');
}

async function tableItems(table = ISSUES_TABLE): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

async function issues(): Promise<Record<string, Item>> {
  return Object.fromEntries((await tableItems()).map((item) => [`${String(item.account_id)}/${String(item.issue_id)}`, withStepTimestamps(item)]));
}

function withStepTimestamps(item: Item): Item {
  const timestamps = item.timestamps as Record<string, unknown>;
  const marked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(timestamps)) {
    if (value === null) {
      marked[name] = null;
      continue;
    }
    assert.match(String(value), PYTHON_ISOFORMAT);
    marked[name] = String(value) >= stepStart ? NOW : value;
  }
  return { ...item, timestamps: marked };
}

/** A new step: timestamps written from now on read NOW; the debounce table forgets, as 16 s of time would. */
async function newStep(): Promise<void> {
  for (const item of await tableItems(DEBOUNCE_TABLE)) await dynamo.doc.send(new DeleteCommand({ TableName: DEBOUNCE_TABLE, Key: { id: item.id } }));
  aws.clearCalls();
  aws.takePublished(TOPIC);
  slack.messages.length = 0;
  stepStart = pythonIsoTimestamp(new Date());
}

function setStatus(account: string, name: string, status: FakeTrail['status']): void {
  const found = aws.state.accounts[account]?.trails?.find((candidate) => candidate.trail.Name === name);
  if (!found) throw new Error(`no trail ${name} in ${account}`);
  found.status = status;
}

function logLines(run: InvocationOutcome, level?: string): Array<Record<string, unknown>> {
  return run.logs.filter((line) => level === undefined || line.level === level);
}

test('initiation publishes one Hammer message per ACTIVE account of the organisation, named by the organisation or aws.accounts', async () => {
  await newStep();
  await invoke('initiate_to_desc_cloudtrails', INITIATE_ARN, { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }, { SNS_ARN: TOPIC });
  const bodies = aws.takePublished(TOPIC).map((message) => JSON.parse(message.message) as { account_id: string; account_name: string; regions: string[] });
  const names = Object.fromEntries(bodies.map((body) => [body.account_id, body.account_name]));
  const members = Object.fromEntries(Array.from({ length: 20 }, (_, offset) => offset + 1).filter((index) => index !== 7).map((index) => [memberAccountId(index), `member-${String(index).padStart(4, '0')}`]));
  assert.equal(names, { [MANAGEMENT]: 'management', [MASTER]: 'master', [SLAVE1]: 'slave1', [SLAVE2]: 'slave2', ...members });
  assert.ok(bodies.every((body) => JSON.stringify(body.regions) === JSON.stringify(REGIONS)));
  assert.equal(aws.callsTo('sts', 'AssumeRole').map((call) => call.params.RoleArn), [`arn:aws:iam::${MANAGEMENT}:role/${READER}`]);
  assert.is(aws.callsTo('organizations', 'ListAccounts').length, 2, '24 accounts in pages of 20');
});

test('identification checks an account found only in the organisation, as the schedule asks', async () => {
  await newStep();
  const message = { account_id: memberAccountId(1), account_name: 'member-0001', regions: REGIONS, sns_arn: TOPIC };
  await invoke('describe_cloudtrails', DESCRIBE_ARN, snsEventFor({ topicArn: TOPIC, messageId: 'm-1', message: JSON.stringify(message), messageAttributes: {}, via: 'Publish', accountId: MASTER, region: 'eu-west-1', publishedAt: new Date() }));
  const written = await issues();
  for (const region of REGIONS) assert.equal(written[`${memberAccountId(1)}/${region}`], newIssue(memberAccountId(1), region, { disabled: true, delivery_errors: {}, trails: [] }), region);
});

test('StopLogging on a single-region trail rescans that region only, and the finding is in the table', async () => {
  await newStep();
  setStatus(SLAVE2, 'regional-eu', { IsLogging: false });
  const event = stopLogging(SLAVE2, 'eu-west-1', REGIONAL_EU, callTime());
  const run = await realtime([event]);
  assert.equal(await deliverScanMessages(), [{ account_id: SLAVE2, account_name: 'slave2', regions: ['eu-west-1'], sns_arn: TOPIC }]);
  assert.equal((await issues())[`${SLAVE2}/eu-west-1`], newIssue(SLAVE2, 'eu-west-1', {
    disabled: true,
    delivery_errors: {},
    trails: [{ id: REGIONAL_EU, enabled: false, multi_region: false, selectors: 'All', errors: {} }],
  }));
  assert.equal(aws.callsTo('cloudtrail', 'DescribeTrails').map((call) => `${String(call.accountId)} ${call.region}`), [`${SLAVE2} eu-west-1`, `${SLAVE2} eu-west-1`], 'the scope lookup, then the rescan: one region');
  assert.equal(slack.messages, [{ channel: ALERT_CHANNEL, username: 'hammer', text: `CloudTrail logging stopped: StopLogging of trail '${REGIONAL_EU}' in 'slave2 / ${SLAVE2} / eu-west-1' by arn:aws:iam::${SLAVE2}:user/mallory from 198.51.100.42 at ${String(event.time)}` }]);
  const scoped = logLines(run).find((line) => line.message === 'CloudTrail call that may change logging');
  assert.equal([scoped?.scope, scoped?.scope_reason, scoped?.caller_arn, scoped?.source_ip], ['region', `${REGIONAL_EU} is a single-region trail`, `arn:aws:iam::${SLAVE2}:user/mallory`, '198.51.100.42']);
});

test('a script stopping five trails twice (a multi-region one among them) gives one rescan of every region of the account', async () => {
  await newStep();
  for (const name of ['management-events', 'audit-1', 'audit-2', 'audit-3', 'audit-4']) setStatus(SLAVE1, name, { IsLogging: false });
  const names = [MANAGEMENT_EVENTS, ...AUDITS];
  const burst = [...names, ...names].map((trailArn, index) => stopLogging(SLAVE1, 'us-east-1', trailArn, callTime(20 - index)));
  const first = await realtime(burst.slice(0, 6));
  const second = await realtime(burst.slice(6));
  const messages = await deliverScanMessages();
  assert.equal(messages, [{ account_id: SLAVE1, account_name: 'slave1', regions: REGIONS, sns_arn: TOPIC }], 'one rescan for ten calls, across two batches');
  assert.equal(logLines(second).find((line) => line.message === 'real-time events handled')?.rescans, {}, 'the second batch is debounced');
  assert.is(logLines(first).find((line) => line.message === 'real-time events handled')?.debounced, 0);

  const written = await issues();
  assert.equal(written[`${SLAVE1}/us-east-1`], newIssue(SLAVE1, 'us-east-1', {
    disabled: true,
    delivery_errors: {},
    trails: [...AUDITS.map((id) => ({ id, enabled: false, multi_region: false, selectors: 'All', errors: {} })), managementStopped],
  }));
  assert.equal(written[`${SLAVE1}/eu-central-1`], newIssue(SLAVE1, 'eu-central-1', { disabled: true, delivery_errors: {}, trails: [managementStopped] }));
  assert.equal(written[`${SLAVE1}/eu-west-1`], {
    ...SLAVE1_EU_EARLIER,
    issue_details: { ...(SLAVE1_EU_EARLIER.issue_details as Item), trails: [euAuditLogging, managementStopped] },
    timestamps: { ...(SLAVE1_EU_EARLIER.timestamps as Item), updated: NOW },
  }, 'the earlier issue keeps its ticket and timestamps; its trails changed');
  assert.is(slack.messages.length, 10, 'one alert per call');
});

test('DeleteTrail rescans every region of the account (the trail is gone, its scope unknown)', async () => {
  await newStep();
  const account = aws.state.accounts[SLAVE2];
  if (account?.trails) account.trails = account.trails.filter((candidate) => candidate.trail.Name !== 'regional-us');
  const before = await issues();
  const event = deleteTrail(SLAVE2, 'us-east-1', 'regional-us', callTime(), { callerArn: `arn:aws:sts::${SLAVE2}:assumed-role/admin/eve`, sourceIp: '203.0.113.9' });
  const run = await realtime([event]);
  assert.equal(await deliverScanMessages(), [{ account_id: SLAVE2, account_name: 'slave2', regions: REGIONS, sns_arn: TOPIC }]);
  const after = await issues();
  assert.equal(after[`${SLAVE2}/us-east-1`], newIssue(SLAVE2, 'us-east-1', { disabled: true, delivery_errors: {}, trails: [] }));
  for (const key of [`${SLAVE2}/eu-west-1`, `${SLAVE2}/eu-central-1`]) assert.equal(after[key], before[key], `${key} unchanged`);
  assert.is(logLines(run).find((line) => line.message === 'CloudTrail call that may change logging')?.scope_reason, 'trail regional-us is not there (deleted?)');
  assert.equal(slack.messages.map((message) => message.text), [`CloudTrail trail deleted: DeleteTrail of trail 'regional-us' in 'slave2 / ${SLAVE2} / us-east-1' by arn:aws:sts::${SLAVE2}:assumed-role/admin/eve from 203.0.113.9 at ${String(event.time)}`]);
});

test('PutEventSelectors leaving out management events is found at once: the region is disabled, without an alert', async () => {
  await newStep();
  const euAudit = aws.state.accounts[SLAVE1]?.trails?.find((candidate) => candidate.trail.Name === 'eu-audit');
  if (euAudit) euAudit.eventSelectors = [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: [] }], ExcludeManagementEventSources: [] }];
  const before = await issues();
  await realtime([putEventSelectorsWithoutManagementEvents(SLAVE1, 'eu-west-1', 'eu-audit', callTime())]);
  assert.equal(await deliverScanMessages(), [{ account_id: SLAVE1, account_name: 'slave1', regions: ['eu-west-1'], sns_arn: TOPIC }]);
  const previous = before[`${SLAVE1}/eu-west-1`] as Item;
  assert.equal((await issues())[`${SLAVE1}/eu-west-1`], {
    ...previous,
    issue_details: {
      // The only logging trail left records no write management events (issue 13's rule): no coverage.
      disabled: true,
      delivery_errors: { [EU_AUDIT]: { errors: euAuditError, events: 'ReadOnly', multi_region: false } },
      trails: [{ ...euAuditLogging, selectors: 'ReadOnly', coverage_note: 'logging, but records no write management events' }, managementStopped],
    },
    timestamps: { ...(previous.timestamps as Item), updated: NOW },
  });
  assert.equal(slack.messages, []);
});

test('a forged event (detail not matching its envelope) causes a rescan of the envelope\'s region and nothing else', async () => {
  await newStep();
  const before = await issues();
  const forged = stopLogging(SLAVE2, 'eu-central-1', MANAGEMENT_EVENTS, callTime(), {
    callerArn: `arn:aws:iam::${FOREIGN}:user/ceo`,
    detail: { recipientAccountId: FOREIGN, awsRegion: 'us-east-1' },
  });
  const run = await realtime([forged]);
  assert.equal(await deliverScanMessages(), [{ account_id: SLAVE2, account_name: 'slave2', regions: ['eu-central-1'], sns_arn: TOPIC }]);
  assert.equal(await issues(), before, 'the rescan found nothing new');
  assert.equal(slack.messages, [], 'no alert naming whoever the detail claims');
  const warning = logLines(run, 'WARN').find((line) => String(line.message).startsWith('event whose detail does not match its envelope'));
  assert.equal(warning?.mismatches, [
    `detail.awsRegion "us-east-1" is not the envelope's region eu-central-1`,
    `detail.recipientAccountId "${FOREIGN}" is not the envelope's account ${SLAVE2}`,
  ]);
  assert.is(aws.callsTo('cloudtrail', 'DescribeTrails').filter((call) => call.accountId === SLAVE2).length, 1, 'no scope lookup: only the rescan of one region');
});

test('events from accounts, regions and sources not checked, malformed ones and failed calls are logged and dropped', async () => {
  await newStep();
  const before = await issues();
  const run = await realtime([
    stopLogging(FOREIGN, 'eu-west-1', arn(FOREIGN, 'eu-west-1', 'foreign'), callTime()),
    stopLogging(SLAVE1, 'ap-south-1', arn(SLAVE1, 'ap-south-1', 'mumbai'), callTime()),
    apiCallEvent({ accountId: SLAVE1, region: 'eu-west-1', eventName: 'PutBucketPolicy', time: callTime(), requestParameters: { bucketName: 'eu-audit-logs' }, envelope: { source: 'aws.s3' }, detail: { eventSource: 's3.amazonaws.com' } }),
    '{"version": "0", "source": "aws.cloudtrail", "detail-type": ',
    stopLogging(SLAVE1, 'eu-west-1', EU_AUDIT, callTime(), { errorCode: 'AccessDenied' }),
    apiCallEvent({ accountId: SLAVE1, region: 'eu-west-1', eventName: 'PutInsightSelectors', time: callTime(), requestParameters: { trailName: 'eu-audit', insightSelectors: [] } }),
  ]);
  assert.equal(aws.takePublished(TOPIC), []);
  assert.equal(await issues(), before);
  assert.equal(slack.messages, []);
  assert.equal(aws.callsTo('cloudtrail'), [], 'no lookup either');
  const dropped = logLines(run).filter((line) => ['WARN', 'ERROR', 'INFO'].includes(String(line.level)) && /dropped|no rescan/.test(String(line.message)));
  // Sorted: the runtime writes INFO to stdout and WARN/ERROR to stderr, so the two streams interleave.
  assert.equal(dropped.map((line) => `${String(line.level)} ${String(line.message)}`).sort(), [
    'ERROR malformed event: the event is not JSON; dropped',
    'INFO event from a region this module does not check; dropped',
    'INFO not a call that changes logging; dropped',
    'INFO the call failed, so nothing changed; no rescan',
    'WARN event from an account this module does not check; dropped',
    'WARN not an "AWS API Call via CloudTrail" event of aws.cloudtrail; dropped',
  ]);
  assert.is(dropped.find((line) => String(line.message).startsWith('event from an account'))?.account_id, FOREIGN);
});

test('Organizations denied: one error, config.json\'s accounts, and an event of an organisation-only account is dropped', async () => {
  await newStep();
  aws.inject({ service: 'organizations', operation: 'ListAccounts', code: 'AccessDeniedException', message: 'You don\'t have permissions to access this resource.', times: 1 });
  const run = await realtime([stopLogging(memberAccountId(2), 'eu-west-1', arn(memberAccountId(2), 'eu-west-1', 'member'), callTime())]);
  const errors = logLines(run, 'ERROR');
  assert.equal(errors.map((line) => [line.message, line.operation, line.error_code]), [['cannot read the accounts of the organisation (aws.organization); checking the accounts of config.json instead', 'ListAccounts', 'AccessDeniedException']]);
  assert.ok(logLines(run, 'WARN').some((line) => line.message === 'event from an account this module does not check; dropped' && line.account_id === memberAccountId(2)));
  assert.equal(aws.takePublished(TOPIC), []);
});

test.run();
