/**
 * The scan command against the demo's world: the AWS wire fake (CloudTrail,
 * STS, EC2) and dynalite, reached through AWS_ENDPOINT_URL_* exactly as a
 * user's run reaches AWS, with made-up credentials in the environment. Table,
 * JSON and CSV output; exit codes 0, 1 and 2 with their one-line reasons;
 * nothing written without --write; --write storing exactly the items the
 * describe Lambda's handler stores for the same world. One run goes through
 * the package's command (a child process), the rest call the command in
 * this process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runScanCommand } from '../../commands/scan.ts';
import { handleDescribeEvent } from '../../lambdas/cloudtrails-issues-identification/describe_cloudtrails.ts';
import { loadConfig } from '../../config/loadConfig.ts';
import { scanMessages } from '../../library/scan/initiateScan.ts';
import { serializeScanMessage } from '../../library/scan/scanMessage.ts';
import { DEMO_REFUSALS, DEMO_REGIONS, MASTER, demoAwsState, demoConfigFiles } from '../../demo/demoWorld.ts';
import { startAwsWireFake, type AwsWireFake } from '../fakes/awsWireFake.ts';
import { startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';
import { REPOSITORY_ROOT, runProcess } from '../helpers/builtLambdas.ts';
import { captureIo } from '../helpers/commandIo.ts';
import { writeConfigFolder } from '../helpers/configFolder.ts';
import { identificationRig, tableItems } from '../helpers/identificationRig.ts';

const test = suite('scan command');

const PROD = '210987654321';
const DEV = '456789012345';
const LAMBDA_TABLE = 'lambda-written-cloudtrails';
const SCAN_TABLE = 'scan-written-cloudtrails';

let aws: AwsWireFake;
let dynamo: LocalDynamo;
let home: string;
let configDir: string;
let removeConfig: () => void;
let saved: NodeJS.ProcessEnv;

/** The environment of a user's shell, pointed at the fakes: made-up keys, no profile, no instance metadata. */
function scanEnvironment(): Record<string, string> {
  return {
    ...aws.endpointEnv,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'eu-west-1',
    AWS_CONFIG_FILE: join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

test.before(async () => {
  [aws, dynamo] = await Promise.all([startAwsWireFake(demoAwsState(), { cloudTrailCallsPerSecond: 10 }), startDynalite()]);
  for (const refusal of DEMO_REFUSALS) aws.inject(refusal);
  await Promise.all([dynamo.createIssuesTable(LAMBDA_TABLE), dynamo.createIssuesTable(SCAN_TABLE)]);
  home = mkdtempSync(join(tmpdir(), 'hammer-scan-home-'));
  const files = demoConfigFiles({ jiraUrl: 'http://127.0.0.1:9', slackApiUrl: 'http://127.0.0.1:9/api' });
  ((files['config.json'] as { cloudtrails: Record<string, unknown> }).cloudtrails)['ddb.table_name'] = SCAN_TABLE;
  const folder = writeConfigFolder(files);
  configDir = folder.dir;
  removeConfig = folder.remove;
  saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  Object.assign(process.env, scanEnvironment(), { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
});

test.after(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await aws?.stop();
  await dynamo?.stop();
  removeConfig?.();
  rmSync(home, { recursive: true, force: true });
});

async function scan(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo({ env });
  const code = await runScanCommand(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** The table's rows as [account, name, region, status, what is wrong]. */
function tableRows(out: string): string[][] {
  return out.split('\n').slice(2).filter((line) => /^\d{12}  /.test(line)).map((line) => line.split(/ {2,}/));
}

test('scans the current account in its enabled regions and exits 0 when nothing is wrong', async () => {
  const result = await scan([]);
  assert.is(result.code, 0, result.err);
  assert.is(result.out, [
    'ACCOUNT       NAME  REGION      STATUS  WHAT IS WRONG',
    '------------  ----  ----------  ------  ---------------------------------------------------------',
    '123456789012  -     eu-south-1  ok      nothing: organization (multi-region, from us-east-1) logs',
    '123456789012  -     eu-west-1   ok      nothing: organization (multi-region, from us-east-1) logs',
    '123456789012  -     us-east-1   ok      nothing: organization logs',
    '',
    '0 open issues in 3 account-regions, 3 ok',
    '',
  ].join('\n'));
  assert.is(result.err, '');
  assert.ok(aws.callsTo('ec2', 'DescribeRegions').length > 0, 'the regions came from ec2:DescribeRegions');
  assert.is(aws.callsTo('sts', 'AssumeRole').length, 0, 'the current account is read with the caller\'s own credentials');
});

test('scans the accounts of a config folder and shows every case of the demo world in the table, exiting 1 for open issues', async () => {
  aws.clearCalls();
  const result = await scan(['--config', configDir]);
  assert.is(result.code, 1, result.err);
  const rows = tableRows(result.out);
  assert.is(rows.length, 6 * DEMO_REGIONS.length);
  const row = (name: string, region: string): string => (rows.find((cells) => cells[1] === name && cells[2] === region) ?? []).slice(3).join(' | ');
  assert.is(row('master', 'eu-west-1'), 'ok | nothing: organization (multi-region, from us-east-1) logs');
  assert.is(row('prod', 'eu-west-1'), 'open | S3 delivery fails for prod-eu (AccessDenied, bucket acme-prod-eu-trail)');
  assert.is(row('prod', 'us-east-1'), 'open | CloudWatch Logs delivery fails for prod-us (AccessDeniedException, log group prod-us-trail)');
  assert.is(row('prod', 'eu-south-1'), 'whitelisted | logging disabled: no trail in this region');
  assert.is(row('staging', 'us-east-1'), 'open | logging disabled: staging (multi-region, from eu-west-1) is stopped');
  assert.is(row('dev', 'eu-west-1'), 'open | logging disabled: no trail in this region');
  assert.is(row('analytics', 'us-east-1'), 'status-unknown | unknown: no readable trail logs; unreadable: organization: AccessDeniedException');
  assert.is(row('analytics', 'eu-south-1'), 'region-not-enabled | region not enabled in the account');
  assert.is(row('sandbox', 'eu-west-1'), 'ok | nothing: sandbox-eu-west-1 logs');
  assert.match(result.out, '6 open issues in 18 account-regions, 1 whitelisted, 5 ok, 2 status unknown, 4 not enabled');
  assert.is(aws.callsTo('sts', 'AssumeRole').length, 5, 'one AssumeRole per account other than the caller\'s');
  assert.equal(Object.values(aws.maxCallsPerSecond('cloudtrail')).filter((peak) => peak > 10), [], 'never over CloudTrail\'s 10 calls per second');
  assert.equal(await tableItems(dynamo.doc, SCAN_TABLE), [], 'nothing written without --write');
});

test('--format json gives one object per account-region: the item\'s issue_details plus account, region and status', async () => {
  const result = await scan(['--config', configDir, '--accounts', PROD, '--format', 'json']);
  assert.is(result.code, 1, result.err);
  const objects = JSON.parse(result.out) as Array<Record<string, unknown>>;
  assert.equal(objects.map((object) => [object.account_id, object.account_name, object.region, object.status]), [
    [PROD, 'prod', 'us-east-1', 'open'],
    [PROD, 'prod', 'eu-west-1', 'open'],
    [PROD, 'prod', 'eu-south-1', 'whitelisted'],
  ]);
  const s3Error = { s3: { resource: 'acme-prod-eu-trail', error: 'AccessDenied' } };
  const prodEu = `arn:aws:cloudtrail:eu-west-1:${PROD}:trail/prod-eu`;
  assert.equal(objects[1]?.issue_details, {
    disabled: false,
    delivery_errors: { [prodEu]: { errors: s3Error, events: 'All', multi_region: false } },
    trails: [{ id: prodEu, enabled: true, multi_region: false, selectors: 'All', errors: s3Error }],
  });
  assert.is((objects[0]?.issue_details as { trails: Array<{ selectors: string }> }).trails[0]?.selectors, 'Advanced: Management(ReadWrite); Data(AWS::S3::Object)');
  assert.equal(objects[2]?.issue_details, { disabled: true, delivery_errors: {}, trails: [] });
});

test('--format csv gives a header and one quoted-where-needed line per account-region', async () => {
  const result = await scan(['--config', configDir, '--accounts', `${DEV},${PROD}`, '--regions', 'eu-west-1', '--format', 'csv']);
  assert.is(result.code, 1, result.err);
  assert.is(result.out, [
    'account_id,account_name,region,status,problem',
    `${DEV},dev,eu-west-1,open,logging disabled: no trail in this region`,
    `${PROD},prod,eu-west-1,open,"S3 delivery fails for prod-eu (AccessDenied, bucket acme-prod-eu-trail)"`,
    '',
  ].join('\r\n'));
});

test('exits 2 with a one-line reason when there are no credentials', async () => {
  const env = { ...process.env };
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
  try {
    const result = await scan([]);
    assert.is(result.code, 2);
    assert.is(result.out, '');
    assert.is(result.err, 'scan: no AWS credentials found: set AWS_PROFILE (after `aws configure` or `aws sso login`) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then run again\n');
  } finally {
    Object.assign(process.env, env);
  }
});

test('exits 2 naming an unknown region', async () => {
  const result = await scan(['--regions', 'eu-west-1,eu-westt-1']);
  assert.is(result.code, 2);
  assert.match(result.err, /^scan: --regions: unknown region 'eu-westt-1': AWS lists af-south-1, .*eu-west-1/);
  assert.is(result.err.split('\n').length, 2, 'one line');
});

test('exits 2 when a role is denied, saying which role must trust whom, and still prints the other accounts', async () => {
  const result = await scan(['--accounts', `${MASTER},111111111111`, '--regions', 'us-east-1']);
  assert.is(result.code, 2);
  assert.equal(tableRows(result.out).map((cells) => cells.slice(0, 4).join(' ')), [`${MASTER} - us-east-1 ok`, '111111111111 - us-east-1 failed']);
  assert.is(result.err, 'scan: account 111111111111: cannot assume arn:aws:iam::111111111111:role/hammer-cloudsec-crossact-id (AccessDenied): the role must exist, allow cloudtrail:DescribeTrails, GetTrailStatus and GetEventSelectors, and trust arn:aws:iam::123456789012:role/hammer-describe-cloudtrails; or pass --role-name <a role that does>\n');
});

test('--verbose writes the identification log as JSON lines on stderr, stdout keeping only the table', async () => {
  const result = await scan(['--accounts', '111111111111', '--regions', 'us-east-1', '--verbose']);
  assert.is(result.code, 2);
  const lines = result.err.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  const denied = lines.find((line) => line.operation === 'AssumeRole');
  assert.equal([denied?.level, denied?.service, denied?.account_id, denied?.error_code], ['ERROR', 'hammer-cloudtrails-scan', '111111111111', 'AccessDenied']);
  assert.match(result.out, /^ACCOUNT  /);
});

test('open issues win over regions that could not be checked: exit 1, the failure still said', async () => {
  aws.inject({ service: 'cloudtrail', operation: 'DescribeTrails', accountId: DEV, region: 'us-east-1', code: 'AccessDeniedException', message: 'An SCP denies cloudtrail:DescribeTrails', times: 1 });
  const result = await scan(['--config', configDir, '--accounts', DEV, '--regions', 'us-east-1,eu-west-1']);
  assert.is(result.code, 1);
  assert.equal(tableRows(result.out).map((cells) => cells[3]), ['failed', 'open']);
  assert.is(result.err, `scan: account ${DEV} (dev), region us-east-1: DescribeTrails answered AccessDeniedException: allow cloudtrail:DescribeTrails, cloudtrail:GetTrailStatus and cloudtrail:GetEventSelectors (an SCP may deny them)\n`);
});

test('--write stores exactly the items the describe Lambda stores for the same world, and a second run writes nothing new', async () => {
  // The describe Lambda's handler, with its real domain code and clients pointed at the same fakes, on its own table.
  const lambdaConfig = loadConfig(configDir);
  const rig = identificationRig({ doc: dynamo.doc, config: { ...lambdaConfig, cloudtrails: { ...lambdaConfig.cloudtrails, ddbTableName: LAMBDA_TABLE } } });
  const topic = `arn:aws:sns:eu-west-1:${MASTER}:hammer-describe-cloudtrails-lambda`;
  for (const message of scanMessages(lambdaConfig.cloudtrails.accounts, DEMO_REGIONS, topic)) {
    const event = { Records: [{ Sns: { Message: serializeScanMessage(message) } }] };
    await handleDescribeEvent(event, { invokedFunctionArn: `arn:aws:lambda:eu-west-1:${MASTER}:function:hammer-describe-cloudtrails`, getRemainingTimeInMillis: () => 300_000 }, rig.deps);
  }
  const lambdaItems = await tableItems(dynamo.doc, LAMBDA_TABLE);
  assert.is(lambdaItems.length, 7, 'six open issues and a whitelisted one');

  const first = await scan(['--config', configDir, '--write']);
  assert.is(first.code, 1, first.err);
  assert.match(first.err, `scan: findings merged into ${SCAN_TABLE} (eu-west-1)`);
  const scanItems = await tableItems(dynamo.doc, SCAN_TABLE);
  const withoutTimes = (items: Array<Record<string, unknown>>): unknown[] => items.map(({ timestamps, ...rest }) => ({ ...rest, timestamp_keys: Object.keys(timestamps as object).sort() }));
  assert.equal(withoutTimes(scanItems), withoutTimes(lambdaItems));
  for (const item of scanItems) {
    for (const value of Object.values(item.timestamps as Record<string, unknown>)) {
      assert.ok(value === null || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/.test(String(value)), `Python isoformat: ${String(value)}`);
    }
  }

  const second = await scan(['--config', configDir, '--write']);
  assert.is(second.code, 1, second.err);
  assert.equal(await tableItems(dynamo.doc, SCAN_TABLE), scanItems, 'a rescan of an unchanged world writes nothing');
});

test('the package\'s command runs a scan in its own process: CSV on stdout, exit code 1 for open issues', async () => {
  const result = await runProcess(process.execPath, [join(REPOSITORY_ROOT, 'commands', 'hammer-cloudtrails.mjs'), 'scan', '--config', configDir, '--accounts', DEV, '--format', 'csv'], {
    cwd: REPOSITORY_ROOT,
    env: { PATH: process.env.PATH, HOME: home, ...scanEnvironment(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  assert.is(result.code, 1, result.stderr);
  assert.is(result.stdout, [
    'account_id,account_name,region,status,problem',
    `${DEV},dev,us-east-1,open,logging disabled: no trail in this region`,
    `${DEV},dev,eu-west-1,open,logging disabled: no trail in this region`,
    `${DEV},dev,eu-south-1,region-not-enabled,region not enabled in the account`,
    '',
  ].join('\r\n'));
  assert.is(result.stderr, '');
});

test.run();
