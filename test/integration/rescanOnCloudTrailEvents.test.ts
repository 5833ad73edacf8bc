/**
 * The real-time domain flow's failure paths, with real local parts: the
 * debounce table in dynalite, SNS and CloudTrail in the AWS wire fake. The
 * happy paths run through the built zip (builtRealtimeZips.test.ts).
 */
import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { SNSClient } from '@aws-sdk/client-sns';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseMainConfig } from '../../config/loadConfig.ts';
import { RescanDebounce } from '../../library/realtime/rescanDebounce.ts';
import { rescanOnCloudTrailEvents, type RealtimeDeps } from '../../library/realtime/rescanOnCloudTrailEvents.ts';
import { CheckedAccounts } from '../../library/scan/checkedAccounts.ts';
import { ScanMessagePublisher } from '../../library/scan/scanMessagePublisher.ts';
import { handleRealtimeEvent, sqsRecordsOf } from '../../lambdas/cloudtrails-issues-identification/realtime_to_desc_cloudtrails.ts';
import { startAwsWireFake, type AwsWireFake } from '../fakes/awsWireFake.ts';
import { hashKeyTableInput, startDynalite, TEST_CREDENTIALS, type LocalDynamo } from '../fakes/dynalite.ts';
import { sqsEventOf, stopLogging } from '../helpers/cloudTrailEventFixtures.ts';
import { sampleConfigJson } from '../helpers/configFolder.ts';
import { RecordingLog } from '../helpers/recordingLog.ts';

const test = suite('rescanOnCloudTrailEvents');

const MASTER = '123456789012';
const SLAVE1 = '210987654321';
const SLAVE2 = '654321210987';
const TOPIC = `arn:aws:sns:eu-west-1:${MASTER}:hammer-describe-cloudtrails-lambda`;
const TABLE = 'realtime-unit';
const TRAIL = `arn:aws:cloudtrail:eu-west-1:${SLAVE1}:trail/eu-audit`;

let dynamo: LocalDynamo;
let aws: AwsWireFake;
let log: RecordingLog;
let clients: Array<{ destroy(): void }> = [];

test.before(async () => {
  dynamo = await startDynalite();
  await dynamo.createTable(hashKeyTableInput(TABLE, 'id'));
  aws = await startAwsWireFake({
    callerAccountId: MASTER,
    topics: [TOPIC],
    accounts: {
      [MASTER]: { regions: ['eu-west-1'] },
      [SLAVE1]: { regions: ['eu-west-1'], trails: [{ trail: { Name: 'eu-audit', HomeRegion: 'eu-west-1', S3BucketName: 'b' } }] },
    },
  });
});

test.after(async () => {
  for (const client of clients) client.destroy();
  await aws?.stop();
  await dynamo?.stop();
});

test.before.each(() => {
  log = new RecordingLog();
  aws.clearInjections();
  aws.takePublished(TOPIC);
});

