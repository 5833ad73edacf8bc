/**
 * Remediation through the BUILT zip `clean_cloudtrails.zip`, run as Lambda
 * runs it, against the AWS wire fake (the organisation of
 * test/helpers/remediationWorld.ts), dynalite, the fake JIRA and the fake
 * Slack: a dry run changes nothing; the run restarts the stopped trail and
 * the rescan resolves its issue, leaves the organization trail alone,
 * comments a denied StartLogging as failed with AWS's error, reports the
 * regions it cannot fix as not remediable, and respects the retention period
 * and both whitelists; a second run does nothing again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';
import { BOB, BOT } from '../fakes/fakeJiraFixtures.ts';
import { buildAndUnpack, invokeBuiltHandler, writeLambdaRunner, type BuiltLambda, type InvocationOutcome } from '../helpers/builtLambdas.ts';
import { EXPECTED, MASTER, REMEDIATION_ROLE, SLAVE1, SLAVE2, TRAILS, startRemediationWorld, type RemediationWorld } from '../helpers/remediationWorld.ts';

type Item = Record<string, unknown>;

const FUNCTION_ARN = `arn:aws:lambda:eu-west-1:${MASTER}:function:hammer-remediation-cloudtrails`;
const LAMBDA_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'ASIAQMASTERLAMBDA003', AWS_SECRET_ACCESS_KEY: 'cmVtZWRpYXRpb24tbGFtYmRhLXNlY3JldA', AWS_SESSION_TOKEN: 'IQoJremediationlambdatoken' };
const SCHEDULED = { version: '0', id: 'e-1', 'detail-type': 'Scheduled Event', source: 'aws.events', account: MASTER, time: '2026-11-26T10:45:00Z', region: 'eu-west-1', resources: [], detail: {} };

const test = suite('built clean_cloudtrails zip');

let work: string;
let dynamo: LocalDynamo;
let world: RemediationWorld;
let lambda: BuiltLambda;
let runner: string;
let before: Item[];
let invocations = 0;
/** The log lines of the first real run, for the assertions that follow it. */
let firstRunLogs: Array<Record<string, unknown>> = [];

test.before(async () => {
  work = mkdtempSync(join(tmpdir(), 'hammer-remediation-'));
  dynamo = await startDynalite();
  world = await startRemediationWorld(dynamo, { now: new Date() });
  lambda = (await buildAndUnpack({ names: ['clean_cloudtrails'], configDir: world.setup.configDir, work })).clean_cloudtrails as BuiltLambda;
  runner = writeLambdaRunner(work);
  before = await world.items();
});

