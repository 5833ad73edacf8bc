/**
 * The remediation run in process, with the production wiring
 * (productionRemediationDeps: the issue store, the credentials table, the
 * JIRA REST client, the Slack Web API notifier) and only the AWS clients
 * pointed at the wire fake: what the built zip's test does not reach
 * (turned off, confirmation, throttling, refusals, the own account, races,
 * the time budget). The world is test/helpers/remediationWorld.ts.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { productionRemediationDeps } from '../../remediation/remediationDeps.ts';
import { runRemediation, type RemediationDeps, type RemediationRunOptions, type RemediationSummary } from '../../remediation/remediationRun.ts';
import { startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';
import { BOB } from '../fakes/fakeJiraFixtures.ts';
import { RecordingLog } from '../helpers/recordingLog.ts';
import { EXPECTED, MASTER, SLAVE1, SLAVE2, TRAILS, openIssue, startRemediationWorld, trailRecord, withFakeAws, type RemediationWorld, type RemediationWorldOptions } from '../helpers/remediationWorld.ts';

const test = suite('remediation run');

const NOW = new Date();

let dynamo: LocalDynamo;
let world: RemediationWorld | undefined;
let log: RecordingLog;

test.before(async () => {
  dynamo = await startDynalite();
});

test.after(async () => {
  await dynamo.stop();
});

test.before.each(() => {
  log = new RecordingLog();
});

test.after.each(async () => {
  await world?.stop();
  world = undefined;
});

async function start(options: Partial<RemediationWorldOptions> = {}): Promise<RemediationWorld> {
  world = await startRemediationWorld(dynamo, { now: NOW, ...options });
  return world;
}

/** The production deps, with the AWS clients pointed at the wire fake and no real waits. */
function depsOf(w: RemediationWorld): RemediationDeps {
  return withFakeAws(productionRemediationDeps({ config: w.setup.config, doc: dynamo.doc, log, region: 'eu-west-1', clock: () => NOW }), w);
}

async function run(w: RemediationWorld, options: RemediationRunOptions = {}): Promise<RemediationSummary> {
  return runRemediation(depsOf(w), { ownAccountId: MASTER, ...options });
}

function counted(summary: RemediationSummary): Record<string, number> {
  return Object.fromEntries(Object.entries(summary.outcomes).filter(([, count]) => count > 0));
}

function comments(w: RemediationWorld, account: string, region: string): string[] {
  return w.jira.issue(w.tickets[`${account}/${region}`] as string)?.comments.map((comment) => comment.body) ?? [];
}

async function remediatedAt(w: RemediationWorld, account: string, region: string): Promise<unknown> {
  return ((await w.item(account, region))?.timestamps as Record<string, unknown> | undefined)?.remediated;
}

test('with no remediation key set, a run reads nothing and changes nothing', async () => {
  const w = await start({ cloudtrails: { remediation: undefined, remediation_accounts: undefined, remediation_retention_period: undefined } });
  const before = await w.items();
  const summary = await run(w);
  assert.is(summary.remediation, false);
  assert.is(summary.issues, 0);
  assert.equal(w.aws.calls, []);
  assert.equal(w.jira.requests, []);
  assert.equal(w.slack.requests, []);
  assert.equal(await w.items(), before);
  assert.ok(log.entries.some((entry) => entry.message.includes('cloudtrails.remediation is false')));
});

test('remediation on without remediation accounts warns and does nothing', async () => {
  const w = await start({ cloudtrails: { remediation_accounts: [] } });
  const summary = await run(w);
  assert.is(summary.accounts, 0);
  assert.equal(w.aws.calls, []);
  assert.equal(log.at('warn').map((entry) => entry.fields.error_code), ['NoRemediationAccounts']);
});

test('a dry run works while remediation is off, printing each decision, and changes nothing', async () => {
  const w = await start({ cloudtrails: { remediation: false } });
  const before = await w.items();
  const printed: string[] = [];
  const summary = await run(w, { dryRun: true, print: (line) => printed.push(line) });
  assert.equal(counted(summary), { 'would-remediate': 2, 'would-report-not-remediable': 3, skipped: 3 });
  assert.ok(printed.includes(`dry run: skip CloudTrail logging issue with 'us-east-1' in 'slave1 / ${SLAVE1}' account: 20 days before remediation`), printed.join('\n'));
  assert.ok(printed.includes(`dry run: skip CloudTrail logging issue with 'eu-central-1' in 'slave1 / ${SLAVE1}' account: in the whitelist`));
  assert.equal(await w.items(), before);
  assert.equal(w.aws.callsTo('cloudtrail', 'StartLogging'), []);
  assert.equal(w.jira.requests, []);
  assert.equal(w.slack.requests, []);
});

