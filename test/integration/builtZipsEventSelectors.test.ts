/**
 * Issue 13 through the BUILT identification zip: trails that log but record
 * no write management events, as `describe_cloudtrails` in its zip sees them
 * through the AWS wire fake (CloudTrail, STS, SNS) and dynalite, one Lambda
 * process per scan message as SNS delivers them.
 *
 * The world: slave1 has a single-region trail with management events off
 * (data events only); slave2 a multi-region trail whose advanced selectors
 * record only read management events; the member is in the master's
 * organization and sees the organization trail, whose selectors it may not
 * read at first (and has an open issue from an earlier scan); the master's
 * organization trail records everything at first. Then the organization
 * trail's selectors change (healthy regions open issues, and the member, now
 * allowed to read them, sees why), and finally every trail is fixed (every
 * issue resolves).
 */
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pythonIsoTimestamp } from '../../library/runtime/clock.ts';
import { snsEventFor, startAwsWireFake, type AwsWireFake, type FakeAwsState, type FakeTrail, type PublishedMessage } from '../fakes/awsWireFake.ts';
import { startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';
import { buildAndUnpack, invokeBuiltHandler, writeLambdaRunner, type BuiltLambda, type InvocationOutcome } from '../helpers/builtLambdas.ts';
import { sampleConfigJson, writeConfigFolder } from '../helpers/configFolder.ts';

type Item = Record<string, unknown>;

const MASTER = '123456789012';
const SLAVE1 = '210987654321';
const SLAVE2 = '654321210987';
const MEMBER = '777788889999';
const ROLE = 'hammer-cloudsec-crossact-id';
const REGIONS = ['eu-west-1', 'us-east-1'];
const TOPIC = `arn:aws:sns:eu-west-1:${MASTER}:hammer-describe-cloudtrails-lambda`;
const ISSUES_TABLE = 'selectors-cloudtrails';
const DESCRIBE_ARN = `arn:aws:lambda:eu-west-1:${MASTER}:function:hammer-describe-cloudtrails`;
const LAMBDA_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIAQMASTERLAMBDA002',
  AWS_SECRET_ACCESS_KEY: 'c2VsZWN0b3JzLXRlc3Qtc2VjcmV0LW9mLXRoZS1sYW1iZGE',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEFAKEselectorstesttoken',
};

const ORG_TRAIL = `arn:aws:cloudtrail:us-east-1:${MASTER}:trail/organization`;
const REGIONAL = `arn:aws:cloudtrail:eu-west-1:${SLAVE1}:trail/regional`;
const EVERYWHERE = `arn:aws:cloudtrail:eu-west-1:${SLAVE2}:trail/everywhere`;
const NO_WRITES = 'logging, but records no write management events';
/** Stands for a timestamp written by the scan under test. */
const NOW = '<written by this scan>';
const IDENTIFIED = '2026-11-20T08:15:00.500000+00:00';
const REPORTED = '2026-11-20T08:55:03.250000+00:00';

const S3_DATA_ONLY = [{ ReadWriteType: 'All' as const, IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }];
const READ_ONLY_MANAGEMENT = [{ Name: 'Read-only management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['true'] }] }];
const MANAGEMENT_AND_S3 = [
  { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }] },
  { Name: 'S3 objects', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] },
];

function logging(): FakeTrail['status'] {
  return { IsLogging: true, LatestDeliveryTime: new Date('2026-11-26T15:50:12.000Z'), StartLoggingTime: new Date('2025-03-01T09:00:00.000Z') };
}

