import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type GetTrailStatusResponse,
} from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { snsEventFor, startAwsWireFake, type AwsWireFake, type FakeAwsState } from '../../fakes/awsWireFake.ts';

const test = suite('awsWireFake');

const MASTER = '111111111111';
const MEMBER = '222222222222';
const DENIED = '333333333333';
const NO_ROLE = '444444444444';
const ROLE = 'hammer-cloudsec-crossact-id';
const TOPIC = `arn:aws:sns:eu-west-1:${MASTER}:hammer-describe-cloudtrails-lambda`;
const BASE_CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };
const MEMBER_TRAIL_ARN = `arn:aws:cloudtrail:eu-west-1:${MEMBER}:trail/member-trail`;
const ORG_TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${MASTER}:trail/org-trail`;
const START = new Date('2026-11-26T15:00:00.000Z');

const memberTrailStatus: GetTrailStatusResponse = {
  IsLogging: true,
  LatestDeliveryError: 'AccessDenied',
  LatestDeliveryTime: new Date('2026-11-26T14:00:00.000Z'),
  LatestCloudWatchLogsDeliveryTime: new Date('2026-11-26T14:55:00.500Z'),
  StartLoggingTime: new Date('2026-01-02T03:04:05.000Z'),
};

function sampleState(): FakeAwsState {
  return {
    callerAccountId: MASTER,
    callerArn: `arn:aws:sts::${MASTER}:assumed-role/hammer-describe-cloudtrails/hammer-describe-cloudtrails`,
    accounts: {
      [MASTER]: {
        regions: ['eu-west-1', 'us-east-1'],
        roles: [ROLE],
        trails: [{
          trail: { Name: 'org-trail', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: true, S3BucketName: 'org-cloudtrail-logs', IncludeGlobalServiceEvents: true },
          status: { IsLogging: true },
        }],
      },
      [MEMBER]: {
        regions: ['eu-west-1', 'us-east-1', 'eu-south-1'],
        roles: [ROLE],
        organizationManagementAccount: MASTER,
        trails: [
          {
            trail: {
              Name: 'member-trail',
              HomeRegion: 'eu-west-1',
              IsMultiRegionTrail: true,
              S3BucketName: 'member-logs',
              CloudWatchLogsLogGroupArn: `arn:aws:logs:eu-west-1:${MEMBER}:log-group:cloudtrail:*`,
              IncludeGlobalServiceEvents: true,
              LogFileValidationEnabled: true,
            },
            status: memberTrailStatus,
            statusByRegion: { 'eu-south-1': { IsLogging: true, LatestCloudWatchLogsDeliveryError: 'CloudWatchLogsAccessDenied' } },
          },
          {
            trail: { Name: 'data-trail', HomeRegion: 'us-east-1', S3BucketName: 'data-logs' },
            status: { IsLogging: false },
            advancedEventSelectors: [{ Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
          },
        ],
      },
      [DENIED]: { regions: ['eu-west-1'], roles: [ROLE], denyAssumeRole: true },
      [NO_ROLE]: { regions: ['eu-west-1'] },
    },
  };
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
type SdkError = Error & { $metadata?: { httpStatusCode?: number } };

let fake: AwsWireFake;
let clock: Date;
let clients: Array<{ destroy(): void }> = [];

test.before.each(async () => {
  clock = START;
  fake = await startAwsWireFake(sampleState(), { now: () => clock });
});

test.after.each(async () => {
  for (const client of clients) client.destroy();
  clients = [];
  await fake.stop();
});

function track<T extends { destroy(): void }>(client: T): T {
  clients.push(client);
  return client;
}

function cloudTrail(region: string, credentials: Credentials = BASE_CREDENTIALS, maxAttempts = 3): CloudTrailClient {
  return track(new CloudTrailClient({ endpoint: fake.endpoint, region, credentials, maxAttempts }));
}

function sts(credentials: Credentials = BASE_CREDENTIALS): STSClient {
  return track(new STSClient({ endpoint: fake.endpoint, region: 'eu-west-1', credentials }));
}

function sns(region = 'eu-west-1', credentials: Credentials = BASE_CREDENTIALS): SNSClient {
  return track(new SNSClient({ endpoint: fake.endpoint, region, credentials }));
}

async function assumeRole(accountId: string, durationSeconds?: number): Promise<Credentials & { expiration: Date | undefined }> {
  const out = await sts().send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::${accountId}:role/${ROLE}`,
    RoleSessionName: 'hammer-identification',
    ...(durationSeconds === undefined ? {} : { DurationSeconds: durationSeconds }),
  }));
  const credentials = out.Credentials;
  if (credentials?.AccessKeyId === undefined || credentials.SecretAccessKey === undefined || credentials.SessionToken === undefined) {
    throw new Error('AssumeRole answered no credentials');
  }
  return { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken, expiration: credentials.Expiration };
}

