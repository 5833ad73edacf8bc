/**
 * The Security Hub export through the built reporting zip, as Lambda runs it:
 * a config with cloudtrails.securityhub on, the zip built from it, the
 * handler invoked in a fresh Node process against dynalite and the AWS wire
 * fake (AWS_ENDPOINT_URL_DYNAMODB, _STS, _SECURITYHUB), with nothing but the
 * Lambda's own credentials.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pythonIsoTimestamp } from '../../library/runtime/clock.ts';
import { startAwsWireFake, type AwsWireFake } from '../fakes/awsWireFake.ts';
import { startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';
import { buildAndUnpack, invokeBuiltHandler, writeLambdaRunner, type BuiltLambda, type InvocationOutcome } from '../helpers/builtLambdas.ts';
import { MASTER, SLAVE1, disabledIssue, putIssue, setUpReporting, type ReportingSetup } from '../helpers/reportingFixtures.ts';

const ROLE = 'hammer-cloudsec-crossact-id';
const REPORTING_ARN = `arn:aws:lambda:eu-west-1:${MASTER}:function:hammer-reporting-cloudtrails`;
const LAMBDA_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'ASIAQSECURITYHUB0001', AWS_SECRET_ACCESS_KEY: 'c2VjdXJpdHktaHViLWxhbWJkYS1zZWNyZXQ', AWS_SESSION_TOKEN: 'IQoJsecurityhublambdatoken' };

let work: string;
let lambda: BuiltLambda;
let runner: string;
let dynamo: LocalDynamo;
let aws: AwsWireFake;
let setup: ReportingSetup;
let invocations = 0;

const test = suite('built reporting zip: Security Hub export');

test.before(async () => {
  work = mkdtempSync(join(tmpdir(), 'hammer-securityhub-'));
  [dynamo, aws] = await Promise.all([
    startDynalite(),
    startAwsWireFake({
      callerAccountId: MASTER,
      accounts: {
        [MASTER]: { regions: ['eu-west-1'], roles: [ROLE] },
        [SLAVE1]: { regions: ['eu-west-1'], roles: [ROLE], securityHubRegions: ['eu-west-1'] },
      },
    }),
  ]);
  setup = await setUpReporting(dynamo, { slackApiUrl: 'http://127.0.0.1:9/api', jiraEnabled: false, slackEnabled: false, keepConfigFolder: true, cloudtrails: { securityhub: true } });
  const built = await buildAndUnpack({ names: ['create_cloudtrail_tickets'], configDir: setup.configDir, work });
  lambda = built.create_cloudtrail_tickets as BuiltLambda;
  runner = writeLambdaRunner(work);
  await putIssue(dynamo.doc, setup.issuesTable, disabledIssue(pythonIsoTimestamp(new Date('2026-11-26T14:15:03.250Z'))));
});

test.after(async () => {
  await aws?.stop();
  await dynamo?.stop();
  setup?.removeConfigFolder();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function report(): Promise<InvocationOutcome> {
  invocations += 1;
  const event = { version: '0', id: `e-${invocations}`, 'detail-type': 'Scheduled Event', source: 'aws.events', account: MASTER, time: '2026-11-26T16:55:00Z', region: 'eu-west-1', resources: [], detail: {} };
  return invokeBuiltHandler({
    runner,
    lambda,
    event,
    functionArn: REPORTING_ARN,
    requestId: `0000000${invocations}-shub-4000-8000-000000000000`,
    timeoutMs: 900_000,
    env: { ...LAMBDA_CREDENTIALS, ...aws.endpointEnv, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint },
  });
}

test('carries the Security Hub client when the config it was built from turns the export on', () => {
  const bundle = readFileSync(join(lambda.taskRoot, 'create_cloudtrail_tickets.js'), 'utf8');
  assert.ok(bundle.includes('/findings/import'));
  assert.not.ok(bundle.includes('this build has no Security Hub export'));
});

test('imports the finding in the controlled account through its role, records it on the item, and sends nothing on the next run', async () => {
  const first = await report();
  assert.equal(first.outcome?.ok, true, `${first.stdout}\n${first.stderr}`);
  const summary = first.outcome?.result as { securityhub?: Record<string, number> };
  assert.equal(summary.securityhub, { accounts: 3, accounts_failed: 0, accounts_deferred: 0, findings_sent: 1, findings_unchanged: 0, findings_failed: 0, regions_not_enabled: 0 });
  const [call] = aws.callsTo('securityhub', 'BatchImportFindings');
  assert.equal([call?.accountId, call?.region, call?.httpStatus], [SLAVE1, 'eu-west-1', 200]);
  assert.equal(aws.callsTo('sts', 'AssumeRole').map((assume) => [assume.accountId, assume.params.RoleArn, assume.params.RoleSessionName]), [[MASTER, `arn:aws:iam::${SLAVE1}:role/${ROLE}`, 'hammer-cloudtrails-securityhub']]);
  const [stored] = aws.securityHubFindings(SLAVE1);
  assert.equal([stored?.finding.Id, stored?.finding.RecordState, (stored?.finding.Compliance as { Status: string }).Status], [`hammer-cloudtrails/${SLAVE1}/eu-west-1/cloudtrail-logging`, 'ACTIVE', 'FAILED']);
  const sent = first.logs.find((line) => line.message === 'sent 1 findings to Security Hub');
  assert.equal([sent?.account_id, sent?.region, sent?.operation], [SLAVE1, 'eu-west-1', 'BatchImportFindings']);
  const item = await dynamo.doc.send(new GetCommand({ TableName: setup.issuesTable, Key: { account_id: SLAVE1, issue_id: 'eu-west-1' } }));
  assert.equal((item.Item?.securityhub as { state?: string; region?: string } | undefined)?.state, 'ACTIVE');

  aws.clearCalls();
  const second = await report();
  assert.equal(second.outcome?.ok, true, second.stderr);
  assert.is((second.outcome?.result as { securityhub?: Record<string, number> }).securityhub?.findings_unchanged, 1);
  assert.equal(aws.callsTo('securityhub'), []);
});

test.run();