function worldState(): FakeAwsState {
  return {
    callerAccountId: MASTER,
    topics: [TOPIC],
    accounts: {
      [MASTER]: {
        regions: REGIONS,
        trails: [{
          trail: { Name: 'organization', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: true, S3BucketName: 'org-cloudtrail-logs', IncludeGlobalServiceEvents: true },
          status: logging(),
          advancedEventSelectors: MANAGEMENT_AND_S3,
        }],
      },
      [SLAVE1]: {
        regions: ['eu-west-1'],
        roles: [ROLE],
        trails: [{ trail: { Name: 'regional', HomeRegion: 'eu-west-1', S3BucketName: 'slave1-logs' }, status: logging(), eventSelectors: S3_DATA_ONLY }],
      },
      [SLAVE2]: {
        regions: REGIONS,
        roles: [ROLE],
        trails: [{ trail: { Name: 'everywhere', HomeRegion: 'eu-west-1', IsMultiRegionTrail: true, S3BucketName: 'slave2-logs', IncludeGlobalServiceEvents: true }, status: logging(), advancedEventSelectors: READ_ONLY_MANAGEMENT }],
      },
      [MEMBER]: { regions: REGIONS, roles: [ROLE], organizationManagementAccount: MASTER },
    },
  };
}

function configFiles(): Record<string, unknown> {
  const config = sampleConfigJson();
  config.aws = { region: 'eu-west-1', regions: REGIONS, role_name_identification: ROLE, accounts: { [MASTER]: 'master', [SLAVE1]: 'slave1', [SLAVE2]: 'slave2', [MEMBER]: 'member' } };
  config.cloudtrails = { enabled: true, 'ddb.table_name': ISSUES_TABLE, topic_name: 'hammer-describe-cloudtrails-lambda', reporting: false };
  return { 'config.json': config, 'ticket_owners.json': { jira_project: 'AWSSEC', jira_owner: '', slack_owner: '' } };
}

const MEMBER_EARLIER: Item = {
  account_id: MEMBER,
  issue_id: 'eu-west-1',
  status: 'open',
  issue_details: { disabled: true, delivery_errors: {}, trails: [] },
  timestamps: { identified: IDENTIFIED, updated: IDENTIFIED, reported: REPORTED, remediated: null, closed: null },
  jira_details: { ticket: 'AWSSEC-7', ticket_assignee_id: 'bob' },
};

function disabledBy(trails: Item[]): Item {
  return { disabled: true, delivery_errors: {}, trails };
}

function newIssue(accountId: string, region: string, details: Item): Item {
  return { account_id: accountId, issue_id: region, status: 'open', issue_details: details, timestamps: { identified: NOW, updated: NOW, reported: null, remediated: null, closed: null }, jira_details: {} };
}

const regionalBlind = { id: REGIONAL, enabled: true, multi_region: false, selectors: 'All', errors: {}, coverage_note: NO_WRITES };
const everywhereBlind = { id: EVERYWHERE, enabled: true, multi_region: true, selectors: 'Advanced: Management(Read)', errors: {}, coverage_note: NO_WRITES };
const organizationBlind = { id: ORG_TRAIL, enabled: true, multi_region: true, selectors: 'All', errors: {}, coverage_note: NO_WRITES };

let work: string;
let removeConfig: () => void;
let describe: BuiltLambda;
let runner: string;
let dynamo: LocalDynamo;
let aws: AwsWireFake;
let scanStart = '';
let scanCount = 0;
let afterFirstScan: Item[] = [];

const test = suite('built zips: event selectors');

test.before(async () => {
  work = mkdtempSync(join(tmpdir(), 'hammer-selectors-'));
  const config = writeConfigFolder(configFiles());
  removeConfig = config.remove;
  const [built, localDynamo, fake] = await Promise.all([
    buildAndUnpack({ names: ['describe_cloudtrails'], configDir: config.dir, work }),
    startDynalite(),
    startAwsWireFake(worldState(), { cloudTrailCallsPerSecond: 10 }),
  ]);
  describe = built.describe_cloudtrails as BuiltLambda;
  dynamo = localDynamo;
  aws = fake;
  runner = writeLambdaRunner(work);
  await dynamo.createIssuesTable(ISSUES_TABLE);
  await dynamo.doc.send(new PutCommand({ TableName: ISSUES_TABLE, Item: MEMBER_EARLIER }));
  // The member may read the organization trail's status, not its event selectors.
  aws.inject({ service: 'cloudtrail', operation: 'GetEventSelectors', accountId: MEMBER, trail: ORG_TRAIL, code: 'AccessDeniedException', message: `User: arn:aws:sts::${MEMBER}:assumed-role/${ROLE}/hammer is not authorized to perform: cloudtrail:GetEventSelectors on resource: ${ORG_TRAIL}` });
});