test('asks before each trail: no leaves the issue as it was, yes restarts the trail', async () => {
  const w = await start();
  const asked: string[] = [];
  const declined = await run(w, { confirm: async (question) => { asked.push(question); return false; } });
  assert.equal(asked, [
    `Do you want to start logging of trail '${TRAILS.main}' (CloudTrail logging issue with 'eu-west-1' in 'slave1 / ${SLAVE1}' account)`,
    `Do you want to start logging of trail '${TRAILS.denied}' (CloudTrail logging issue with 'us-west-2' in 'slave1 / ${SLAVE1}' account)`,
  ]);
  assert.is(declined.outcomes.declined, 2);
  assert.equal(w.aws.callsTo('cloudtrail', 'StartLogging'), []);
  assert.is(await remediatedAt(w, SLAVE1, 'eu-west-1'), null);
  assert.equal(comments(w, SLAVE1, 'eu-west-1'), []);

  const accepted = await run(w, { confirm: async (question) => question.includes(TRAILS.main) });
  assert.is(accepted.outcomes.remediated, 1);
  assert.is(accepted.outcomes.declined, 1);
  assert.equal(comments(w, SLAVE1, 'eu-west-1'), [EXPECTED.remediated]);
  assert.is((await w.item(SLAVE1, 'eu-west-1'))?.status, 'resolved');
});

test('a StartLogging still throttled after the retries marks nothing and tells nobody; the next run remediates', async () => {
  const w = await start();
  w.aws.inject({ service: 'cloudtrail', operation: 'StartLogging', trail: TRAILS.main, code: 'ThrottlingException', message: 'Rate exceeded', times: 6 });
  const first = await run(w);
  assert.is(first.outcomes.failed, 1);
  assert.is(w.aws.callsTo('cloudtrail', 'StartLogging').filter((call) => call.params.Name === TRAILS.main).length, 6);
  assert.is(await remediatedAt(w, SLAVE1, 'eu-west-1'), null);
  assert.equal(comments(w, SLAVE1, 'eu-west-1'), []);
  const failure = log.at('error').find((entry) => entry.fields.trail_arn === TRAILS.main);
  assert.equal([failure?.fields.operation, failure?.fields.error_code, failure?.fields.account_id, failure?.fields.region], ['StartLogging', 'ThrottlingException', SLAVE1, 'eu-west-1']);

  const second = await run(w);
  assert.is(second.outcomes.remediated, 1);
  assert.equal(comments(w, SLAVE1, 'eu-west-1'), [EXPECTED.remediated]);
});

test('a ticket JIRA refuses to change (closed by hand) is skipped and logged; Slack is told and the issue marked', async () => {
  const w = await start();
  const ticket = w.tickets[`${SLAVE1}/eu-west-1`] as string;
  w.jira.setStatus(ticket, 'Closed');
  const summary = await run(w);
  assert.is(summary.outcomes.remediated, 1);
  assert.equal(comments(w, SLAVE1, 'eu-west-1'), []);
  assert.is(w.jira.issue(ticket)?.assignee, BOB.name);
  assert.equal(log.at('warn').filter((entry) => entry.fields.ticket === ticket).map((entry) => [entry.fields.operation, entry.fields.error_code]), [
    ['assignToAuthenticatedUser', 'HTTP 400'],
    ['addComment', 'HTTP 400'],
  ]);
  assert.ok(w.slack.messages.some((message) => message.text === `${EXPECTED.remediated} (${w.jira.url}/browse/${ticket})`));
  assert.type(await remediatedAt(w, SLAVE1, 'eu-west-1'), 'string');
});

test('a restarted trail whose delivery fails: logging started, the region now has delivery errors, told to check manually', async () => {
  const w = await start();
  const main = w.aws.state.accounts[SLAVE1]?.trails?.[0];
  if (main === undefined) throw new Error('no main trail');
  main.status = { IsLogging: false, LatestDeliveryError: 'NoSuchBucket' };
  const summary = await run(w);
  assert.is(summary.outcomes['remediation-failed'], 2);
  assert.equal(comments(w, SLAVE1, 'eu-west-1'), [
    `Failed to remediate CloudTrail logging issue with 'eu-west-1' in 'slave1 / ${SLAVE1}' account: logging was started on ${TRAILS.main}, but the region has delivery errors now. Please, check manually`,
  ]);
  const item = await w.item(SLAVE1, 'eu-west-1');
  assert.is(item?.status, 'open');
  assert.equal((item?.issue_details as Record<string, unknown>).disabled, false);
});

