/**
 * Black-box test of the BUILT identification zips (issue 3): `node build.mjs
 * --only initiate_to_desc_cloudtrails,describe_cloudtrails` with a test config
 * folder, each zip unpacked outside the repository, and each handler run in a
 * fresh Node process as Lambda runs it, against the loopback AWS wire fake
 * (CloudTrail, STS, SNS through AWS_ENDPOINT_URL_*) and dynalite
 * (AWS_ENDPOINT_URL_DYNAMODB). End to end: the schedule's initiation publishes
 * the scan messages; each is delivered to identification as SNS delivers it;
 * the items in DynamoDB are what the contract says, field for field.
 *
 * The world: the master account (the Lambdas' own) owns a multi-region
 * organization trail; slave1 has a regional trail with an S3 delivery error
 * (and advanced selectors), a stopped multi-region trail (so one region is
 * disabled) and a whitelisted region; slave2 is an organization member that
 * may not read the organization trail's status (no false positive), has an
 * open issue from an earlier scan, is denied DescribeTrails in one region and
 * has not enabled the opt-in region eu-south-1.
 */
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pythonIsoTimestamp } from '../../library/runtime/clock.ts';
import { snsEventFor, startAwsWireFake, type AwsWireFake, type FakeAwsState, type PublishedMessage } from '../fakes/awsWireFake.ts';
import { buildAndUnpack, invokeBuiltHandler, writeLambdaRunner, type BuiltLambda, type InvocationOutcome } from '../helpers/builtLambdas.ts';
import { sampleConfigJson, writeConfigFolder } from '../helpers/configFolder.ts';
import { startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';

type Item = Record<string, unknown>;

const MASTER = '123456789012';
const SLAVE1 = '210987654321';
const SLAVE2 = '654321210987';
const IGNORED = '999999999999';
const ROLE = 'hammer-cloudsec-crossact-id';
const REGIONS = ['eu-west-1', 'us-east-1', 'eu-south-1'];
const TOPIC = `arn:aws:sns:eu-west-1:${MASTER}:hammer-describe-cloudtrails-lambda`;
const ISSUES_TABLE = 'blackbox-cloudtrails';
const API_TABLE = 'blackbox-api-requests';
const INITIATE_ARN = `arn:aws:lambda:eu-west-1:${MASTER}:function:hammer-initiate-cloudtrails`;
const DESCRIBE_ARN = `arn:aws:lambda:eu-west-1:${MASTER}:function:hammer-describe-cloudtrails`;
/** The Lambda role's own credentials (any key the fake did not hand out belongs to the master account). */
const LAMBDA_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIAQMASTERLAMBDA001',
  AWS_SECRET_ACCESS_KEY: 'bGFtYmRhLXJvbGUtc2VjcmV0LW9mLXRoZS10ZXN0LW9ubHk',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEFAKEFAKEFAKElambdaroletoken',
};

const ORG_TRAIL = `arn:aws:cloudtrail:us-east-1:${MASTER}:trail/organization`;
const EU_AUDIT = `arn:aws:cloudtrail:eu-west-1:${SLAVE1}:trail/eu-audit`;
const EAST = `arn:aws:cloudtrail:us-east-1:${SLAVE1}:trail/east`;

/** Hammer's timestamps: Python's datetime.now(timezone.utc).isoformat(). */
const PYTHON_ISOFORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/;
/** Stands for a timestamp written by this scan (a Python isoformat string not older than the scan). */
const NOW = '<written by this scan>';
const IDENTIFIED = '2026-11-20T08:15:00.500000+00:00';
const REPORTED = '2026-11-20T08:55:03.250000+00:00';