function deps(overrides: Partial<RealtimeDeps> = {}): RealtimeDeps {
  const raw = sampleConfigJson();
  raw.aws = { ...(raw.aws as object), regions: ['eu-west-1', 'us-east-1'] };
  const config = parseMainConfig('config.json', raw);
  const sns = new SNSClient({ endpoint: aws.endpoint, region: 'eu-west-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  const cloudTrail = new CloudTrailClient({ endpoint: aws.endpoint, region: 'eu-west-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  clients.push(sns, cloudTrail);
  return {
    config,
    checkedAccounts: new CheckedAccounts({ config, organizations: () => { throw new Error('unused'); }, clock: () => new Date(), log }),
    regions: async () => ['eu-west-1', 'us-east-1'],
    // The wire fake's own account answers for every account here: the trails of the world are read as they are.
    describeTrails: async () => [{ Name: 'eu-audit', TrailARN: TRAIL, HomeRegion: 'eu-west-1', IsMultiRegionTrail: false }],
    claims: new RescanDebounce(dynamo.doc, TABLE, () => new Date()),
    publisher: new ScanMessagePublisher(() => sns, { log, sleep: async () => undefined, entryAttempts: 1 }),
    snsArn: TOPIC,
    region: 'eu-west-1',
    alerts: undefined,
    clock: () => new Date(),
    log,
    ...overrides,
  };
}

function recentCall(secondsAgo = 16): string {
  return new Date(Date.now() - secondsAgo * 1000).toISOString();
}

test('a rescan that SNS refuses is released and its record returned for redelivery, which then rescans', async () => {
  aws.inject({ service: 'sns', operation: 'PublishBatch', code: 'InternalError', times: 1 });
  const record = { id: 'msg-1', body: JSON.stringify(stopLogging(SLAVE1, 'eu-west-1', TRAIL, recentCall())) };
  const first = await rescanOnCloudTrailEvents([record], deps());
  assert.equal(first.failed, ['msg-1']);
  assert.equal(first.rescans, {});
  assert.equal(aws.published(TOPIC), []);
  const again = await rescanOnCloudTrailEvents([record], deps());
  assert.equal(again.failed, []);
  assert.equal(again.rescans, { [SLAVE1]: ['eu-west-1'] }, 'the released claim let the redelivered event rescan');
});

test('a debounce table that cannot be written never stops a rescan', async () => {
  const outcome = await rescanOnCloudTrailEvents([{ id: 'msg-2', body: JSON.stringify(stopLogging(SLAVE1, 'eu-west-1', TRAIL, recentCall())) }], deps({ claims: new RescanDebounce(dynamo.doc, 'no-such-table', () => new Date()) }));
  assert.equal(outcome.rescans, { [SLAVE1]: ['eu-west-1'] });
  const warning = log.at('warn').find((entry) => entry.message.startsWith('cannot record the rescan'));
  assert.equal([warning?.fields.operation, warning?.fields.error_code], ['UpdateItem', 'ResourceNotFoundException']);
});

test('trails that cannot be read make the rescan cover every checked region of the account', async () => {
  const outcome = await rescanOnCloudTrailEvents([{ id: 'msg-3', body: JSON.stringify(stopLogging(SLAVE2, 'eu-west-1', TRAIL, recentCall())) }], deps({
    describeTrails: async () => {
      const client = new CloudTrailClient({ endpoint: aws.endpoint, region: 'eu-west-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
      clients.push(client);
      aws.inject({ service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDeniedException', times: 1 });
      return (await client.send(new DescribeTrailsCommand({}))).trailList ?? [];
    },
  }));
  assert.equal(outcome.rescans, { [SLAVE2]: ['eu-west-1', 'us-east-1'] });
  assert.is(log.at('warn')[0]?.fields.error_code, 'AccessDeniedException');
});

test('the handler needs SNS_ARN and REALTIME_TABLE_NAME, and drops an event that is not an SQS batch', async () => {
  const base = deps();
  const handlerDeps = { ...base, config: base.config as never, readTrails: base.describeTrails, claimsFor: () => base.claims };
  try {
    await handleRealtimeEvent(sqsEventOf([]), { invokedFunctionArn: `arn:aws:lambda:eu-west-1:${MASTER}:function:f` }, { snsArn: TOPIC, tableName: undefined }, handlerDeps);
    assert.unreachable('must throw');
  } catch (err: unknown) {
    assert.is((err as Error).name, 'MissingEnvironmentError');
  }
  assert.equal(await handleRealtimeEvent({ Records: [{ Sns: {} }] }, { invokedFunctionArn: `arn:aws:lambda:eu-west-1:${MASTER}:function:f` }, { snsArn: TOPIC, tableName: TABLE }, handlerDeps), { batchItemFailures: [] });
  assert.match(log.at('error').at(-1)?.message ?? '', /^malformed event: not an SQS event with records/);
  assert.equal(sqsRecordsOf(sqsEventOf(['{}']))?.map((record) => record.body), ['{}']);
});

test.run();