test.after(async () => {
  await aws?.stop();
  await dynamo?.stop();
  removeConfig?.();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The scan message initiation publishes for an account, as SNS hands it to identification. */
function scanMessage(accountId: string, accountName: string): PublishedMessage {
  return {
    topicArn: TOPIC,
    messageId: randomUUID(),
    message: JSON.stringify({ account_id: accountId, account_name: accountName, regions: REGIONS, sns_arn: TOPIC }),
    messageAttributes: {},
    via: 'PublishBatch',
    accountId: MASTER,
    region: 'eu-west-1',
    publishedAt: new Date(),
  };
}

/**
 * One scan: the four accounts' messages in one invocation (the handler takes
 * every record of its event; one process per scan keeps this suite fast on a
 * shared machine; the one-message-per-invocation delivery is the other
 * black-box suite's subject).
 */
async function scan(): Promise<InvocationOutcome> {
  scanStart = pythonIsoTimestamp(new Date());
  scanCount += 1;
  aws.clearCalls();
  const accounts: Array<[string, string]> = [[MASTER, 'master'], [SLAVE1, 'slave1'], [SLAVE2, 'slave2'], [MEMBER, 'member']];
  const records = accounts.flatMap(([id, name]) => snsEventFor(scanMessage(id, name)).Records);
  const run = await invokeBuiltHandler({
    runner,
    lambda: describe,
    event: { Records: records },
    functionArn: DESCRIBE_ARN,
    requestId: `5e1ec700-0000-4000-8000-00000000000${scanCount}`,
    env: { ...LAMBDA_CREDENTIALS, ...aws.endpointEnv, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint },
  });
  assert.equal(run.outcome?.ok, true, `${run.stdout}\n${run.stderr}`);
  return run;
}

async function tableItems(): Promise<Item[]> {
  const page = await dynamo.doc.send(new ScanCommand({ TableName: ISSUES_TABLE }));
  return (page.Items ?? []).sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

function keyOf(item: Item): string {
  return `${String(item.account_id)}/${String(item.issue_id)}`;
}

/** Items keyed `<account>/<region>`, every timestamp written by the last scan replaced by NOW. */
async function itemsByKey(): Promise<Record<string, Item>> {
  const marked = (await tableItems()).map((item) => {
    const timestamps = Object.fromEntries(Object.entries(item.timestamps as Record<string, unknown>).map(([name, value]) => [name, typeof value === 'string' && value >= scanStart ? NOW : value]));
    return { ...item, timestamps };
  });
  return Object.fromEntries(marked.map((item) => [keyOf(item), item]));
}

test('trails with management events off, single-region or multi-region, disable their regions and say why; an unreadable organization trail proves nothing', async () => {
  const run = await scan();

  assert.equal(await itemsByKey(), {
    [`${SLAVE1}/eu-west-1`]: newIssue(SLAVE1, 'eu-west-1', disabledBy([regionalBlind])),
    [`${SLAVE2}/eu-west-1`]: newIssue(SLAVE2, 'eu-west-1', disabledBy([everywhereBlind])),
    [`${SLAVE2}/us-east-1`]: newIssue(SLAVE2, 'us-east-1', disabledBy([everywhereBlind])),
    [`${MEMBER}/eu-west-1`]: MEMBER_EARLIER,
  });
  afterFirstScan = await tableItems();

  const selectorReads = aws.callsTo('cloudtrail', 'GetEventSelectors').map((call) => `${String(call.accountId)} ${call.region} ${String(call.params.TrailName)} ${call.errorCode ?? 'ok'}`).sort();
  assert.equal(selectorReads, [
    `${MASTER} us-east-1 ${ORG_TRAIL} ok`,
    `${SLAVE1} eu-west-1 ${REGIONAL} ok`,
    `${SLAVE2} eu-west-1 ${EVERYWHERE} ok`,
    `${MEMBER} us-east-1 ${ORG_TRAIL} AccessDeniedException`,
  ], 'each multi-region trail\'s selectors read once per account, by ARN, in its home region');
  const unreadable = run.logs.filter((line) => line.operation === 'GetEventSelectors');
  assert.equal(unreadable.map((line) => `${String(line.level)} ${String(line.account_id)} ${String(line.error_code)}`).sort(), [`WARN ${MEMBER} AccessDeniedException`, `WARN ${MEMBER} AccessDeniedException`]);
});

test('the same scan again rewrites nothing', async () => {
  assert.ok(afterFirstScan.length > 0, 'needs the first scan');
  await scan();
  assert.equal(await tableItems(), afterFirstScan);
});

test('selectors changed on healthy regions open issues; a member allowed to read them sees why, and its open issue says so', async () => {
  const orgTrail = aws.state.accounts[MASTER]?.trails?.[0] as FakeTrail;
  delete orgTrail.advancedEventSelectors;
  orgTrail.eventSelectors = S3_DATA_ONLY;
  aws.clearInjections();

  await scan();

  const items = await itemsByKey();
  assert.equal(items[`${MASTER}/eu-west-1`], newIssue(MASTER, 'eu-west-1', disabledBy([organizationBlind])));
  assert.equal(items[`${MASTER}/us-east-1`], newIssue(MASTER, 'us-east-1', disabledBy([organizationBlind])));
  assert.equal(items[`${MEMBER}/eu-west-1`], { ...MEMBER_EARLIER, issue_details: disabledBy([organizationBlind]), timestamps: { ...(MEMBER_EARLIER.timestamps as Item), updated: NOW } }, 'rewritten with the trail and why, ticket kept');
  assert.equal(items[`${MEMBER}/us-east-1`], newIssue(MEMBER, 'us-east-1', disabledBy([organizationBlind])));
  const unchanged = afterFirstScan.filter((item) => item.account_id === SLAVE1 || item.account_id === SLAVE2);
  assert.equal((await tableItems()).filter((item) => item.account_id === SLAVE1 || item.account_id === SLAVE2), unchanged, 'regions whose verdict did not change are not rewritten');
});

test('fixed selectors resolve every issue on the next scan', async () => {
  const state = aws.state;
  (state.accounts[MASTER]?.trails?.[0] as FakeTrail).eventSelectors = [{ ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com'] }];
  (state.accounts[SLAVE1]?.trails?.[0] as FakeTrail).eventSelectors = [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }, ...S3_DATA_ONLY];
  (state.accounts[SLAVE2]?.trails?.[0] as FakeTrail).advancedEventSelectors = MANAGEMENT_AND_S3;

  await scan();

  const items = await tableItems();
  assert.equal(items.map((item) => `${keyOf(item)} ${String(item.status)}`), [
    `${MASTER}/eu-west-1 resolved`,
    `${MASTER}/us-east-1 resolved`,
    `${SLAVE1}/eu-west-1 resolved`,
    `${SLAVE2}/eu-west-1 resolved`,
    `${SLAVE2}/us-east-1 resolved`,
    `${MEMBER}/eu-west-1 resolved`,
    `${MEMBER}/us-east-1 resolved`,
  ]);
  for (const item of items) assert.ok(String((item.timestamps as Item).resolved) >= scanStart, keyOf(item));
});

test.run();
