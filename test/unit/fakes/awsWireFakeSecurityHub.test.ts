/**
 * Security Hub's BatchImportFindings in the AWS wire fake, through the real
 * SDK client (REST-JSON): what it records, what it refuses per finding, and
 * the whole-call answers.
 */
import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startAwsWireFake, type AwsWireFake, type FakeAwsState } from '../../fakes/awsWireFake.ts';

const test = suite('awsWireFake Security Hub');

const MASTER = '111111111111';
const MEMBER = '222222222222';
const ROLE = 'hammer-cloudsec-crossact-id';
const BASE_CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };

function state(): FakeAwsState {
  return {
    callerAccountId: MASTER,
    accounts: {
      [MASTER]: { regions: ['eu-west-1', 'us-east-1'], roles: [ROLE], securityHubRegions: ['eu-west-1'] },
      [MEMBER]: { regions: ['eu-west-1', 'us-east-1'], roles: [ROLE], securityHubRegions: ['eu-west-1'] },
    },
  };
}

function finding(accountId: string, region: string, overrides: Partial<AwsSecurityFinding> = {}): AwsSecurityFinding {
  return {
    SchemaVersion: '2018-10-08',
    Id: `hammer-cloudtrails/${accountId}/${region}/cloudtrail-logging`,
    ProductArn: `arn:aws:securityhub:${region}:${accountId}:product/${accountId}/default`,
    GeneratorId: 'hammer-cloudtrails/cloudtrail-logging',
    AwsAccountId: accountId,
    CreatedAt: '2026-11-26T14:00:00.000Z',
    UpdatedAt: '2026-11-26T15:00:00.000Z',
    Title: 'Disabled CloudTrail',
    Description: 'No enabled CloudTrails for region available.',
    Resources: [{ Type: 'AwsAccount', Id: `AWS::::Account:${accountId}`, Partition: 'aws', Region: region }],
    Compliance: { Status: 'FAILED' },
    RecordState: 'ACTIVE',
    FindingProviderFields: { Severity: { Label: 'HIGH', Original: 'CloudTrail disabled' }, Types: ['Software and Configuration Checks/AWS Security Best Practices'] },
    ...overrides,
  };
}

let aws: AwsWireFake;

test.before.each(async () => {
  aws = await startAwsWireFake(state());
});

test.after.each(async () => {
  await aws.stop();
});

function client(region: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = BASE_CREDENTIALS): SecurityHubClient {
  return new SecurityHubClient({ region, endpoint: aws.endpoint, credentials, maxAttempts: 1 });
}

