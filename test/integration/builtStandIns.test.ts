/**
 * What the bundles leave out (build.mjs ALIASES, issue 12) and what must
 * still work, black-box on the BUILT zips run as Lambda runs them, against
 * the AWS wire fake and dynalite:
 *
 * - the EC2 client, loaded on the common path before, still answers when
 *   `aws.regions` is absent;
 * - the credential chain Lambda uses: the role's credentials from the
 *   environment, or, without them, the container credentials endpoint (the
 *   chain passes over the providers left out);
 * - a profile of the shared files is not a source for the bundles (the
 *   stand-ins), whereas unbundled code reads it (credentialChains.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { snsEventFor, startAwsWireFake, type AwsWireFake } from '../fakes/awsWireFake.ts';
import { startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';
import { buildAndUnpack, invokeBuiltHandler, writeLambdaRunner, type BuiltLambda, type InvocationOutcome } from '../helpers/builtLambdas.ts';
import { sampleConfigJson, writeConfigFolder } from '../helpers/configFolder.ts';

const MASTER = '123456789012';
const TOPIC = `arn:aws:sns:eu-west-1:${MASTER}:hammer-describe-cloudtrails-lambda`;
const DESCRIBE_ARN = `arn:aws:lambda:eu-west-1:${MASTER}:function:hammer-describe-cloudtrails`;
const INITIATE_ARN = `arn:aws:lambda:eu-west-1:${MASTER}:function:hammer-initiate-cloudtrails`;
const ENV_KEY = 'ASIAQENVIRONMENTKEY1';
const CONTAINER_KEY = 'ASIAQCONTAINERKEY001';
const PROFILE_KEY = 'AKIAQPROFILEKEY00001';

let work: string;
let removeConfig: () => void;
let lambdas: Record<string, BuiltLambda>;
let runner: string;
let dynamo: LocalDynamo;
let aws: AwsWireFake;
let container: Server;
let containerEndpoint: string;
const containerRequests: IncomingHttpHeaders[] = [];

const test = suite('what the bundles leave out');

test.before(async () => {
  work = mkdtempSync(join(tmpdir(), 'hammer-standins-'));
  // The sample config: no aws.regions, so the initiation asks EC2.
  const config = writeConfigFolder({ 'config.json': sampleConfigJson() });
  removeConfig = config.remove;
  const [built, localDynamo, fake] = await Promise.all([
    buildAndUnpack({ names: ['initiate_to_desc_cloudtrails', 'describe_cloudtrails'], configDir: config.dir, work }),
    startDynalite(),
    startAwsWireFake({
      callerAccountId: MASTER,
      topics: [TOPIC],
      accounts: {
        [MASTER]: {
          regions: ['eu-west-1', 'us-east-1', 'me-south-1'],
          trails: [{ trail: { Name: 'organization', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, S3BucketName: 'org-trail' }, status: { IsLogging: true, LatestDeliveryTime: new Date() } }],
        },
        '210987654321': { regions: ['eu-west-1'], roles: ['hammer-cloudsec-crossact-id'] },
        '654321210987': { regions: ['eu-west-1'], roles: ['hammer-cloudsec-crossact-id'] },
      },
    }),
  ]);
  lambdas = built;
  dynamo = localDynamo;
  aws = fake;
  runner = writeLambdaRunner(work);
  await dynamo.createIssuesTable('hammer-cloudtrails');
  await dynamo.createApiRequestsTable('hammer-api-requests');
  // The container credentials endpoint (ECS/EKS-style, AWS_CONTAINER_CREDENTIALS_FULL_URI).
  container = createServer((request, response) => {
    containerRequests.push(request.headers);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ AccessKeyId: CONTAINER_KEY, SecretAccessKey: 'Y29udGFpbmVyLXNlY3JldA', Token: 'container-session-token', Expiration: new Date(Date.now() + 3_600_000).toISOString() }));
  });
  await new Promise<void>((resolve) => container.listen(0, '127.0.0.1', () => resolve()));
  containerEndpoint = `http://127.0.0.1:${(container.address() as AddressInfo).port}/v2/credentials/hammer`;
});

test.after(async () => {
  await aws?.stop();
  await dynamo?.stop();
  if (container) {
    container.closeAllConnections();
    await new Promise<void>((resolve) => container.close(() => resolve()));
  }
  removeConfig?.();
  if (work) rmSync(work, { recursive: true, force: true });
});

function endpoints(): Record<string, string> {
  return { ...aws.endpointEnv, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint };
}

/** The master account's own message (no AssumeRole: the Lambda's own credentials sign every call). */
function describeOwnAccount(requestId: string, env: Record<string, string>): Promise<InvocationOutcome> {
  const message = { account_id: MASTER, account_name: 'master', regions: ['eu-west-1'], sns_arn: TOPIC };
  return invokeBuiltHandler({
    runner,
    lambda: lambdas.describe_cloudtrails as BuiltLambda,
    event: snsEventFor({ topicArn: TOPIC, messageId: `m-${requestId}`, message: JSON.stringify(message), messageAttributes: {}, via: 'Publish', accountId: MASTER, region: 'eu-west-1', publishedAt: new Date() }),
    functionArn: DESCRIBE_ARN,
    requestId,
    env: { ...endpoints(), ...env },
  });
}

