/**
 * The initiation Lambda: one Hammer-format message per checked account with
 * all regions, published with PublishBatch; SNS and EC2 through aws-sdk-client-mock.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { SNSClient } from '@aws-sdk/client-sns';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { HammerConfig } from '../../config/hammerConfig.ts';
import { MissingEnvironmentError, handleInitiateEvent } from '../../lambdas/cloudtrails-issues-identification/initiate_to_desc_cloudtrails.ts';
import { InitiationError, type InitiationDeps } from '../../library/scan/initiateScan.ts';
import { discoverRegions } from '../../library/aws/regionDiscovery.ts';
import { ScanMessagePublisher } from '../../library/scan/scanMessagePublisher.ts';
import { TEST_CREDENTIALS } from '../fakes/dynalite.ts';
import { FakeAws } from '../fakes/fakeAws.ts';
import { testConfig } from '../helpers/identificationRig.ts';
import { RecordingLog } from '../helpers/recordingLog.ts';
import { VirtualTime } from '../helpers/virtualTime.ts';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:hammer-describe-cloudtrails-lambda';
const ACCOUNTS: Array<[string, string]> = [['123456789012', 'master'], ['210987654321', 'slave1'], ['654321210987', 'slave2']];

const test = suite('initiate_to_desc_cloudtrails');
let aws: FakeAws;
let time: VirtualTime;

test.before(() => {
  time = new VirtualTime();
  aws = new FakeAws(() => time.date());
});

test.after(() => {
  aws.restore();
});

function depsFor(config: HammerConfig): { deps: InitiationDeps; log: RecordingLog } {
  const log = new RecordingLog();
  time = new VirtualTime();
  const ec2 = new EC2Client({ region: 'eu-west-1', credentials: TEST_CREDENTIALS });
  return {
    log,
    deps: {
      config,
      region: 'eu-west-1',
      log,
      publisher: new ScanMessagePublisher((region) => new SNSClient({ region, credentials: TEST_CREDENTIALS }), { log, sleep: time.sleep, concurrency: 8 }),
      discoverRegions: () => discoverRegions(ec2),
    },
  };
}

function withRegions(regions: string[] | undefined, cloudtrails: Record<string, unknown> = {}): HammerConfig {
  return testConfig({
    change: (json) => {
      const awsSection = json.aws as Record<string, unknown>;
      if (regions === undefined) delete awsSection.regions;
      else awsSection.regions = regions;
      json.cloudtrails = { ...(json.cloudtrails as Record<string, unknown>), ...cloudtrails };
    },
  });
}

test('publishes one Hammer-format message per checked account with the regions of aws.regions', async () => {
  aws.reset({ accounts: {}, trails: {} });
  const { deps, log } = depsFor(withRegions(['eu-west-1', 'us-east-1']));
  const result = await handleInitiateEvent(TOPIC, deps);
  assert.equal(aws.batches.map((batch) => [batch.region, batch.topicArn, batch.entries.length]), [['eu-west-1', TOPIC, 3]]);
  assert.equal(aws.batches[0]?.entries.map((entry) => entry.Message), ACCOUNTS.map(([id, name]) =>
    JSON.stringify({ account_id: id, account_name: name, regions: ['eu-west-1', 'us-east-1'], sns_arn: TOPIC })));
  assert.is(aws.callsOf('DescribeRegions').length, 0);
  assert.equal(result, { enabled: true, accounts: 3, regions: ['eu-west-1', 'us-east-1'], published: 3, failed: [] });
  assert.is(log.at('info').at(-1)?.message, 'CloudTrail checking initiated');
});

test('without aws.regions, asks EC2 for the enabled regions and sends batches of at most 10', async () => {
  const manyAccounts = Array.from({ length: 23 }, (_, index): [string, string] => [String(100000000000 + index), `account-${index}`]);
  const enabled = ['ap-northeast-1', 'ap-south-1', 'ap-southeast-2', 'ca-central-1', 'eu-central-1', 'eu-north-1', 'eu-west-1', 'eu-west-2', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-2'];
  aws.reset({
    accounts: {},
    trails: {},
    regions: [
      ...enabled.map((name) => ({ RegionName: name, Endpoint: `ec2.${name}.amazonaws.com`, OptInStatus: 'opt-in-not-required' })),
      { RegionName: 'af-south-1', Endpoint: 'ec2.af-south-1.amazonaws.com', OptInStatus: 'not-opted-in' },
    ],
  });
  const config = withRegions(undefined);
  config.cloudtrails.accounts = Object.fromEntries(manyAccounts);
  const { deps } = depsFor(config);
  await handleInitiateEvent(TOPIC, deps);
  assert.is(aws.callsOf('DescribeRegions').length, 1);
  assert.equal(aws.batches.map((batch) => batch.entries.length), [10, 10, 3]);
  const published = aws.publishedMessages() as Array<{ account_id: string; regions: string[] }>;
  assert.equal(published.map((message) => message.account_id).sort(), manyAccounts.map(([id]) => id).sort());
  assert.ok(published.every((message) => JSON.stringify(message.regions) === JSON.stringify(enabled)));
});

test('checks only cloudtrails.accounts minus ignore_accounts', async () => {
  aws.reset({ accounts: {}, trails: {} });
  const { deps } = depsFor(withRegions(['eu-west-1'], { accounts: ['210987654321', '654321210987'], ignore_accounts: ['654321210987'] }));
  await handleInitiateEvent(TOPIC, deps);
  assert.equal(aws.publishedMessages(), [{ account_id: '210987654321', account_name: 'slave1', regions: ['eu-west-1'], sns_arn: TOPIC }]);
});

test('a disabled module logs it and publishes nothing', async () => {
  aws.reset({ accounts: {}, trails: {} });
  const { deps, log } = depsFor(withRegions(['eu-west-1'], { enabled: 'False' }));
  const result = await handleInitiateEvent(TOPIC, deps);
  assert.equal(result, { enabled: false });
  assert.is(aws.calls.length, 0);
  assert.match(log.at('info')[0]?.message ?? '', 'CloudTrail checking disabled');
});

test('a missing SNS_ARN fails the invocation with a clear error', async () => {
  aws.reset({ accounts: {}, trails: {} });
  const { deps } = depsFor(withRegions(['eu-west-1']));
  try {
    await handleInitiateEvent(undefined, deps);
    assert.unreachable('expected MissingEnvironmentError');
  } catch (err: unknown) {
    assert.instance(err, MissingEnvironmentError);
    assert.match((err as Error).message, 'SNS_ARN is not set');
  }
  assert.is(aws.calls.length, 0);
});

test('when the regions cannot be listed, nothing is published and the run fails', async () => {
  aws.reset({ accounts: {}, trails: {} });
  const { deps, log } = depsFor(withRegions(undefined));
  try {
    await handleInitiateEvent(TOPIC, deps);
    assert.unreachable('expected InitiationError');
  } catch (err: unknown) {
    assert.instance(err, InitiationError);
  }
  assert.is(aws.callsOf('PublishBatch').length, 0);
  assert.equal([log.at('error')[0]?.fields.operation, log.at('error')[0]?.fields.error_code], ['DescribeRegions', 'UnauthorizedOperation']);
});

test('entries SNS fails are retried, then each lost message is logged and the run fails after publishing the rest', async () => {
  aws.reset({ accounts: {}, trails: {}, publishFailures: { '654321210987': 'InternalError' } });
  const { deps, log } = depsFor(withRegions(['eu-west-1']));
  try {
    await handleInitiateEvent(TOPIC, deps);
    assert.unreachable('expected InitiationError');
  } catch (err: unknown) {
    assert.instance(err, InitiationError);
    assert.match((err as Error).message, '1 of 3 scan messages were not published');
  }
  assert.equal(aws.callsOf('PublishBatch').map((call) => (call.input.PublishBatchRequestEntries as unknown[]).length), [3, 1, 1]);
  assert.equal(aws.publishedMessages().map((published) => (published as { account_id: string }).account_id), ['123456789012', '210987654321']);
  const lost = log.at('error').find((entry) => entry.message === 'scan message not published');
  assert.equal([lost?.fields.account_id, lost?.fields.region, lost?.fields.operation, lost?.fields.error_code], ['654321210987', 'eu-west-1', 'PublishBatch', 'InternalError']);
  assert.equal(time.sleeps, [200, 400]);
});

test.run();
