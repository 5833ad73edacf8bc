/**
 * StartLogging in the AWS wire fake, as CloudTrail answers it: the owner
 * starts its trail in the trail's home region; a member account cannot start
 * its organization's trail; a shadow outside the home region is refused; a
 * role may only do what its policy lists.
 */
import { CloudTrailClient, GetTrailStatusCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startAwsWireFake, type AwsWireFake, type FakeAwsState } from '../../fakes/awsWireFake.ts';

const test = suite('awsWireFake StartLogging');

const MASTER = '111111111111';
const MEMBER = '222222222222';
const READER = 'hammer-cloudsec-crossact-id';
const REMEDIATOR = 'hammer-cloudsec-crossact-ec2';
const ORG_TRAIL = `arn:aws:cloudtrail:us-east-1:${MASTER}:trail/org-trail`;
const MEMBER_TRAIL = `arn:aws:cloudtrail:eu-west-1:${MEMBER}:trail/member-trail`;
const NOW = new Date('2026-11-26T15:00:00.000Z');
const BASE_CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };

function world(): FakeAwsState {
  return {
    callerAccountId: MASTER,
    accounts: {
      [MASTER]: {
        regions: ['eu-west-1', 'us-east-1'],
        trails: [{ trail: { Name: 'org-trail', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: true }, status: { IsLogging: false } }],
      },
      [MEMBER]: {
        regions: ['eu-west-1', 'us-east-1'],
        roles: [READER, REMEDIATOR],
        roleActions: {
          [READER]: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'],
          [REMEDIATOR]: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors', 'cloudtrail:StartLogging'],
        },
        organizationManagementAccount: MASTER,
        trails: [{ trail: { Name: 'member-trail', HomeRegion: 'eu-west-1', IsMultiRegionTrail: true }, status: { IsLogging: false, StopLoggingTime: new Date('2026-11-01T00:00:00.000Z') } }],
      },
    },
  };
}

let aws: AwsWireFake;

test.before.each(async () => {
  aws = await startAwsWireFake(world(), { now: () => NOW });
});

test.after.each(async () => {
  await aws.stop();
});

async function cloudTrailAs(role: string, region: string): Promise<CloudTrailClient> {
  const sts = new STSClient({ region: 'eu-west-1', endpoint: aws.endpoint, credentials: BASE_CREDENTIALS });
  const answer = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/${role}`, RoleSessionName: 'test' }));
  sts.destroy();
  const issued = answer.Credentials;
  if (issued?.AccessKeyId === undefined || issued.SecretAccessKey === undefined) throw new Error('no credentials');
  return new CloudTrailClient({ region, endpoint: aws.endpoint, maxAttempts: 1, credentials: { accessKeyId: issued.AccessKeyId, secretAccessKey: issued.SecretAccessKey, sessionToken: issued.SessionToken } });
}

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (err: unknown) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('expected the call to fail');
}

test('the owner starts its trail by ARN in the home region: logging, with StartLoggingTime from the fake\'s clock', async () => {
  const client = await cloudTrailAs(REMEDIATOR, 'eu-west-1');
  await client.send(new StartLoggingCommand({ Name: MEMBER_TRAIL }));
  const status = await client.send(new GetTrailStatusCommand({ Name: MEMBER_TRAIL }));
  assert.is(status.IsLogging, true);
  assert.equal(status.StartLoggingTime, NOW);
  assert.is(aws.callsTo('cloudtrail', 'StartLogging')[0]?.httpStatus, 200);
  client.destroy();
});

test('a member cannot start its organization\'s trail: TrailNotFoundException, and the trail stays stopped', async () => {
  const client = await cloudTrailAs(REMEDIATOR, 'us-east-1');
  const err = await errorOf(client.send(new StartLoggingCommand({ Name: ORG_TRAIL })));
  assert.is(err.name, 'TrailNotFoundException');
  assert.match(err.message, `Unknown trail: ${ORG_TRAIL} for the user: ${MEMBER}`);
  assert.is(aws.state.accounts[MASTER]?.trails?.[0]?.status?.IsLogging, false);
  client.destroy();
});

test('a multi-region trail started from another region than its home: InvalidHomeRegionException', async () => {
  const client = await cloudTrailAs(REMEDIATOR, 'us-east-1');
  const err = await errorOf(client.send(new StartLoggingCommand({ Name: MEMBER_TRAIL })));
  assert.is(err.name, 'InvalidHomeRegionException');
  assert.is(aws.state.accounts[MEMBER]?.trails?.[0]?.status?.IsLogging, false);
  client.destroy();
});

test('a role whose policy lacks cloudtrail:StartLogging is denied it (AccessDeniedException naming the action), and may still read', async () => {
  const client = await cloudTrailAs(READER, 'eu-west-1');
  const err = await errorOf(client.send(new StartLoggingCommand({ Name: MEMBER_TRAIL })));
  assert.is(err.name, 'AccessDeniedException');
  assert.match(err.message, `assumed-role/${READER}/test is not authorized to perform: cloudtrail:StartLogging on resource: ${MEMBER_TRAIL}`);
  assert.is((await client.send(new GetTrailStatusCommand({ Name: MEMBER_TRAIL }))).IsLogging, false);
  client.destroy();
});

test.run();
