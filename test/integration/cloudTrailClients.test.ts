/**
 * The CloudTrail client cache of the identification Lambda, over real HTTP
 * (the AWS wire fake on loopback, reached through AWS_ENDPOINT_URL_CLOUDTRAIL
 * as in production): clients are reused per account and region, and evicting
 * one never cuts a call that is still using it (a message with more regions
 * than the cache holds checks them all at once).
 */
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cachedCloudTrailClients } from '../../library/aws/cloudTrailClients.ts';
import { startAwsWireFake, type AwsWireFake, type FakeAwsState } from '../fakes/awsWireFake.ts';

const MASTER = '123456789012';
const OWN_CREDENTIALS = { accessKeyId: 'ASIAQMASTERLAMBDA001', secretAccessKey: 'test-only-secret' };

function state(): FakeAwsState {
  return {
    callerAccountId: MASTER,
    accounts: {
      [MASTER]: {
        regions: ['eu-west-1', 'us-east-1', 'eu-central-1'],
        trails: [{ trail: { Name: 'everywhere', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, S3BucketName: 'cloudtrail-logs' } }],
      },
    },
  };
}

const test = suite('cloudTrailClients');

let fake: AwsWireFake;
let held: Array<() => void> = [];
let savedEndpoint: string | undefined;

test.before.each(async () => {
  held = [];
  // Every answer waits until the test lets it go, so calls stay in flight as long as the test needs.
  fake = await startAwsWireFake(state(), { latencyMs: 1, sleep: () => new Promise<void>((resolve) => held.push(resolve)) });
  savedEndpoint = process.env.AWS_ENDPOINT_URL_CLOUDTRAIL;
  process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = fake.endpoint;
});

test.after.each(async () => {
  if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_CLOUDTRAIL;
  else process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = savedEndpoint;
  for (const release of held) release();
  await fake.stop();
});

async function callsHeld(count: number): Promise<void> {
  for (let turn = 0; held.length < count && turn < 2000; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  assert.is(held.length, count, 'calls waiting at the fake');
}

/** The trail names a DescribeTrails call answered, or its error (settled at once, so a failure is never unhandled). */
function trailNames(call: Promise<{ trailList?: Array<{ Name?: string }> }>): Promise<Array<string | undefined> | string> {
  return call.then((output) => (output.trailList ?? []).map((trail) => trail.Name), (err: unknown) => `failed: ${String(err)}`);
}

function releaseAll(): void {
  const waiting = held;
  held = [];
  for (const release of waiting) release();
}

test('gives the same client back for the same account and region, and another for another region', () => {
  const clients = cachedCloudTrailClients({ ownCredentials: OWN_CREDENTIALS });
  const first = clients(MASTER, 'eu-west-1', undefined);
  assert.is(clients(MASTER, 'eu-west-1', undefined), first);
  assert.is.not(clients(MASTER, 'us-east-1', undefined), first);
});

test('a client evicted from the cache while its call is in flight still gets its answer', async () => {
  const clients = cachedCloudTrailClients({ maxClients: 1, ownCredentials: OWN_CREDENTIALS });
  const inEuWest = trailNames(clients(MASTER, 'eu-west-1', undefined).send(new DescribeTrailsCommand({ includeShadowTrails: true })));
  await callsHeld(1);

  // Two more regions at once: the eu-west-1 client leaves the cache while its call waits.
  const others = ['us-east-1', 'eu-central-1'].map((region) => trailNames(clients(MASTER, region, undefined).send(new DescribeTrailsCommand({ includeShadowTrails: true }))));
  await callsHeld(3);
  releaseAll();

  assert.equal(await Promise.all([inEuWest, ...others]), [['everywhere'], ['everywhere'], ['everywhere']]);
  assert.equal(fake.callsTo('cloudtrail', 'DescribeTrails').map((call) => call.region), ['eu-west-1', 'us-east-1', 'eu-central-1']);
});

test('an evicted account and region gets a working client again', async () => {
  const clients = cachedCloudTrailClients({ maxClients: 1, ownCredentials: OWN_CREDENTIALS });
  const first = clients(MASTER, 'eu-west-1', undefined);
  clients(MASTER, 'us-east-1', undefined);
  const again = clients(MASTER, 'eu-west-1', undefined);
  assert.is.not(again, first, 'a new client after eviction');
  const answer = trailNames(again.send(new DescribeTrailsCommand({})));
  await callsHeld(1);
  releaseAll();
  assert.equal(await answer, ['everywhere']);
});

test.run();