function worldState(): FakeAwsState {
  return {
    callerAccountId: MASTER,
    callerArn: `arn:aws:sts::${MASTER}:assumed-role/hammer-describe-cloudtrails/hammer-describe-cloudtrails`,
    topics: [TOPIC],
    accounts: {
      [MASTER]: {
        regions: ['eu-west-1', 'us-east-1'],
        trails: [{
          trail: { Name: 'organization', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: true, S3BucketName: 'org-cloudtrail-logs', IncludeGlobalServiceEvents: true, LogFileValidationEnabled: true },
          status: { IsLogging: true, LatestDeliveryTime: new Date('2026-11-26T15:50:12.000Z'), StartLoggingTime: new Date('2025-03-01T09:00:00.000Z') },
        }],
      },
      [SLAVE1]: {
        regions: ['eu-west-1', 'us-east-1', 'eu-south-1'],
        roles: [ROLE],
        trails: [
          {
            trail: { Name: 'eu-audit', HomeRegion: 'eu-west-1', IsMultiRegionTrail: false, S3BucketName: 'slave1-eu-audit-logs', IncludeGlobalServiceEvents: false },
            status: { IsLogging: true, LatestDeliveryError: 'AccessDenied', LatestDeliveryAttemptTime: '2026-11-26T15:40:00Z', StartLoggingTime: new Date('2026-01-02T03:04:05.000Z') },
            advancedEventSelectors: [{ Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
          },
          {
            trail: { Name: 'east', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, S3BucketName: 'slave1-east-logs', IncludeGlobalServiceEvents: true },
            status: { IsLogging: false, StopLoggingTime: new Date('2026-11-25T22:00:00.000Z') },
          },
        ],
      },
      [SLAVE2]: { regions: ['eu-west-1', 'us-east-1'], roles: [ROLE], organizationManagementAccount: MASTER },
      [IGNORED]: { regions: ['eu-west-1'], roles: [ROLE] },
    },
  };
}

function configFiles(): Record<string, unknown> {
  const config = sampleConfigJson();
  config.aws = {
    region: 'eu-west-1',
    regions: REGIONS,
    role_name_identification: ROLE,
    accounts: { [MASTER]: 'master', [SLAVE1]: 'slave1', [SLAVE2]: 'slave2', [IGNORED]: 'ignored' },
  };
  config.api = { 'ddb.table_name': API_TABLE };
  config.cloudtrails = { enabled: 'True', 'ddb.table_name': ISSUES_TABLE, topic_name: 'hammer-describe-cloudtrails-lambda', reporting: false, ignore_accounts: [IGNORED] };
  return {
    'config.json': config,
    'whitelist.json': { cloudtrails: { __comment__: 'eu-south-1 is a sandbox region of slave1', [SLAVE1]: ['eu-south-1'] } },
    'ticket_owners.json': { jira_project: 'AWSSEC', jira_owner: '', slack_owner: '' },
  };
}

/** An open issue written by an earlier scan and reported since. */
function earlierIssue(accountId: string, region: string, details: Item): Item {
  return {
    account_id: accountId,
    issue_id: region,
    status: 'open',
    issue_details: details,
    timestamps: { identified: IDENTIFIED, updated: IDENTIFIED, reported: REPORTED, remediated: null, closed: null },
    jira_details: { ticket: 'AWSSEC-101', ticket_assignee_id: 'bob' },
  };
}
const MASTER_EARLIER = earlierIssue(MASTER, 'us-east-1', { disabled: true, delivery_errors: {}, trails: [] });
const SLAVE2_EARLIER = earlierIssue(SLAVE2, 'eu-west-1', {
  disabled: true,
  delivery_errors: false,
  trails: [{ id: `arn:aws:cloudtrail:eu-west-1:${SLAVE2}:trail/legacy`, enabled: false, multi_region: false, selectors: 'All', errors: {} }],
});

function newIssue(accountId: string, region: string, status: string, details: Item): Item {
  return {
    account_id: accountId,
    issue_id: region,
    status,
    issue_details: details,
    timestamps: { identified: NOW, updated: NOW, reported: null, remediated: null, closed: null },
    jira_details: {},
  };
}

const euAuditS3Error = { s3: { resource: 'slave1-eu-audit-logs', error: 'AccessDenied' } };
const eastStopped = { id: EAST, enabled: false, multi_region: true, selectors: 'All', errors: {} };
const disabledByEast = { disabled: true, delivery_errors: {}, trails: [eastStopped] };

/** Every item the table must hold after the scan, keyed `<account>/<region>`. */
const EXPECTED_AFTER_SCAN: Record<string, Item> = {
  [`${MASTER}/us-east-1`]: { ...MASTER_EARLIER, status: 'resolved', timestamps: { ...(MASTER_EARLIER.timestamps as Item), resolved: NOW } },
  [`${SLAVE1}/eu-west-1`]: newIssue(SLAVE1, 'eu-west-1', 'open', {
    disabled: false,
    delivery_errors: { [EU_AUDIT]: { errors: euAuditS3Error, events: 'Advanced: Management(ReadWrite)', multi_region: false } },
    trails: [
      { id: EU_AUDIT, enabled: true, multi_region: false, selectors: 'Advanced: Management(ReadWrite)', errors: euAuditS3Error },
      eastStopped,
    ],
  }),
  [`${SLAVE1}/us-east-1`]: newIssue(SLAVE1, 'us-east-1', 'open', disabledByEast),
  [`${SLAVE1}/eu-south-1`]: newIssue(SLAVE1, 'eu-south-1', 'whitelisted', disabledByEast),
  [`${SLAVE2}/eu-west-1`]: SLAVE2_EARLIER,
};

let work: string;
let removeConfig: () => void;
let lambdas: Record<string, BuiltLambda>;
let runner: string;
let dynamo: LocalDynamo;
let aws: AwsWireFake;
/** When the scan started, as Python's isoformat writes it (timestamps written by the scan are not older). */
let scanStart: string;
let messages: PublishedMessage[] = [];
let scanRuns: InvocationOutcome[] = [];
let afterScan: Item[] = [];

const test = suite('built identification zips');

test.before(async () => {
  work = mkdtempSync(join(tmpdir(), 'hammer-blackbox-'));
  const config = writeConfigFolder(configFiles());
  removeConfig = config.remove;
  const [built, localDynamo, fake] = await Promise.all([
    buildAndUnpack({ names: ['initiate_to_desc_cloudtrails', 'describe_cloudtrails'], configDir: config.dir, work }),
    startDynalite(),
    startAwsWireFake(worldState(), { cloudTrailCallsPerSecond: 10 }),
  ]);
  lambdas = built;
  dynamo = localDynamo;
  aws = fake;
  runner = writeLambdaRunner(work);
  await dynamo.createIssuesTable(ISSUES_TABLE);
  await dynamo.createApiRequestsTable(API_TABLE);
  for (const item of [MASTER_EARLIER, SLAVE2_EARLIER]) await dynamo.doc.send(new PutCommand({ TableName: ISSUES_TABLE, Item: item }));

  // slave2 is an organization member: CloudTrail refuses it the organization trail's status.
  aws.inject({ service: 'cloudtrail', operation: 'GetTrailStatus', accountId: SLAVE2, trail: ORG_TRAIL, code: 'AccessDeniedException', message: `User: arn:aws:sts::${SLAVE2}:assumed-role/${ROLE}/hammer-cloudtrails-identification is not authorized to perform: cloudtrail:GetTrailStatus on resource: ${ORG_TRAIL}` });
  aws.inject({ service: 'cloudtrail', operation: 'DescribeTrails', accountId: SLAVE2, region: 'us-east-1', code: 'AccessDeniedException', message: 'An SCP denies cloudtrail:DescribeTrails in us-east-1' });
  aws.inject({ service: 'cloudtrail', operation: 'DescribeTrails', accountId: SLAVE1, region: 'us-east-1', code: 'ThrottlingException', message: 'Rate exceeded', times: 1 });
});

test.after(async () => {
  await aws?.stop();
  await dynamo?.stop();
  removeConfig?.();
  if (work) rmSync(work, { recursive: true, force: true });
});

function lambdaEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ...LAMBDA_CREDENTIALS, ...aws.endpointEnv, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, ...extra };
}