test('an issue about delivery errors alone is not remediation\'s: skipped, untouched', async () => {
  const w = await start();
  const main = w.aws.state.accounts[SLAVE1]?.trails?.[0];
  if (main === undefined) throw new Error('no main trail');
  main.status = { IsLogging: true, LatestDeliveryError: 'AccessDenied' };
  const summary = await run(w);
  assert.is(summary.skipped['delivery-errors'], 1);
  assert.not.ok(w.aws.callsTo('cloudtrail', 'StartLogging').some((call) => call.params.Name === TRAILS.main));
  assert.is(await remediatedAt(w, SLAVE1, 'eu-west-1'), null);
  assert.equal(comments(w, SLAVE1, 'eu-west-1'), []);
});

test('the account the Lambda runs in is remediated with its own credentials: no AssumeRole, its organization trail restarted there', async () => {
  const w = await start({ cloudtrails: { remediation_accounts: [MASTER] } });
  await dynamo.doc.send(new PutCommand({ TableName: w.setup.issuesTable, Item: openIssue(MASTER, 'us-east-1', [trailRecord(TRAILS.organization, false)], new Date(NOW.getTime() - 400 * 86_400_000), undefined) }));
  const summary = await run(w);
  assert.is(summary.outcomes.remediated, 1);
  assert.equal(w.aws.callsTo('sts', 'AssumeRole'), []);
  assert.equal(w.aws.callsTo('cloudtrail', 'StartLogging').map((call) => [call.accountId, call.region, call.params.Name]), [[MASTER, 'us-east-1', TRAILS.organization]]);
  assert.is((await w.item(MASTER, 'us-east-1'))?.status, 'resolved');
  assert.ok(w.slack.messages.some((message) => message.text === `Logging was started on trail ${TRAILS.organization}. CloudTrail logging issue with 'us-east-1' in 'master / ${MASTER}' account was remediated by hammer`));
});

test('AssumeRole denied in one account fails its issues, logged, and the other account goes on', async () => {
  const w = await start();
  const slave1 = w.aws.state.accounts[SLAVE1];
  if (slave1 === undefined) throw new Error('no slave1');
  slave1.denyAssumeRole = true;
  const summary = await run(w);
  // The four due issues of slave1 (the retention period and the whitelists skip the other three before any AWS call).
  assert.is(summary.outcomes.failed, 4);
  assert.is(summary.outcomes['not-remediable'], 1);
  assert.equal(comments(w, SLAVE2, 'eu-west-1'), [EXPECTED.organization]);
  assert.equal(comments(w, SLAVE1, 'eu-west-1'), []);
  assert.is(w.aws.callsTo('sts', 'AssumeRole').filter((call) => String(call.params.RoleArn).includes(`::${SLAVE1}:`)).length, 1, 'one AssumeRole per account and run');
  const denied = log.at('error').find((entry) => entry.fields.operation === 'AssumeRole');
  assert.equal([denied?.fields.account_id, denied?.fields.error_code], [SLAVE1, 'AccessDenied']);
});

test('an unexpected failure in one issue (the operator\'s terminal gone) fails that issue only', async () => {
  const w = await start();
  const summary = await run(w, { confirm: async (question) => { if (question.includes(TRAILS.main)) throw new Error('stdin closed'); return true; } });
  assert.is(summary.outcomes.failed, 1);
  assert.is(summary.outcomes['remediation-failed'], 1);
  assert.is(summary.outcomes['not-remediable'], 3);
  const failure = log.at('error').find((entry) => entry.fields.operation === 'remediate');
  assert.equal([failure?.fields.account_id, failure?.fields.region, failure?.fields.error_message], [SLAVE1, 'eu-west-1', 'stdin closed']);
  assert.is(await remediatedAt(w, SLAVE1, 'eu-west-1'), null);
});

test('two runs at once tell the ticket once', async () => {
  const w = await start({ cloudtrails: { remediation_accounts: [SLAVE1] } });
  const [a, b] = await Promise.all([run(w), run(w)]);
  assert.is(comments(w, SLAVE1, 'eu-west-1').length, 1);
  assert.is(comments(w, SLAVE1, 'us-west-2').length, 1);
  assert.is(a.outcomes.remediated + b.outcomes.remediated, 1);
  assert.is(a.outcomes['not-remediable'] + b.outcomes['not-remediable'], 2);
});

test('once the time budget is spent, no further due issue is started; they are left for the next run', async () => {
  const w = await start();
  const summary = await run(w, { budget: { remainingMs: () => 0, reserveMs: 120_000 } });
  // The first due issue (slave1's ap-southeast-2, in the table's order) always starts; the four others wait.
  assert.is(summary.outcomes['not-remediable'], 1);
  assert.is(summary.deferred, 4);
  assert.equal(w.aws.callsTo('cloudtrail', 'StartLogging'), []);
  assert.ok(log.at('warn').some((entry) => entry.fields.error_code === 'TimeBudget'));
});

test.run();