test.after(async () => {
  await world?.stop();
  await dynamo?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function invoke(event: unknown): Promise<InvocationOutcome> {
  invocations += 1;
  return invokeBuiltHandler({
    runner,
    lambda,
    event,
    functionArn: FUNCTION_ARN,
    requestId: `0000000${invocations}-reme-4000-8000-000000000000`,
    timeoutMs: 900_000,
    env: { ...LAMBDA_CREDENTIALS, ...world.aws.endpointEnv, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint },
  });
}

function itemOf(items: Item[], account: string, region: string): Item | undefined {
  return items.find((item) => item.account_id === account && item.issue_id === region);
}

function timestampsOf(item: Item | undefined): Record<string, unknown> {
  return (item?.timestamps ?? {}) as Record<string, unknown>;
}

const url = (key: string | undefined) => `${world.jira.url}/browse/${key}`;

test('the build packs clean_cloudtrails.js with the config files', () => {
  assert.ok(lambda.files.includes('clean_cloudtrails.js'));
  assert.ok(lambda.files.includes('config.json'));
});

test('a dry run ({"dry_run": true}) says what it would do and changes nothing: no StartLogging, no write, no ticket, no message', async () => {
  const run = await invoke({ dry_run: true });
  assert.equal(run.outcome?.ok, true, `${run.stdout}\n${run.stderr}`);
  const summary = run.outcome?.result as { dry_run: boolean; outcomes: Record<string, number>; skipped: Record<string, number> };
  assert.is(summary.dry_run, true);
  assert.is(summary.outcomes['would-remediate'], 2);
  assert.is(summary.outcomes['would-report-not-remediable'], 3);
  assert.equal(summary.skipped, { 'temp-whitelisted': 1, whitelisted: 1, retention: 1 });
  const lines = run.logs.map((line) => String(line.message));
  assert.ok(lines.includes(`dry run: would start logging of trail ${TRAILS.main} in eu-west-1 (CloudTrail logging issue with 'eu-west-1' in 'slave1 / ${SLAVE1}' account)`), lines.join('\n'));
  assert.ok(lines.some((line) => line.startsWith(`dry run: would report as not remediable (CloudTrail logging issue with 'eu-west-1' in 'slave2 / ${SLAVE2}' account): trail ${TRAILS.organization} belongs to account ${MASTER}`)));

  assert.equal(await world.items(), before);
  assert.equal(world.aws.callsTo('cloudtrail', 'StartLogging'), []);
  assert.equal(world.jira.requests.filter((request) => request.method !== 'GET'), []);
  assert.equal(world.slack.messages, []);
  assert.is(world.aws.state.accounts[SLAVE1]?.trails?.[0]?.status?.IsLogging, false);
});

test('the run restarts the stopped trail and the rescan resolves its issue; the ticket is told, assigned to hammer, and Slack gets the same text', async () => {
  world.aws.clearCalls();
  const sessionsBefore = world.aws.sessions().length;
  const run = await invoke(SCHEDULED);
  firstRunLogs = run.logs;
  assert.equal(run.outcome?.ok, true, `${run.stdout}\n${run.stderr}`);
  const summary = run.outcome?.result as { outcomes: Record<string, number>; skipped: Record<string, number> };
  assert.equal(
    Object.fromEntries(Object.entries(summary.outcomes).filter(([, count]) => count > 0)),
    { remediated: 1, 'remediation-failed': 1, 'not-remediable': 3, skipped: 3 },
  );

  // Exactly two StartLogging calls, each by ARN in the trail's home region, through role_name_reporting.
  const starts = world.aws.callsTo('cloudtrail', 'StartLogging');
  assert.equal(starts.map((call) => [call.accountId, call.region, call.params.Name, call.errorCode]), [
    [SLAVE1, 'eu-west-1', TRAILS.main, undefined],
    [SLAVE1, 'us-west-2', TRAILS.denied, 'AccessDeniedException'],
  ]);
  const sessions = world.aws.sessions().slice(sessionsBefore).map((session) => [session.accountId, session.roleArn, session.roleSessionName]);
  assert.equal(sessions, [
    [SLAVE1, `arn:aws:iam::${SLAVE1}:role/${REMEDIATION_ROLE}`, 'hammer-cloudtrails-remediation'],
    [SLAVE2, `arn:aws:iam::${SLAVE2}:role/${REMEDIATION_ROLE}`, 'hammer-cloudtrails-remediation'],
  ]);
  assert.is(world.aws.state.accounts[SLAVE1]?.trails?.[0]?.status?.IsLogging, true);

  const items = await world.items();
  const main = itemOf(items, SLAVE1, 'eu-west-1');
  assert.is(main?.status, 'resolved');
  assert.type(timestampsOf(main).resolved, 'string');
  assert.type(timestampsOf(main).remediated, 'string');
  const ticket = world.tickets[`${SLAVE1}/eu-west-1`] as string;
  assert.equal(world.jira.issue(ticket)?.comments.map((comment) => comment.body), [EXPECTED.remediated]);
  assert.is(world.jira.issue(ticket)?.assignee, BOT.name);
  for (const channel of ['#devops-channel', 'U0BOB', 'U0ALICE']) {
    assert.ok(world.slack.messages.some((message) => message.channel === channel && message.text === `${EXPECTED.remediated} (${url(ticket)})` && message.username === 'hammer'), channel);
  }
});

test('the organization trail of another account is left alone: not remediable, told why, never started', async () => {
  const item = await world.item(SLAVE2, 'eu-west-1');
  assert.is(item?.status, 'open');
  assert.type(timestampsOf(item).remediated, 'string');
  const ticket = world.tickets[`${SLAVE2}/eu-west-1`] as string;
  assert.equal(world.jira.issue(ticket)?.comments.map((comment) => comment.body), [EXPECTED.organization]);
  assert.is(world.jira.issue(ticket)?.assignee, BOB.name, 'a failed remediation leaves the ticket with its owner');
  assert.ok(world.slack.messages.some((message) => message.text === `${EXPECTED.organization} (${url(ticket)})`));
  assert.is(world.aws.state.accounts[MASTER]?.trails?.[0]?.status?.IsLogging, false);
  assert.not.ok(world.aws.callsTo('cloudtrail', 'StartLogging').some((call) => call.params.Name === TRAILS.organization));
});

test('a StartLogging AWS denies is commented as failed, with AWS\'s error code and message, and marked remediated', async () => {
  const item = await world.item(SLAVE1, 'us-west-2');
  assert.is(item?.status, 'open');
  assert.type(timestampsOf(item).remediated, 'string');
  const comments = world.jira.issue(world.tickets[`${SLAVE1}/us-west-2`] as string)?.comments.map((comment) => comment.body) ?? [];
  assert.is(comments.length, 1);
  assert.ok(comments[0]?.startsWith(EXPECTED.deniedPrefix), comments[0]);
  assert.match(comments[0] ?? '', 'with an explicit deny in a service control policy). Please, check manually');
  const error = firstRunLogs.find((line) => line.level === 'ERROR' && line.operation === 'StartLogging');
  assert.equal([error?.error_code, error?.trail_arn, error?.account_id], ['AccessDeniedException', TRAILS.denied, SLAVE1]);
});

test('regions it cannot fix are reported as not remediable with the reason: no trail at all, a trail recording no write management events', async () => {
  for (const [region, text] of [['ap-southeast-2', EXPECTED.noTrail], ['sa-east-1', EXPECTED.selectors]] as const) {
    const item = await world.item(SLAVE1, region);
    assert.type(timestampsOf(item).remediated, 'string', region);
    assert.equal(world.jira.issue(world.tickets[`${SLAVE1}/${region}`] as string)?.comments.map((comment) => comment.body), [text]);
  }
});

test('the retention period and both whitelists are respected: those issues are untouched and their trails never started', async () => {
  const items = await world.items();
  for (const region of ['us-east-1', 'eu-central-1', 'eu-north-1']) {
    assert.equal(itemOf(items, SLAVE1, region), itemOf(before, SLAVE1, region), region);
    assert.equal(world.jira.issue(world.tickets[`${SLAVE1}/${region}`] as string)?.comments, [], region);
  }
  const started = world.aws.callsTo('cloudtrail', 'StartLogging').map((call) => call.params.Name);
  for (const trail of [TRAILS.east, TRAILS.central, TRAILS.north]) assert.not.ok(started.includes(trail), trail);
});

test('a second run starts nothing and tells nobody again', async () => {
  world.aws.clearCalls();
  const jiraWrites = world.jira.requests.filter((request) => request.method !== 'GET').length;
  const messages = world.slack.messages.length;
  const run = await invoke(SCHEDULED);
  assert.equal(run.outcome?.ok, true, `${run.stdout}\n${run.stderr}`);
  assert.equal(world.aws.callsTo('cloudtrail', 'StartLogging'), []);
  assert.is(world.jira.requests.filter((request) => request.method !== 'GET').length, jiraWrites);
  assert.is(world.slack.messages.length, messages);
  const summary = run.outcome?.result as { outcomes: Record<string, number>; skipped: Record<string, number> };
  assert.equal(summary.skipped, { 'already-remediated': 4, 'temp-whitelisted': 1, whitelisted: 1, retention: 1 });
});

test.run();