async function memberCredentials(): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken: string }> {
  const sts = new STSClient({ region: 'eu-west-1', endpoint: aws.endpoint, credentials: BASE_CREDENTIALS });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/${ROLE}`, RoleSessionName: 'test' }));
  return { accessKeyId: out.Credentials?.AccessKeyId ?? '', secretAccessKey: out.Credentials?.SecretAccessKey ?? '', sessionToken: out.Credentials?.SessionToken ?? '' };
}

test('records a finding a member account imports with its assumed role, on POST /findings/import in that account and region', async () => {
  const out = await client('eu-west-1', await memberCredentials()).send(new BatchImportFindingsCommand({ Findings: [finding(MEMBER, 'eu-west-1')] }));
  assert.equal([out.SuccessCount, out.FailedCount, out.FailedFindings], [1, 0, []]);
  const [call] = aws.callsTo('securityhub', 'BatchImportFindings');
  assert.equal([call?.accountId, call?.region, call?.httpStatus], [MEMBER, 'eu-west-1', 200]);
  const stored = aws.securityHubFindings(MEMBER);
  assert.is(stored.length, 1);
  assert.is(stored[0]?.workflowStatus, 'NEW');
  assert.equal(stored[0]?.finding.Severity, { Label: 'HIGH', Original: 'CloudTrail disabled' }, 'the top-level severity follows FindingProviderFields');
  assert.equal(aws.securityHubImports().map((entry) => [entry.accountId, entry.findings.length]), [[MEMBER, 1]]);
});

test('answers InvalidAccessException "not subscribed" (401) where Security Hub is not enabled, and stores nothing', async () => {
  const err = await client('us-east-1').send(new BatchImportFindingsCommand({ Findings: [finding(MASTER, 'us-east-1')] })).then(() => undefined, (caught: unknown) => caught);
  assert.instance(err, Error);
  assert.is((err as Error).name, 'InvalidAccessException');
  assert.match((err as Error).message, `Account ${MASTER} is not subscribed to AWS Security Hub`);
  assert.is((err as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 401);
  assert.is(aws.securityHubFindings().length, 0);
});

test('lists a finding about another account, or with a bad shape, in FailedFindings and takes the others', async () => {
  const out = await client('eu-west-1').send(new BatchImportFindingsCommand({
    Findings: [
      finding(MEMBER, 'eu-west-1', { ProductArn: `arn:aws:securityhub:eu-west-1:${MASTER}:product/${MASTER}/default` }),
      finding(MASTER, 'eu-west-1', { Id: 'no-severity', FindingProviderFields: { Types: ['Software and Configuration Checks'] } }),
      finding(MASTER, 'eu-west-1', { Id: 'wrong-region', ProductArn: `arn:aws:securityhub:us-east-1:${MASTER}:product/${MASTER}/default` }),
      finding(MASTER, 'eu-west-1', { Id: 'long', Description: 'x'.repeat(1025) }),
      finding(MASTER, 'eu-west-1'),
    ],
  }));
  assert.is(out.SuccessCount, 1);
  assert.equal(out.FailedFindings?.map((failure) => [failure.Id, failure.ErrorCode]), [
    [`hammer-cloudtrails/${MEMBER}/eu-west-1/cloudtrail-logging`, 'AccessDeniedException'],
    ['no-severity', 'InvalidInput'],
    ['wrong-region', 'AccessDeniedException'],
    ['long', 'InvalidInput'],
  ]);
  assert.equal(aws.securityHubFindings().map((stored) => stored.finding.Id), [`hammer-cloudtrails/${MASTER}/eu-west-1/cloudtrail-logging`]);
});

test('fails the next findings it is told to, in FailedFindings with the code given', async () => {
  aws.failFindings(1, { code: 'InternalException', message: 'try again' });
  const out = await client('eu-west-1').send(new BatchImportFindingsCommand({ Findings: [finding(MASTER, 'eu-west-1', { Id: 'a' }), finding(MASTER, 'eu-west-1', { Id: 'b' })] }));
  assert.equal(out.FailedFindings, [{ Id: 'a', ErrorCode: 'InternalException', ErrorMessage: 'try again' }]);
  assert.equal(aws.securityHubFindings().map((stored) => stored.finding.Id), ['b']);
});

test('refuses more than 100 findings in one call with InvalidInputException', async () => {
  const findings = Array.from({ length: 101 }, (_, index) => finding(MASTER, 'eu-west-1', { Id: `f-${index}` }));
  const err = await client('eu-west-1').send(new BatchImportFindingsCommand({ Findings: findings })).then(() => undefined, (caught: unknown) => caught);
  assert.is((err as Error | undefined)?.name, 'InvalidInputException');
});

test('updates a finding only with a later UpdatedAt, ignores Workflow on an update, and reopening resets RESOLVED to NEW but not SUPPRESSED', async () => {
  const hub = client('eu-west-1');
  const send = (overrides: Partial<AwsSecurityFinding>) => hub.send(new BatchImportFindingsCommand({ Findings: [finding(MASTER, 'eu-west-1', overrides)] }));
  await send({});
  await send({ UpdatedAt: '2026-11-26T15:00:00.000Z', Title: 'same time' });
  const [stored] = aws.securityHubFindings();
  assert.is(stored?.finding.Title, 'Disabled CloudTrail', 'an update that is not later is ignored');
  assert.equal(stored?.history.map((entry) => entry.outcome), ['created', 'ignored']);

  await send({ UpdatedAt: '2026-11-26T16:00:00.000Z', RecordState: 'ARCHIVED', Compliance: { Status: 'PASSED' }, Workflow: { Status: 'SUPPRESSED' } });
  assert.is(aws.securityHubFindings()[0]?.workflowStatus, 'NEW', 'Workflow on an existing finding is ignored');
  aws.setWorkflowStatus(`hammer-cloudtrails/${MASTER}/eu-west-1/cloudtrail-logging`, 'RESOLVED');
  await send({ UpdatedAt: '2026-11-26T17:00:00.000Z' });
  assert.is(aws.securityHubFindings()[0]?.workflowStatus, 'NEW', 'ARCHIVED → ACTIVE resets RESOLVED to NEW');

  aws.setWorkflowStatus(`hammer-cloudtrails/${MASTER}/eu-west-1/cloudtrail-logging`, 'SUPPRESSED');
  await send({ UpdatedAt: '2026-11-26T18:00:00.000Z', RecordState: 'ARCHIVED' });
  await send({ UpdatedAt: '2026-11-26T19:00:00.000Z', RecordState: 'ACTIVE' });
  assert.is(aws.securityHubFindings()[0]?.workflowStatus, 'SUPPRESSED', 'a suppressed finding stays suppressed');
});

test('keeps a Workflow status given when the finding is created', async () => {
  await client('eu-west-1').send(new BatchImportFindingsCommand({ Findings: [finding(MASTER, 'eu-west-1', { Workflow: { Status: 'SUPPRESSED' } })] }));
  assert.is(aws.securityHubFindings()[0]?.workflowStatus, 'SUPPRESSED');
});

test.run();