test('the built initiation without aws.regions asks EC2 once for the enabled regions and publishes them', async () => {
  aws.clearCalls();
  const run = await invokeBuiltHandler({
    runner,
    lambda: lambdas.initiate_to_desc_cloudtrails as BuiltLambda,
    event: { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} },
    functionArn: INITIATE_ARN,
    requestId: 'standins-initiate',
    env: { ...endpoints(), AWS_ACCESS_KEY_ID: ENV_KEY, AWS_SECRET_ACCESS_KEY: 'ZW52LXNlY3JldA', AWS_SESSION_TOKEN: 'env-token', SNS_ARN: TOPIC },
  });
  assert.equal(run.outcome?.ok, true, `${run.stdout}\n${run.stderr}`);
  const describeRegions = aws.callsTo('ec2', 'DescribeRegions');
  assert.is(describeRegions.length, 1);
  assert.is(describeRegions[0]?.params.AllRegions, 'false');
  const published = aws.takePublished(TOPIC).map((message) => JSON.parse(message.message) as { regions: string[] });
  assert.is(published.length, 3, 'one message per account');
  for (const message of published) assert.equal(message.regions, ['eu-west-1', 'me-south-1', 'us-east-1']);
});

test('the built identification signs with the role\'s credentials Lambda puts in the environment', async () => {
  aws.clearCalls();
  const run = await describeOwnAccount('standins-env', { AWS_ACCESS_KEY_ID: ENV_KEY, AWS_SECRET_ACCESS_KEY: 'ZW52LXNlY3JldA', AWS_SESSION_TOKEN: 'env-token' });
  assert.equal(run.outcome?.ok, true, `${run.stdout}\n${run.stderr}`);
  const calls = aws.callsTo('cloudtrail');
  assert.ok(calls.length >= 2, 'DescribeTrails and GetTrailStatus');
  assert.ok(calls.every((call) => call.accessKeyId === ENV_KEY && call.httpStatus === 200));
  assert.is(containerRequests.length, 0, 'the environment\'s credentials come first');
});

test('without credentials in the environment, the built chain passes over the providers left out to the container endpoint', async () => {
  aws.clearCalls();
  const run = await describeOwnAccount('standins-container', { AWS_CONTAINER_CREDENTIALS_FULL_URI: containerEndpoint, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-authorization' });
  assert.equal(run.outcome?.ok, true, `${run.stdout}\n${run.stderr}`);
  const calls = aws.callsTo('cloudtrail');
  assert.ok(calls.length >= 2);
  assert.ok(calls.every((call) => call.accessKeyId === CONTAINER_KEY && call.httpStatus === 200), 'signed with the container\'s credentials');
  assert.ok(containerRequests.length >= 1);
  assert.is(containerRequests[0]?.authorization, 'container-authorization');
  assert.is(linesAt(run, 'ERROR').length, 0);
});

test('a profile of the shared credentials file is no source for the bundles: nothing is signed, the failure is logged', async () => {
  aws.clearCalls();
  const credentialsFile = join(work, 'profile-credentials');
  writeFileSync(credentialsFile, `[laptop]\naws_access_key_id = ${PROFILE_KEY}\naws_secret_access_key = cHJvZmlsZS1zZWNyZXQ\n`);
  const run = await describeOwnAccount('standins-profile', { AWS_PROFILE: 'laptop', AWS_SHARED_CREDENTIALS_FILE: credentialsFile });
  assert.equal(run.outcome?.ok, true, 'a region that cannot be checked is logged, not thrown');
  assert.is(aws.callsTo('cloudtrail').length, 0, 'no call was signed with the profile');
  const failures = linesAt(run, 'ERROR');
  assert.ok(failures.length >= 1, run.stdout);
  assert.match(JSON.stringify(failures), 'CredentialsProviderError');
});

function linesAt(run: InvocationOutcome, level: string): Array<Record<string, unknown>> {
  return run.logs.filter((line) => line.level === level);
}

test.run();