async function tableItems(): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.doc.send(new ScanCommand({ TableName: ISSUES_TABLE, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items.sort((a, b) => `${String(a.account_id)}/${String(a.issue_id)}`.localeCompare(`${String(b.account_id)}/${String(b.issue_id)}`));
}

function keyOf(item: Item): string {
  return `${String(item.account_id)}/${String(item.issue_id)}`;
}


/**
 * The item with every timestamp written by this scan replaced by NOW, after
 * checking that every timestamp has Hammer's format. Timestamps from before
 * the scan stay as they are, so the test sees that they were kept.
 */
function withScanTimestamps(item: Item): Item {
  const timestamps = item.timestamps as Record<string, unknown> | undefined;
  if (timestamps === undefined) return item;
  const marked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(timestamps)) {
    if (value === null) {
      marked[name] = null;
      continue;
    }
    assert.type(value, 'string', `${keyOf(item)} timestamps.${name}`);
    assert.match(value as string, PYTHON_ISOFORMAT, `${keyOf(item)} timestamps.${name} is not Python's isoformat: ${String(value)}`);
    marked[name] = (value as string) >= scanStart ? NOW : value;
  }
  return { ...item, timestamps: marked };
}

function linesAt(runs: InvocationOutcome[], levels: string[]): Array<Record<string, unknown>> {
  return runs.flatMap((run) => run.logs).filter((line) => levels.includes(String(line.level)));
}

test('the built initiation publishes one Hammer message per checked account, with all regions', async () => {
  scanStart = pythonIsoTimestamp(new Date());
  const run = await invokeBuiltHandler({
    runner,
    lambda: lambdas.initiate_to_desc_cloudtrails as BuiltLambda,
    event: { version: '0', id: 'b9e5ad8d-0e7a-4f0c-bd31-1c6c52b6f3a4', 'detail-type': 'Scheduled Event', source: 'aws.events', account: MASTER, time: '2026-11-26T16:15:00Z', region: 'eu-west-1', resources: [`arn:aws:events:eu-west-1:${MASTER}:rule/hammer-InitiateEvaluationCloudTrails`], detail: {} },
    functionArn: INITIATE_ARN,
    requestId: '7a1f0c3e-0000-4000-8000-000000000001',
    memoryMb: 128,
    env: lambdaEnv({ SNS_ARN: TOPIC }),
  });

  assert.equal(run.outcome?.ok, true, `${run.stdout}\n${run.stderr}`);
  assert.is(run.code, 0);
  messages = aws.takePublished(TOPIC);
  const bodies = messages.map((message) => JSON.parse(message.message) as Record<string, unknown>).sort((a, b) => String(a.account_id).localeCompare(String(b.account_id)));
  assert.equal(bodies, [
    { account_id: MASTER, account_name: 'master', regions: REGIONS, sns_arn: TOPIC },
    { account_id: SLAVE1, account_name: 'slave1', regions: REGIONS, sns_arn: TOPIC },
    { account_id: SLAVE2, account_name: 'slave2', regions: REGIONS, sns_arn: TOPIC },
  ]);
  for (const message of messages) {
    assert.equal(Object.keys(JSON.parse(message.message) as object), ['account_id', 'account_name', 'regions', 'sns_arn'], 'Hammer\'s message, field for field');
    assert.is(message.accountId, MASTER);
    assert.is(message.region, 'eu-west-1');
  }
  assert.is(aws.callsTo('sns', 'PublishBatch').length, 1, 'three messages fit one PublishBatch');
  assert.is(aws.callsTo('ec2').length, 0, 'aws.regions is set: no DescribeRegions');
  assert.is(aws.callsTo('sts').length + aws.callsTo('cloudtrail').length, 0);
  const initiated = run.logs.find((line) => line.message === 'CloudTrail checking initiated');
  assert.ok(initiated, 'the run logs what it published');
  assert.is(initiated?.published, 3);
  assert.is(initiated?.function_request_id, '7a1f0c3e-0000-4000-8000-000000000001');
});

test('the built identification, one invocation per message, writes exactly the expected items', async () => {
  assert.is(messages.length, 3, 'needs the initiation test');
  aws.clearCalls();
  scanRuns = await Promise.all(messages.map((message, index) => invokeBuiltHandler({
    runner,
    lambda: lambdas.describe_cloudtrails as BuiltLambda,
    event: snsEventFor(message),
    functionArn: DESCRIBE_ARN,
    requestId: `7a1f0c3e-0000-4000-8000-00000000010${index}`,
    env: lambdaEnv(),
  })));
  for (const run of scanRuns) {
    assert.equal(run.outcome?.ok, true, `${run.stdout}\n${run.stderr}`);
    assert.is(run.code, 0);
  }

  afterScan = await tableItems();
  const actual = Object.fromEntries(afterScan.map((item) => [keyOf(item), withScanTimestamps(item)]));
  assert.equal(Object.keys(actual).sort(), Object.keys(EXPECTED_AFTER_SCAN).sort());
  for (const [key, expected] of Object.entries(EXPECTED_AFTER_SCAN)) assert.equal(actual[key], expected, key);
  // A new item's first timestamps are one instant.
  for (const item of afterScan.filter((candidate) => candidate.jira_details !== undefined && Object.keys(candidate.jira_details as object).length === 0)) {
    const timestamps = item.timestamps as Record<string, unknown>;
    assert.is(timestamps.identified, timestamps.updated, keyOf(item));
  }
});

test('the scan assumes the role once per controlled account and never for its own', () => {
  const assumed = aws.callsTo('sts', 'AssumeRole').map((call) => String(call.params.RoleArn)).sort();
  assert.equal(assumed, [`arn:aws:iam::${SLAVE1}:role/${ROLE}`, `arn:aws:iam::${SLAVE2}:role/${ROLE}`]);
  const byAccount = new Set(aws.callsTo('cloudtrail').map((call) => call.accountId));
  assert.equal([...byAccount].sort(), [MASTER, SLAVE1, SLAVE2], 'CloudTrail is read in each account with that account\'s credentials');
});

test('the scan reads each trail\'s status once, by ARN, in its home region', () => {
  const statusReads = aws.callsTo('cloudtrail', 'GetTrailStatus').map((call) => `${String(call.accountId)} ${call.region} ${String(call.params.Name)}`).sort();
  assert.equal(statusReads, [
    `${MASTER} us-east-1 ${ORG_TRAIL}`,
    `${SLAVE1} eu-west-1 ${EU_AUDIT}`,
    `${SLAVE1} us-east-1 ${EAST}`,
    `${SLAVE2} us-east-1 ${ORG_TRAIL}`,
  ]);
  const selectorReads = aws.callsTo('cloudtrail', 'GetEventSelectors').map((call) => `${String(call.accountId)} ${call.region} ${String(call.params.TrailName)}`);
  assert.equal(selectorReads, [`${SLAVE1} eu-west-1 ${EU_AUDIT}`]);
  const described = aws.callsTo('cloudtrail', 'DescribeTrails').map((call) => `${String(call.accountId)} ${call.region} ${call.errorCode ?? 'ok'}`).sort();
  assert.equal(described, [
    `${MASTER} eu-south-1 UnrecognizedClientException`,
    `${MASTER} eu-west-1 ok`,
    `${MASTER} us-east-1 ok`,
    `${SLAVE1} eu-south-1 ok`,
    `${SLAVE1} eu-west-1 ok`,
    `${SLAVE1} us-east-1 ThrottlingException`,
    `${SLAVE1} us-east-1 ok`,
    `${SLAVE2} eu-south-1 UnrecognizedClientException`,
    `${SLAVE2} eu-west-1 ok`,
    `${SLAVE2} us-east-1 AccessDeniedException`,
  ]);
});

test('the scan stays under CloudTrail\'s 10 calls per second per account and region', () => {
  const peaks = aws.maxCallsPerSecond('cloudtrail');
  assert.ok(Object.keys(peaks).length >= 7, JSON.stringify(peaks));
  for (const [key, peak] of Object.entries(peaks)) assert.ok(peak <= 10, `${key}: ${peak} calls in one second`);
  const throttled = aws.callsTo('cloudtrail').filter((call) => call.errorCode === 'ThrottlingException');
  assert.is(throttled.length, 1, 'only the injected throttling answer, none from the rate limit');
});

test('failures are JSON log lines naming account, region, operation and AWS error code', () => {
  for (const [index, run] of scanRuns.entries()) {
    assert.ok(run.logs.length > 0, 'the handler logs JSON lines');
    for (const line of run.logs) {
      assert.is(line.service, 'hammer-describe-cloudtrails');
      assert.is(line.function_request_id, `7a1f0c3e-0000-4000-8000-00000000010${index}`);
      assert.is(line.cold_start, true, 'each invocation runs in a fresh runtime');
      assert.type(line.timestamp, 'string');
    }
  }
  const failures = linesAt(scanRuns, ['WARN', 'ERROR'])
    .filter((line) => line.error_code !== undefined || line.operation !== undefined)
    .map((line) => `${String(line.level)} ${String(line.account_id)} ${String(line.region)} ${String(line.operation)} ${String(line.error_code)}`)
    .sort();
  assert.equal(failures, [
    `ERROR ${SLAVE2} us-east-1 DescribeTrails AccessDeniedException`,
    `WARN ${SLAVE1} us-east-1 DescribeTrails ThrottlingException`,
    `WARN ${SLAVE2} eu-west-1 GetTrailStatus AccessDeniedException`,
  ]);
  const others = linesAt(scanRuns, ['WARN', 'ERROR']).filter((line) => line.error_code === undefined && line.operation === undefined);
  assert.equal(others.map((line) => `${String(line.level)} ${String(line.account_id)} ${String(line.region)} ${String(line.message).split(':')[0]}`), [`WARN ${SLAVE2} eu-west-1 region status unknown`]);
  const unknownTrail = linesAt(scanRuns, ['WARN']).find((line) => line.operation === 'GetTrailStatus');
  assert.is(unknownTrail?.trail_arn, ORG_TRAIL);
  assert.is(unknownTrail?.home_region, 'us-east-1');
  const skipped = linesAt(scanRuns, ['INFO']).filter((line) => line.error_code === 'UnrecognizedClientException').map((line) => `${String(line.account_id)} ${String(line.region)} ${String(line.operation)}`).sort();
  assert.equal(skipped, [`${MASTER} eu-south-1 DescribeTrails`, `${SLAVE2} eu-south-1 DescribeTrails`], 'a region not enabled is skipped quietly (info)');
  const everything = scanRuns.map((run) => run.stdout + run.stderr).join('\n');
  for (const secret of [LAMBDA_CREDENTIALS.AWS_SECRET_ACCESS_KEY, LAMBDA_CREDENTIALS.AWS_SESSION_TOKEN, ...aws.sessions().flatMap((session) => [session.secretAccessKey, session.sessionToken])]) {
    assert.not.ok(everything.includes(secret), 'no credentials in the logs');
  }
});

test('the same messages delivered again leave every item as it was', async () => {
  assert.ok(afterScan.length > 0, 'needs the scan test');
  const again = await Promise.all(messages.map((message, index) => invokeBuiltHandler({
    runner,
    lambda: lambdas.describe_cloudtrails as BuiltLambda,
    event: snsEventFor(message),
    functionArn: DESCRIBE_ARN,
    requestId: `7a1f0c3e-0000-4000-8000-00000000020${index}`,
    env: lambdaEnv(),
  })));
  for (const run of again) assert.equal(run.outcome?.ok, true, `${run.stdout}\n${run.stderr}`);
  assert.equal(await tableItems(), afterScan);
});

test('a malformed SNS message is logged with its content and dropped, and the invocation ends clean', async () => {
  aws.clearCalls();
  const broken = { ...(messages[0] as PublishedMessage), message: '{"account_id": "210987654321", "regions": "eu-west-1"' };
  const run = await invokeBuiltHandler({
    runner,
    lambda: lambdas.describe_cloudtrails as BuiltLambda,
    event: snsEventFor(broken),
    functionArn: DESCRIBE_ARN,
    requestId: '7a1f0c3e-0000-4000-8000-000000000300',
    env: lambdaEnv(),
  });

  assert.equal(run.outcome?.ok, true, `${run.stdout}\n${run.stderr}`);
  assert.is(run.code, 0);
  const errors = run.logs.filter((line) => line.level === 'ERROR');
  assert.is(errors.length, 1, JSON.stringify(run.logs));
  assert.match(String(errors[0]?.message), /^malformed scan message/);
  assert.is(errors[0]?.sns_message, broken.message);
  assert.is(aws.calls.length, 0, 'nothing asked of AWS');
  assert.equal(await tableItems(), afterScan, 'nothing written');
});

test.run();