async function failure(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (err: unknown) {
    assert.instance(err, Error);
    return err as SdkError;
  }
  throw new Error('expected the call to fail');
}

test('AssumeRole hands out per-account keys that expire DurationSeconds later, and calls made with them act in that account', async () => {
  const member = await assumeRole(MEMBER, 900);
  assert.match(member.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
  assert.equal(member.expiration, new Date('2026-11-26T15:15:00.000Z'));

  const identity = await sts(member).send(new GetCallerIdentityCommand({}));
  assert.is(identity.Account, MEMBER);
  assert.is(identity.Arn, `arn:aws:sts::${MEMBER}:assumed-role/${ROLE}/hammer-identification`);

  const trails = await cloudTrail('eu-west-1', member).send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  assert.equal(trails.trailList?.map((trail) => trail.TrailARN), [MEMBER_TRAIL_ARN, ORG_TRAIL_ARN]);
  const describe = fake.callsTo('cloudtrail', 'DescribeTrails');
  assert.equal(describe.map((call) => [call.accountId, call.region, call.accessKeyId]), [[MEMBER, 'eu-west-1', member.accessKeyId]]);
  assert.equal(describe[0]?.params, { includeShadowTrails: true });

  const [session] = fake.sessions();
  assert.is(session?.accountId, MEMBER);
  assert.is(session?.roleArn, `arn:aws:iam::${MEMBER}:role/${ROLE}`);
});

test('AssumeRole without DurationSeconds gives a one-hour session, and keys the fake did not hand out act in the caller account', async () => {
  const member = await assumeRole(MEMBER);
  assert.equal(member.expiration, new Date('2026-11-26T16:00:00.000Z'));
  const identity = await sts().send(new GetCallerIdentityCommand({}));
  assert.is(identity.Account, MASTER);
  assert.is(identity.Arn, `arn:aws:sts::${MASTER}:assumed-role/hammer-describe-cloudtrails/hammer-describe-cloudtrails`);
  const assume = fake.callsTo('sts', 'AssumeRole')[0];
  assert.is(assume?.accountId, MASTER);
  assert.is(assume?.params.RoleArn, `arn:aws:iam::${MEMBER}:role/${ROLE}`);
});

test('AssumeRole answers AccessDenied (403) for a denied account, a role that does not exist and an unknown account', async () => {
  for (const account of [DENIED, NO_ROLE, '999999999999']) {
    const err = await failure(assumeRole(account));
    assert.is(err.name, 'AccessDenied', account);
    assert.is(err.$metadata?.httpStatusCode, 403);
    assert.match(err.message, `is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${account}:role/${ROLE}`);
  }
  assert.is(fake.sessions().length, 0);
});

test('AssumeRole rejects a DurationSeconds over the role\'s one-hour maximum with ValidationError', async () => {
  const err = await failure(assumeRole(MEMBER, 7200));
  assert.is(err.name, 'ValidationError');
  assert.is(err.$metadata?.httpStatusCode, 400);
});

test('an assumed key is refused as expired once its session has ended, and as invalid without its session token', async () => {
  const member = await assumeRole(MEMBER, 900);
  await cloudTrail('eu-west-1', member).send(new DescribeTrailsCommand({}));

  const withoutToken = await failure(cloudTrail('eu-west-1', { accessKeyId: member.accessKeyId, secretAccessKey: member.secretAccessKey }, 1).send(new DescribeTrailsCommand({})));
  assert.is(withoutToken.name, 'UnrecognizedClientException');

  clock = new Date('2026-11-26T15:15:00.000Z');
  const expired = await failure(cloudTrail('eu-west-1', member, 1).send(new DescribeTrailsCommand({})));
  assert.is(expired.name, 'ExpiredTokenException');
  assert.is(expired.$metadata?.httpStatusCode, 400);
});

test('DescribeTrails shows multi-region trails as shadows in every region and organization trails in member accounts', async () => {
  const member = await assumeRole(MEMBER);
  const inUsEast = await cloudTrail('us-east-1', member).send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  assert.equal(inUsEast.trailList, [
    {
      Name: 'member-trail',
      HomeRegion: 'eu-west-1',
      IsMultiRegionTrail: true,
      S3BucketName: 'member-logs',
      CloudWatchLogsLogGroupArn: `arn:aws:logs:eu-west-1:${MEMBER}:log-group:cloudtrail:*`,
      IncludeGlobalServiceEvents: true,
      LogFileValidationEnabled: true,
      TrailARN: MEMBER_TRAIL_ARN,
      HasCustomEventSelectors: false,
    },
    {
      Name: 'data-trail',
      HomeRegion: 'us-east-1',
      S3BucketName: 'data-logs',
      TrailARN: `arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/data-trail`,
      HasCustomEventSelectors: true,
    },
    {
      Name: 'org-trail',
      HomeRegion: 'us-east-1',
      IsMultiRegionTrail: true,
      IsOrganizationTrail: true,
      S3BucketName: 'org-cloudtrail-logs',
      IncludeGlobalServiceEvents: true,
      TrailARN: ORG_TRAIL_ARN,
      HasCustomEventSelectors: false,
    },
  ]);

  const ownOnly = await cloudTrail('us-east-1', member).send(new DescribeTrailsCommand({ includeShadowTrails: false }));
  assert.equal(ownOnly.trailList?.map((trail) => trail.Name), ['data-trail']);

  const inEuSouth = await cloudTrail('eu-south-1', member).send(new DescribeTrailsCommand({}));
  assert.equal(inEuSouth.trailList?.map((trail) => trail.TrailARN), [MEMBER_TRAIL_ARN, ORG_TRAIL_ARN], 'includeShadowTrails defaults to true');

  const byName = await cloudTrail('us-east-1', member).send(new DescribeTrailsCommand({ trailNameList: ['data-trail', 'member-trail', ORG_TRAIL_ARN] }));
  assert.equal(byName.trailList?.map((trail) => trail.Name), ['data-trail', 'org-trail'], 'a shadow trail is found by its ARN only');
});

test('GetTrailStatus reads a shadow trail by ARN, not by name, outside its home region', async () => {
  const member = await assumeRole(MEMBER);
  const client = cloudTrail('us-east-1', member);
  const byName = await failure(client.send(new GetTrailStatusCommand({ Name: 'member-trail' })));
  assert.is(byName.name, 'TrailNotFoundException');
  assert.is(byName.$metadata?.httpStatusCode, 400);
  assert.is(byName.message, `Unknown trail: member-trail for the user: ${MEMBER}`);

  const { $metadata, ...byArn } = await client.send(new GetTrailStatusCommand({ Name: MEMBER_TRAIL_ARN }));
  assert.is($metadata.httpStatusCode, 200);
  assert.equal(byArn, memberTrailStatus);

  const home = await cloudTrail('eu-west-1', member).send(new GetTrailStatusCommand({ Name: 'member-trail' }));
  assert.is(home.LatestDeliveryError, 'AccessDenied');
  assert.equal(home.LatestDeliveryTime, new Date('2026-11-26T14:00:00.000Z'));

  const unknown = await failure(client.send(new GetTrailStatusCommand({ Name: `arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/gone` })));
  assert.is(unknown.name, 'TrailNotFoundException');
});

test('GetTrailStatus answers the status of the region it is called in', async () => {
  const member = await assumeRole(MEMBER);
  const { $metadata, ...status } = await cloudTrail('eu-south-1', member).send(new GetTrailStatusCommand({ Name: MEMBER_TRAIL_ARN }));
  assert.is($metadata.httpStatusCode, 200);
  assert.equal(status, { IsLogging: true, LatestCloudWatchLogsDeliveryError: 'CloudWatchLogsAccessDenied' });
});

test('CloudTrail timestamps go on the wire as epoch seconds and errors as {"__type", "message"}', async () => {
  // The long X-Amz-Target form of the service documentation; the SDK sends `CloudTrail_20131101.<Op>`.
  const headers = (operation: string): Record<string, string> => ({
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.${operation}`,
    authorization: `AWS4-HMAC-SHA256 Credential=${BASE_CREDENTIALS.accessKeyId}/20261126/us-east-1/cloudtrail/aws4_request, SignedHeaders=host, Signature=0`,
  });
  fake.state.accounts[MASTER]?.trails?.push({
    trail: { Name: 'timed-trail', HomeRegion: 'us-east-1' },
    status: { IsLogging: true, LatestDeliveryTime: new Date('2026-11-26T14:00:00.250Z') },
  });
  const ok = await fetch(fake.endpoint, { method: 'POST', headers: headers('GetTrailStatus'), body: JSON.stringify({ Name: 'timed-trail' }) });
  assert.is(ok.status, 200);
  assert.is(await ok.text(), JSON.stringify({ IsLogging: true, LatestDeliveryTime: 1795701600.25 }));

  const missing = await fetch(fake.endpoint, { method: 'POST', headers: headers('GetTrailStatus'), body: JSON.stringify({ Name: 'nope-trail' }) });
  assert.is(missing.status, 400);
  assert.equal(await missing.json(), { __type: 'TrailNotFoundException', message: `Unknown trail: nope-trail for the user: ${MASTER}` });
});

test('GetEventSelectors answers advanced selectors for a trail that uses them and the default selector otherwise', async () => {
  const member = await assumeRole(MEMBER);
  const advanced = await cloudTrail('us-east-1', member).send(new GetEventSelectorsCommand({ TrailName: `arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/data-trail` }));
  assert.is(advanced.EventSelectors, undefined);
  assert.equal(advanced.AdvancedEventSelectors, [{ Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }]);

  const basic = await cloudTrail('us-east-1', member).send(new GetEventSelectorsCommand({ TrailName: MEMBER_TRAIL_ARN }));
  assert.is(basic.TrailARN, MEMBER_TRAIL_ARN);
  assert.equal(basic.EventSelectors, [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }]);
  assert.is(basic.AdvancedEventSelectors, undefined);
});

test('GetEventSelectors fills basic selectors in as AWS keeps them, and DescribeTrails sets HasCustomEventSelectors as AWS does', async () => {
  const master = fake.state.accounts[MASTER];
  const orgTrail = master?.trails?.[0];
  assert.ok(orgTrail);
  orgTrail.eventSelectors = [{ ReadWriteType: 'WriteOnly' }, { IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }];
  const answer = await cloudTrail('us-east-1').send(new GetEventSelectorsCommand({ TrailName: ORG_TRAIL_ARN }));
  assert.equal(answer.EventSelectors, [
    { ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] },
    { ReadWriteType: 'All', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }], ExcludeManagementEventSources: [] },
  ]);
  assert.is(answer.AdvancedEventSelectors, undefined);
  const member = await assumeRole(MEMBER);
  const seenByMember = await cloudTrail('eu-west-1', member).send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  assert.equal(seenByMember.trailList?.map((trail) => [trail.Name, trail.HasCustomEventSelectors]), [['member-trail', false], ['org-trail', true]], 'a member sees the organization trail\'s flag');
  const selectorsSeenByMember = await cloudTrail('us-east-1', member).send(new GetEventSelectorsCommand({ TrailName: ORG_TRAIL_ARN }));
  assert.equal(selectorsSeenByMember.EventSelectors, answer.EventSelectors, 'by ARN, unless an injected error says otherwise');
});

test('a world AWS could not hold fails loudly: selectors PutEventSelectors refuses, or a flag that contradicts them', async () => {
  const broken = (change: (state: FakeAwsState) => void): FakeAwsState => {
    const state = sampleState();
    change(state);
    return state;
  };
  const orgTrail = (state: FakeAwsState) => state.accounts[MASTER]?.trails?.[0] as NonNullable<NonNullable<FakeAwsState['accounts'][string]['trails']>[number]>;
  const refused: Array<[string, FakeAwsState]> = [
    ['basic exclusion of cloudtrail.amazonaws.com', broken((state) => { orgTrail(state).eventSelectors = [{ ExcludeManagementEventSources: ['cloudtrail.amazonaws.com'] }]; })],
    ['both kinds', broken((state) => { orgTrail(state).eventSelectors = [{}]; orgTrail(state).advancedEventSelectors = [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }]; })],
    ['no eventCategory', broken((state) => { orgTrail(state).advancedEventSelectors = [{ FieldSelectors: [{ Field: 'readOnly', Equals: ['true'] }] }]; })],
    ['management eventSource other than kms/rdsdata', broken((state) => { orgTrail(state).advancedEventSelectors = [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventSource', NotEquals: ['cloudtrail.amazonaws.com'] }] }]; })],
    ['management eventName', broken((state) => { orgTrail(state).advancedEventSelectors = [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventName', NotEquals: ['StopLogging'] }] }]; })],
    ['readOnly NotEquals', broken((state) => { orgTrail(state).advancedEventSelectors = [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', NotEquals: ['true'] }] }]; })],
    ['HasCustomEventSelectors true without selectors', broken((state) => { orgTrail(state).trail.HasCustomEventSelectors = true; })],
  ];
  for (const [why, state] of refused) {
    let error: unknown;
    try {
      const started = await startAwsWireFake(state);
      await started.stop();
    } catch (err: unknown) {
      error = err;
    }
    assert.instance(error, Error, why);
    assert.match((error as Error).message, /fake AWS world/, why);
  }
  const accepted = broken((state) => {
    orgTrail(state).advancedEventSelectors = [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] }] }];
  });
  await (await startAwsWireFake(accepted)).stop();
});

test('an injected AccessDeniedException hits only the account, region and trail it names', async () => {
  fake.inject({ service: 'cloudtrail', operation: 'GetTrailStatus', accountId: MEMBER, trail: ORG_TRAIL_ARN, code: 'AccessDeniedException', message: 'member accounts cannot read organization trail status' });
  const member = await assumeRole(MEMBER);
  const denied = await failure(cloudTrail('eu-west-1', member).send(new GetTrailStatusCommand({ Name: ORG_TRAIL_ARN })));
  assert.is(denied.name, 'AccessDeniedException');
  assert.is(denied.message, 'member accounts cannot read organization trail status');
  assert.is(denied.$metadata?.httpStatusCode, 400);

  const ownTrail = await cloudTrail('eu-west-1', member).send(new GetTrailStatusCommand({ Name: MEMBER_TRAIL_ARN }));
  assert.is(ownTrail.IsLogging, true);
  const master = await cloudTrail('us-east-1').send(new GetTrailStatusCommand({ Name: 'org-trail' }));
  assert.is(master.IsLogging, true);
  assert.equal(fake.callsTo('cloudtrail', 'GetTrailStatus').map((call) => call.errorCode), ['AccessDeniedException', undefined, undefined]);
});

test('a ThrottlingException injected twice is retried by the SDK and then succeeds', async () => {
  fake.inject({ service: 'cloudtrail', operation: 'DescribeTrails', accountId: MASTER, region: 'us-east-1', code: 'ThrottlingException', message: 'Rate exceeded', times: 2 });
  const out = await cloudTrail('us-east-1').send(new DescribeTrailsCommand({}));
  assert.is(out.$metadata.attempts, 3);
  assert.equal(out.trailList?.map((trail) => trail.Name), ['org-trail']);
  assert.equal(fake.callsTo('cloudtrail', 'DescribeTrails').map((call) => [call.httpStatus, call.errorCode]), [[400, 'ThrottlingException'], [400, 'ThrottlingException'], [200, undefined]]);
});

test('a ThrottlingException injected more often than the SDK retries reaches the caller', async () => {
  fake.inject({ service: 'cloudtrail', operation: 'DescribeTrails', code: 'ThrottlingException', times: 2 });
  const err = await failure(cloudTrail('us-east-1', BASE_CREDENTIALS, 2).send(new DescribeTrailsCommand({})));
  assert.is(err.name, 'ThrottlingException');
  const after = await cloudTrail('us-east-1', BASE_CREDENTIALS, 1).send(new DescribeTrailsCommand({}));
  assert.is(after.trailList?.length, 1, 'the injection is used up');
});

test('a region not enabled in the account answers UnrecognizedClientException', async () => {
  const err = await failure(cloudTrail('eu-south-1', BASE_CREDENTIALS, 1).send(new DescribeTrailsCommand({})));
  assert.is(err.name, 'UnrecognizedClientException');
  assert.is(err.$metadata?.httpStatusCode, 400);
  assert.equal(fake.calls.map((call) => [call.accountId, call.region, call.errorCode]), [[MASTER, 'eu-south-1', 'UnrecognizedClientException']]);
});

test('the CloudTrail rate limit throttles calls past the limit per account and region, and maxCallsPerSecond reports the peak', async () => {
  await fake.stop();
  fake = await startAwsWireFake(sampleState(), { now: () => clock, cloudTrailCallsPerSecond: 2 });
  const inUsEast = cloudTrail('us-east-1', BASE_CREDENTIALS, 1);
  const outcomes = await Promise.allSettled([1, 2, 3].map(() => inUsEast.send(new DescribeTrailsCommand({}))));
  assert.equal(outcomes.map((outcome) => outcome.status).sort(), ['fulfilled', 'fulfilled', 'rejected']);
  const rejected = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  assert.is((rejected?.reason as Error).name, 'ThrottlingException');
  await cloudTrail('eu-west-1', BASE_CREDENTIALS, 1).send(new DescribeTrailsCommand({}));

  clock = new Date(START.getTime() + 1000);
  await inUsEast.send(new DescribeTrailsCommand({}));
  assert.equal(fake.maxCallsPerSecond('cloudtrail'), { [`${MASTER}/us-east-1`]: 3, [`${MASTER}/eu-west-1`]: 1 });
  assert.equal(fake.maxCallsPerSecond('cloudtrail', 'GetTrailStatus'), {});
});

test('latencyMs holds each answer back for the latency of its call, and the rate limit still counts arrivals', async () => {
  await fake.stop();
  const waits: Array<{ ms: number; release: () => void }> = [];
  fake = await startAwsWireFake(sampleState(), {
    now: () => clock,
    cloudTrailCallsPerSecond: 1,
    latencyMs: (call) => (call.service === 'cloudtrail' ? 80 : 5),
    sleep: (ms) => new Promise<void>((resolve) => waits.push({ ms, release: resolve })),
  });
  const waitingFor = async (count: number): Promise<void> => {
    for (let turn = 0; waits.length < count && turn < 1000; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    assert.is(waits.length, count, 'the fake waits before answering');
  };
  let answered = false;
  const described = cloudTrail('eu-west-1', BASE_CREDENTIALS, 1).send(new DescribeTrailsCommand({})).then((output) => {
    answered = true;
    return output;
  });
  await waitingFor(1);
  assert.is(waits[0]?.ms, 80);
  assert.is(answered, false, 'no answer before the latency has passed');
  assert.is(fake.calls.length, 1, 'the call is recorded on arrival');
  const throttled = failure(cloudTrail('eu-west-1', BASE_CREDENTIALS, 1).send(new DescribeTrailsCommand({})));
  await waitingFor(2);
  waits[1]?.release();
  assert.is((await throttled).name, 'ThrottlingException', 'the first call, still unanswered, counts against the rate limit');
  waits[0]?.release();
  assert.is((await described).trailList?.length, 1);

  const identity = sts().send(new GetCallerIdentityCommand({}));
  await waitingFor(3);
  assert.is(waits[2]?.ms, 5);
  waits[2]?.release();
  assert.is((await identity).Account, MASTER);
});

test('Publish and PublishBatch keep every message per topic, with attributes and entry ids', async () => {
  const client = sns();
  const single = await client.send(new PublishCommand({ TopicArn: TOPIC, Message: '{"account_id":"222222222222"}', Subject: 'scan' }));
  const batch = await client.send(new PublishBatchCommand({
    TopicArn: TOPIC,
    PublishBatchRequestEntries: [
      { Id: 'a-eu-west-1', Message: '{"region":"eu-west-1"}', MessageAttributes: { account_id: { DataType: 'String', StringValue: MEMBER } } },
      { Id: 'a-us-east-1', Message: '{"region":"us-east-1"}' },
    ],
  }));
  assert.is(batch.Failed?.length ?? 0, 0);
  assert.equal(batch.Successful?.map((entry) => entry.Id), ['a-eu-west-1', 'a-us-east-1']);

  const messages = fake.published(TOPIC);
  assert.equal(messages.map((message) => [message.via, message.batchEntryId, message.message]), [
    ['Publish', undefined, '{"account_id":"222222222222"}'],
    ['PublishBatch', 'a-eu-west-1', '{"region":"eu-west-1"}'],
    ['PublishBatch', 'a-us-east-1', '{"region":"us-east-1"}'],
  ]);
  assert.is(messages[0]?.messageId, single.MessageId);
  assert.is(messages[0]?.subject, 'scan');
  assert.equal(messages[1]?.messageAttributes, { account_id: { DataType: 'String', StringValue: MEMBER } });
  assert.equal(batch.Successful?.map((entry) => entry.MessageId), [messages[1]?.messageId, messages[2]?.messageId]);
  assert.equal(messages.map((message) => [message.accountId, message.region]), [[MASTER, 'eu-west-1'], [MASTER, 'eu-west-1'], [MASTER, 'eu-west-1']]);
  assert.equal(fake.callsTo('sns', 'PublishBatch')[0]?.params['PublishBatchRequestEntries.member.2.Id'], 'a-us-east-1');

  assert.is(fake.takePublished(TOPIC).length, 3);
  await client.send(new PublishCommand({ TopicArn: TOPIC, Message: 'later' }));
  assert.equal(fake.takePublished(TOPIC).map((message) => message.message), ['later']);
  assert.is(fake.published(TOPIC).length, 4);
});

test('PublishBatch reports injected entry failures in Failed and does not keep those messages', async () => {
  fake.failBatchEntries(1, { code: 'InternalError', message: 'try again' });
  const out = await sns().send(new PublishBatchCommand({
    TopicArn: TOPIC,
    PublishBatchRequestEntries: [{ Id: 'first', Message: 'one' }, { Id: 'second', Message: 'two' }],
  }));
  assert.equal(out.Failed, [{ Id: 'first', Code: 'InternalError', Message: 'try again', SenderFault: false }]);
  assert.equal(out.Successful?.map((entry) => entry.Id), ['second']);
  assert.equal(fake.published(TOPIC).map((message) => message.message), ['two']);
});

test('PublishBatch refuses more than ten entries and repeated ids as SNS does', async () => {
  const entries = Array.from({ length: 11 }, (_, index) => ({ Id: `entry-${index}`, Message: `message ${index}` }));
  const tooMany = await failure(sns().send(new PublishBatchCommand({ TopicArn: TOPIC, PublishBatchRequestEntries: entries })));
  assert.is(tooMany.name, 'TooManyEntriesInBatchRequestException');
  const repeated = await failure(sns().send(new PublishBatchCommand({ TopicArn: TOPIC, PublishBatchRequestEntries: [{ Id: 'same', Message: 'a' }, { Id: 'same', Message: 'b' }] })));
  assert.is(repeated.name, 'BatchEntryIdsNotDistinctException');
  assert.is(fake.published(TOPIC).length, 0);
});

test('SNS refuses a topic of another region or another account, and an injected error on Publish', async () => {
  const wrongRegion = await failure(sns('us-east-1').send(new PublishCommand({ TopicArn: TOPIC, Message: 'x' })));
  assert.is(wrongRegion.name, 'InvalidParameterException');
  const member = await assumeRole(MEMBER);
  const otherAccount = await failure(sns('eu-west-1', member).send(new PublishCommand({ TopicArn: TOPIC, Message: 'x' })));
  assert.is(otherAccount.name, 'AuthorizationErrorException');
  assert.is((otherAccount as SdkError & { Code?: string }).Code, 'AuthorizationError', 'the wire code, as the SDK keeps it beside the exception name');
  assert.is(otherAccount.$metadata?.httpStatusCode, 403);

  fake.inject({ service: 'sns', operation: 'Publish', topicArn: TOPIC, code: 'InternalError', times: 1 });
  const out = await sns().send(new PublishCommand({ TopicArn: TOPIC, Message: 'retried' }));
  assert.is(out.$metadata.attempts, 2, 'the SDK retried the 500');
  assert.equal(fake.published(TOPIC).map((message) => message.message), ['retried']);
});

test('EC2 DescribeRegions lists the regions enabled in the caller\'s account, and every region with AllRegions', async () => {
  const member = await assumeRole(MEMBER);
  const ec2 = track(new EC2Client({ endpoint: fake.endpoint, region: 'eu-west-1', credentials: member }));
  const enabled = await ec2.send(new DescribeRegionsCommand({}));
  assert.equal(enabled.Regions?.map((region) => [region.RegionName, region.OptInStatus]), [
    ['us-east-1', 'opt-in-not-required'],
    ['eu-west-1', 'opt-in-not-required'],
    ['eu-south-1', 'opted-in'],
  ]);
  const all = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
  assert.ok((all.Regions?.length ?? 0) > 20);
  assert.equal(all.Regions?.find((region) => region.RegionName === 'af-south-1'), { RegionName: 'af-south-1', Endpoint: 'ec2.af-south-1.amazonaws.com', OptInStatus: 'not-opted-in' });
  const named = await ec2.send(new DescribeRegionsCommand({ RegionNames: ['eu-south-1', 'us-east-1'] }));
  assert.equal(named.Regions?.map((region) => region.RegionName), ['us-east-1', 'eu-south-1']);
  assert.equal(fake.callsTo('ec2').map((call) => [call.accountId, call.params.Version]), [[MEMBER, '2016-11-15'], [MEMBER, '2016-11-15'], [MEMBER, '2016-11-15']]);
});

test('the STS error document is the query protocol\'s ErrorResponse with HTTP 403', async () => {
  const body = new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', RoleArn: `arn:aws:iam::${DENIED}:role/${ROLE}`, RoleSessionName: 'raw' });
  const response = await fetch(fake.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=${BASE_CREDENTIALS.accessKeyId}/20261126/eu-west-1/sts/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: body.toString(),
  });
  assert.is(response.status, 403);
  const text = await response.text();
  assert.match(text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>AccessDenied<\/Code><Message>User: arn:aws:sts::111111111111:assumed-role\/hammer-describe-cloudtrails\/hammer-describe-cloudtrails is not authorized/);
  assert.match(text, /<\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
});

test('AWS_ENDPOINT_URL_<SERVICE> routes clients without an endpoint option to the fake', async () => {
  const saved = Object.fromEntries(Object.keys(fake.endpointEnv).map((name) => [name, process.env[name]]));
  Object.assign(process.env, fake.endpointEnv);
  try {
    const options = { region: 'eu-west-1', credentials: BASE_CREDENTIALS, maxAttempts: 1 };
    await track(new CloudTrailClient(options)).send(new DescribeTrailsCommand({}));
    await track(new STSClient(options)).send(new GetCallerIdentityCommand({}));
    await track(new SNSClient(options)).send(new PublishCommand({ TopicArn: TOPIC, Message: 'through the environment' }));
    await track(new EC2Client(options)).send(new DescribeRegionsCommand({}));
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  assert.equal(fake.calls.map((call) => [call.service, call.operation, call.httpStatus]), [
    ['cloudtrail', 'DescribeTrails', 200],
    ['sts', 'GetCallerIdentity', 200],
    ['sns', 'Publish', 200],
    ['ec2', 'DescribeRegions', 200],
  ]);
});

test('snsEventFor builds the SNS event Lambda receives for a published message', async () => {
  await sns().send(new PublishCommand({ TopicArn: TOPIC, Message: '{"account_id":"222222222222","regions":["eu-west-1"]}' }));
  const [message] = fake.published(TOPIC);
  if (!message) throw new Error('nothing published');
  const event = snsEventFor(message);
  assert.is(event.Records.length, 1);
  assert.is(event.Records[0]?.EventSource, 'aws:sns');
  assert.is(event.Records[0]?.Sns.Message, '{"account_id":"222222222222","regions":["eu-west-1"]}');
  assert.is(event.Records[0]?.Sns.TopicArn, TOPIC);
  assert.is(event.Records[0]?.Sns.MessageId, message.messageId);
  assert.is(event.Records[0]?.Sns.Timestamp, START.toISOString());
});

test.run();
