/**
 * The Security Hub export of the reporting run (cloudtrails.securityhub), end
 * to end: the production wiring (productionReportingDeps, the lazily loaded
 * productionSecurityHubExport with STS and the Security Hub client) against
 * dynalite, the AWS wire fake (AssumeRole into the controlled account, then
 * BatchImportFindings there) and, for the lifecycle, the fake JIRA and Slack.
 * Only the clock, the retry waits and the endpoint are test doubles.
 */
import { SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CloudTrailFinding, CloudTrailIssueItem, TrailRecord } from '../../library/issues/cloudTrailIssue.ts';
import { IssueStore } from '../../library/issues/issueStore.ts';
import { pythonIsoTimestamp } from '../../library/runtime/clock.ts';
import { productionReportingDeps } from '../../reporting/reportingDeps.ts';
import { runReporting, type ReportingDeps, type ReportingRunOptions, type ReportingSummary } from '../../reporting/reportingRun.ts';
import { BATCH_SIZE, exportToSecurityHub } from '../../reporting/securityhub/securityHubExport.ts';
import { productionSecurityHubExport } from '../../reporting/securityhub/securityHubProduction.ts';
import { startAwsWireFake, type AwsWireFake, type FakeAwsState, type SecurityHubImport } from '../fakes/awsWireFake.ts';
import { TEST_CREDENTIALS, startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';
import { RecordingLog } from '../helpers/recordingLog.ts';
import { MASTER, SLAVE1, SLAVE2, STOPPED_TRAIL, TestClock, disabledIssue, putIssue, setUpReporting, type ReportingSetup } from '../helpers/reportingFixtures.ts';
import { ReportingWorlds, type World } from '../helpers/reportingWorld.ts';

const test = suite('securityHubExport');

const ROLE = 'hammer-cloudsec-crossact-id';
const IDENTIFIED = '2026-11-26T14:15:03.250Z';
const RUN1 = '2026-11-26T14:55:00.500Z';
const RUN2 = '2026-11-26T15:55:00.500Z';
const FINDING_ID = `hammer-cloudtrails/${SLAVE1}/eu-west-1/cloudtrail-logging`;
const PRODUCT = `arn:aws:securityhub:eu-west-1:${SLAVE1}:product/${SLAVE1}/default`;
const ALL_REGIONS_CIS = ['CIS AWS Foundations Benchmark v1.2.0/2.1', 'CIS AWS Foundations Benchmark v1.4.0/3.1', 'CIS AWS Foundations Benchmark v3.0.0/3.1', 'CIS AWS Foundations Benchmark v5.0.0/3.1'];
const TYPES = ['Software and Configuration Checks/AWS Security Best Practices', 'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark'];

let dynamo: LocalDynamo;
let aws: AwsWireFake;
let log: RecordingLog;
let clock: TestClock;

/** Security Hub enabled for SLAVE1 and SLAVE2 in eu-west-1 only, and in MASTER (the Lambda's own account). */
function awsWorld(): FakeAwsState {
  return {
    callerAccountId: MASTER,
    accounts: {
      [MASTER]: { regions: ['eu-west-1', 'us-east-1'], roles: [ROLE], securityHubRegions: ['eu-west-1', 'us-east-1'] },
      [SLAVE1]: { regions: ['eu-west-1', 'us-east-1'], roles: [ROLE], securityHubRegions: ['eu-west-1'] },
      [SLAVE2]: { regions: ['eu-west-1', 'us-east-1'], roles: [ROLE], securityHubRegions: ['eu-west-1'] },
    },
  };
}

test.before(async () => {
  dynamo = await startDynalite();
});

test.after(async () => {
  await dynamo.stop();
});

test.before.each(async () => {
  log = new RecordingLog();
  clock = new TestClock(new Date(RUN1));
  aws = await startAwsWireFake(awsWorld(), { now: clock.now });
});

test.after.each(async () => {
  await aws.stop();
});

/** The export of `deps` wired as production wires it, but to the wire fake, with MASTER as the main account. */
function exportThroughFake(deps: ReportingDeps): ReportingDeps {
  deps.exportFindings = productionSecurityHubExport({
    config: { ...deps.config, aws: { ...deps.config.aws, mainAccountId: MASTER } },
    store: deps.store,
    log: deps.log,
    clock: clock.now,
    region: 'eu-west-1',
    clientOptions: { endpoint: aws.endpoint, ownCredentials: TEST_CREDENTIALS },
  });
  return deps;
}

interface Rig {
  setup: ReportingSetup;
  deps: ReportingDeps;
  identification: IssueStore;
  run(at: string, options?: ReportingRunOptions): Promise<ReportingSummary>;
  item(account?: string, region?: string): Promise<(CloudTrailIssueItem & { securityhub?: unknown }) | undefined>;
}

/** Reporting with JIRA and Slack off, the export on (or as `cloudtrails` says). */
async function rig(cloudtrails: Record<string, unknown> = { securityhub: true }): Promise<Rig> {
  const setup = await setUpReporting(dynamo, { slackApiUrl: 'http://127.0.0.1:9/api', jiraEnabled: false, slackEnabled: false, cloudtrails });
  const deps = productionReportingDeps({ config: setup.config, doc: dynamo.doc, log, clock: clock.now });
  if (deps.exportFindings !== undefined) exportThroughFake(deps);
  return {
    setup,
    deps,
    identification: new IssueStore(dynamo.doc, setup.issuesTable, clock.now, new RecordingLog()),
    run: async (at, options) => {
      clock.set(at);
      return runReporting(deps, options);
    },
    item: async (account = SLAVE1, region = 'eu-west-1') => deps.store.get(account, region),
  };
}

function openFinding(region = 'eu-west-1', trails: TrailRecord[] = [STOPPED_TRAIL]): CloudTrailFinding {
  return { account_id: SLAVE1, issue_id: region, status: 'open', issue_details: { disabled: true, delivery_errors: {}, trails } };
}

function imported(from = 0): Array<{ accountId: string; region: string; findings: AwsSecurityFinding[] }> {
  return aws.securityHubImports().slice(from).map((entry: SecurityHubImport) => ({ accountId: entry.accountId, region: entry.region, findings: entry.findings as unknown as AwsSecurityFinding[] }));
}

/** The finding of SLAVE1's eu-west-1 issue (trail main stopped) as the export must send it. */
function expectedFinding(changes: { status: 'open' | 'resolved' | 'whitelisted'; identified: string; updated: string; ticketUrl?: string; ticket?: string }): AwsSecurityFinding {
  const archived = changes.status !== 'open';
  return {
    SchemaVersion: '2018-10-08',
    Id: FINDING_ID,
    ProductArn: PRODUCT,
    GeneratorId: 'hammer-cloudtrails/cloudtrail-logging',
    AwsAccountId: SLAVE1,
    CreatedAt: changes.identified,
    FirstObservedAt: changes.identified,
    UpdatedAt: changes.updated,
    Title: `Disabled CloudTrail in 'slave1 / ${SLAVE1} / eu-west-1'`,
    Description: `No enabled CloudTrails for region available.\nAccount: slave1 / ${SLAVE1}. Region: eu-west-1. Status: Disabled.\nTrails: ${STOPPED_TRAIL.id} (logging: No, multi-region: Yes, selectors: All).`,
    Remediation: { Recommendation: { Text: 'Create CloudTrail for region.' } },
    ...(changes.ticketUrl === undefined ? {} : { SourceUrl: changes.ticketUrl }),
    ProductFields: { 'hammer/issue_status': changes.status, 'hammer/account_name': 'slave1', ...(changes.ticket === undefined ? {} : { 'hammer/ticket': changes.ticket }) },
    Resources: [{ Type: 'AwsCloudTrailTrail', Id: STOPPED_TRAIL.id, Partition: 'aws', Region: 'eu-west-1' }],
    Compliance: { Status: changes.status === 'resolved' ? 'PASSED' : 'FAILED', RelatedRequirements: ALL_REGIONS_CIS },
    RecordState: archived ? 'ARCHIVED' : 'ACTIVE',
    FindingProviderFields: {
      Severity: changes.status === 'resolved' ? { Label: 'INFORMATIONAL', Original: 'resolved' } : { Label: 'HIGH', Original: 'CloudTrail disabled' },
      Types: TYPES,
    },
  };
}

test('follows an issue open → resolved → reopened → whitelisted with exactly one finding per change, and sends nothing on an unchanged rerun', async () => {
  const worlds = new ReportingWorlds(dynamo);
  worlds.reset(IDENTIFIED);
  clock = worlds.clock;
  await aws.stop();
  aws = await startAwsWireFake(awsWorld(), { now: clock.now });
  let w: World | undefined;
  try {
    w = await worlds.start({ setup: { cloudtrails: { securityhub: true } } });
    const world = w;
    exportThroughFake(world.deps);
    const ticketUrl = (key: string) => `${world.jira.url}/browse/${key}`;
    const run = async (at: string) => {
      const summary = await world.run(at);
      return summary.securityhub;
    };

    await world.identification.mergeFinding(openFinding(), { issueEndpoints: ['s3', 'cloudwatch'] });
    assert.equal(await run(RUN1), { accounts: 3, accounts_failed: 0, accounts_deferred: 0, findings_sent: 1, findings_unchanged: 0, findings_failed: 0, regions_not_enabled: 0 });
    assert.equal(imported(), [{ accountId: SLAVE1, region: 'eu-west-1', findings: [expectedFinding({ status: 'open', identified: IDENTIFIED, updated: RUN1, ticketUrl: ticketUrl('AWSSEC-2'), ticket: 'AWSSEC-2' })] }]);
    assert.equal((await world.item())?.securityhub, { id: FINDING_ID, hash: (await world.item() as { securityhub: { hash: string } }).securityhub.hash, region: 'eu-west-1', state: 'ACTIVE', updated: RUN1 });
    const assumed = aws.callsTo('sts', 'AssumeRole').map((call) => call.params.RoleArn);
    assert.equal(assumed, [`arn:aws:iam::${SLAVE1}:role/${ROLE}`], 'the export acts in the controlled account through its cross-account role');

    aws.clearCalls();
    const unchanged = await run(RUN2);
    assert.is(unchanged?.findings_unchanged, 1);
    assert.equal(aws.callsTo('securityhub'), [], 'an unchanged finding is not sent');
    assert.equal(aws.callsTo('sts'), [], 'nor is a role assumed for nothing');

    // Someone resolved it (a customer's BatchUpdateFindings would have set RESOLVED by hand later).
    clock.set('2026-11-26T16:10:00.000Z');
    await world.identification.resolve({ account_id: SLAVE1, issue_id: 'eu-west-1' });
    await run('2026-11-26T16:55:00.500Z');
    assert.is((await world.item())?.status, 'closed', 'reporting closed the resolved issue before the export ran');
    assert.equal(imported(1), [{ accountId: SLAVE1, region: 'eu-west-1', findings: [expectedFinding({ status: 'resolved', identified: IDENTIFIED, updated: '2026-11-26T16:55:00.500Z', ticketUrl: ticketUrl('AWSSEC-2'), ticket: 'AWSSEC-2' })] }]);
    aws.setWorkflowStatus(FINDING_ID, 'RESOLVED');
    await run('2026-11-26T17:55:00.500Z');
    assert.is(imported(2).length, 0, 'a closed issue whose last state was sent is left alone');

    // It breaks again: identification starts a new lifecycle (the record goes with the old item).
    clock.set('2026-11-27T08:00:00.000Z');
    assert.is(await world.identification.mergeFinding(openFinding(), { issueEndpoints: ['s3', 'cloudwatch'] }), 'reopened');
    await run('2026-11-27T08:55:00.500Z');
    assert.equal(imported(2), [{ accountId: SLAVE1, region: 'eu-west-1', findings: [expectedFinding({ status: 'open', identified: '2026-11-27T08:00:00.000Z', updated: '2026-11-27T08:55:00.500Z', ticketUrl: ticketUrl('AWSSEC-3'), ticket: 'AWSSEC-3' })] }]);
    assert.is(aws.securityHubFindings(SLAVE1)[0]?.workflowStatus, 'NEW', 'the reopened finding is back in the responders\' view');

    // Whitelisted: reporting closes it; Security Hub gets it ARCHIVED, still FAILED.
    clock.set('2026-11-27T09:10:00.000Z');
    assert.is(await world.identification.mergeFinding({ ...openFinding(), status: 'whitelisted' }, { issueEndpoints: ['s3', 'cloudwatch'] }), 'updated');
    await run('2026-11-27T09:55:00.500Z');
    assert.is((await world.item())?.status, 'closed');
    assert.equal(imported(3), [{ accountId: SLAVE1, region: 'eu-west-1', findings: [expectedFinding({ status: 'whitelisted', identified: '2026-11-27T08:00:00.000Z', updated: '2026-11-27T09:55:00.500Z', ticketUrl: ticketUrl('AWSSEC-3'), ticket: 'AWSSEC-3' })] }]);
    await run('2026-11-27T10:55:00.500Z');
    assert.is(imported(4).length, 0, 'and nothing more');
    const stored = aws.securityHubFindings(SLAVE1);
    assert.equal(stored.map((entry) => entry.history.map((change) => change.outcome)), [['created', 'updated', 'updated', 'updated']], 'one finding, updated in place');
  } finally {
    await worlds.stopAll();
  }
});

test('with cloudtrails.securityhub unset: no export in the deps, no securityhub key in the summary, no AWS call', async () => {
  const r = await rig({});
  assert.is(r.deps.exportFindings, undefined);
  await putIssue(dynamo.doc, r.setup.issuesTable, disabledIssue(pythonIsoTimestamp(new Date(IDENTIFIED))));
  const summary = await r.run(RUN1);
  assert.is(summary.outcomes.reported, 1);
  assert.not.ok('securityhub' in summary);
  assert.equal(aws.calls, []);
  assert.not.ok('securityhub' in ((await r.item()) ?? {}));
});

test('warns once per account and region where Security Hub is not enabled, sends the other regions, and reports to JIRA/Slack as before', async () => {
  const r = await rig();
  await putIssue(dynamo.doc, r.setup.issuesTable, disabledIssue(pythonIsoTimestamp(new Date(IDENTIFIED))));
  await putIssue(dynamo.doc, r.setup.issuesTable, disabledIssue(pythonIsoTimestamp(new Date(IDENTIFIED)), { issue_id: 'us-east-1', issue_details: { disabled: true, delivery_errors: {}, trails: [] } }));
  const summary = await r.run(RUN1);
  assert.is(summary.outcomes.reported, 2);
  assert.equal(summary.securityhub, { accounts: 3, accounts_failed: 0, accounts_deferred: 0, findings_sent: 1, findings_unchanged: 0, findings_failed: 1, regions_not_enabled: 1 });
  const warnings = log.at('warn').filter((entry) => entry.message.startsWith('Security Hub is not enabled'));
  assert.equal(warnings.map((entry) => [entry.fields.account_id, entry.fields.region, entry.fields.error_code]), [[SLAVE1, 'us-east-1', 'InvalidAccessException']]);
  assert.is(log.at('error').length, 0, 'not an error');
  assert.not.ok('securityhub' in ((await r.item(SLAVE1, 'us-east-1')) ?? {}));
  assert.is((await r.item())?.securityhub !== undefined, true);

  // Enabled later: the next run sends it, and only it.
  aws.state.accounts[SLAVE1]?.securityHubRegions?.push('us-east-1');
  const next = await r.run(RUN2);
  assert.equal([next.securityhub?.findings_sent, next.securityhub?.findings_unchanged], [1, 1]);
  assert.equal(imported(1).map((entry) => [entry.region, entry.findings.map((finding) => finding.Resources?.[0]?.Type)]), [['us-east-1', ['AwsAccount']]]);
});

test('logs a finding Security Hub refuses (FailedFindings), records the others, and sends only it again next run', async () => {
  const r = await rig({ securityhub: true, securityhub_region: 'eu-west-1' });
  await putIssue(dynamo.doc, r.setup.issuesTable, disabledIssue(pythonIsoTimestamp(new Date(IDENTIFIED))));
  await putIssue(dynamo.doc, r.setup.issuesTable, disabledIssue(pythonIsoTimestamp(new Date(IDENTIFIED)), { issue_id: 'us-east-1' }));
  aws.failFindings(1, { code: 'InternalException', message: 'Internal service error' });
  const summary = await r.run(RUN1);
  assert.equal([summary.securityhub?.findings_sent, summary.securityhub?.findings_failed], [1, 1]);
  const errors = log.at('error');
  assert.equal(errors.map((entry) => [entry.message, entry.fields.account_id, entry.fields.region, entry.fields.operation, entry.fields.error_code, entry.fields.finding_id]), [
    ['Security Hub refused the finding; it is sent again next run', SLAVE1, 'eu-west-1', 'BatchImportFindings', 'InternalException', FINDING_ID],
  ]);
  assert.is((await r.item())?.securityhub, undefined);
  assert.ok((await r.item(SLAVE1, 'us-east-1'))?.securityhub);

  const next = await r.run(RUN2);
  assert.equal([next.securityhub?.findings_sent, next.securityhub?.findings_unchanged], [1, 1]);
  assert.equal(imported(1).flatMap((entry) => entry.findings.map((finding) => finding.Id)), [FINDING_ID]);
});

test('imports every finding in cloudtrails.securityhub_region, each about its own region', async () => {
  const r = await rig({ securityhub: true, securityhub_region: 'eu-west-1' });
  await putIssue(dynamo.doc, r.setup.issuesTable, disabledIssue(pythonIsoTimestamp(new Date(IDENTIFIED)), { issue_id: 'us-east-1', issue_details: { disabled: true, delivery_errors: {}, trails: [] } }));
  await r.run(RUN1);
  const [call] = imported();
  assert.equal([call?.accountId, call?.region], [SLAVE1, 'eu-west-1']);
  assert.equal(call?.findings.map((finding) => [finding.Id, finding.ProductArn, finding.Resources]), [[
    `hammer-cloudtrails/${SLAVE1}/us-east-1/cloudtrail-logging`,
    PRODUCT,
    [{ Type: 'AwsAccount', Id: `AWS::::Account:${SLAVE1}`, Partition: 'aws', Region: 'us-east-1' }],
  ]]);
  assert.is((await r.item(SLAVE1, 'us-east-1'))?.securityhub !== undefined, true);
});

test('sends the findings of an account and region in calls of at most the batch size (100)', async () => {
  assert.is(BATCH_SIZE, 100);
  const r = await rig({ securityhub: true, securityhub_region: 'eu-west-1' });
  const identified = pythonIsoTimestamp(new Date(IDENTIFIED));
  for (const region of ['eu-west-1', 'eu-west-2', 'eu-west-3', 'us-east-1', 'us-east-2']) {
    await putIssue(dynamo.doc, r.setup.issuesTable, disabledIssue(identified, { account_id: MASTER, issue_id: region }));
  }
  const summary = await exportToSecurityHub({
    config: r.deps.config,
    store: r.deps.store,
    log,
    clock: clock.now,
    batchSize: 2,
    credentialsFor: async () => undefined,
    clientFor: (_account, region) => new SecurityHubClient({ region, endpoint: aws.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 }),
  }, [{ id: MASTER, name: 'master' }]);
  assert.is(summary.findings_sent, 5);
  assert.equal(imported().map((entry) => [entry.accountId, entry.region, entry.findings.length]), [[MASTER, 'eu-west-1', 2], [MASTER, 'eu-west-1', 2], [MASTER, 'eu-west-1', 1]]);
});

test('uses its own credentials in the main account, and a denied AssumeRole fails only that account\'s export', async () => {
  aws.state.accounts[SLAVE2] = { ...aws.state.accounts[SLAVE2], regions: ['eu-west-1'], denyAssumeRole: true };
  const r = await rig();
  const identified = pythonIsoTimestamp(new Date(IDENTIFIED));
  await putIssue(dynamo.doc, r.setup.issuesTable, disabledIssue(identified, { account_id: MASTER }));
  await putIssue(dynamo.doc, r.setup.issuesTable, disabledIssue(identified, { account_id: SLAVE2 }));
  await putIssue(dynamo.doc, r.setup.issuesTable, disabledIssue(identified));
  const summary = await r.run(RUN1);
  assert.is(summary.outcomes.reported, 3, 'the report is not held up');
  assert.equal([summary.securityhub?.findings_sent, summary.securityhub?.findings_failed, summary.securityhub?.accounts_failed], [2, 1, 1]);
  assert.equal(imported().map((entry) => entry.accountId).sort(), [MASTER, SLAVE1].sort());
  assert.equal(aws.callsTo('sts', 'AssumeRole').map((call) => [call.params.RoleArn, call.httpStatus]), [
    [`arn:aws:iam::${SLAVE1}:role/${ROLE}`, 200],
    [`arn:aws:iam::${SLAVE2}:role/${ROLE}`, 403],
  ], 'no role is assumed in the main account');
  const [error] = log.at('error');
  assert.equal([error?.fields.account_id, error?.fields.operation, error?.fields.error_code], [SLAVE2, 'AssumeRole', 'AccessDenied']);
});

test('sends an unchanged active finding again after 30 days, before Security Hub would delete it', async () => {
  const r = await rig();
  await putIssue(dynamo.doc, r.setup.issuesTable, disabledIssue(pythonIsoTimestamp(new Date(IDENTIFIED))));
  await r.run(RUN1);
  await r.run('2026-12-20T14:55:00.500Z');
  assert.is(imported().length, 1);
  const refreshed = await r.run('2026-12-26T14:55:00.500Z');
  assert.is(refreshed.securityhub?.findings_sent, 1);
  assert.is(imported()[1]?.findings[0]?.UpdatedAt, '2026-12-26T14:55:00.500Z');
});

test('sends the last state of an issue closed before it was exported, unless it closed over 90 days ago', async () => {
  const r = await rig();
  const closed = (region: string, at: string): CloudTrailIssueItem => disabledIssue(pythonIsoTimestamp(new Date(IDENTIFIED)), {
    issue_id: region,
    status: 'closed',
    timestamps: { identified: pythonIsoTimestamp(new Date(IDENTIFIED)), updated: pythonIsoTimestamp(new Date(IDENTIFIED)), reported: at, remediated: null, closed: at, resolved: at },
  });
  await putIssue(dynamo.doc, r.setup.issuesTable, closed('eu-west-1', pythonIsoTimestamp(new Date('2026-11-26T14:30:00.000Z'))));
  await putIssue(dynamo.doc, r.setup.issuesTable, closed('us-east-1', pythonIsoTimestamp(new Date('2026-07-01T00:00:00.000Z'))));
  await r.run(RUN1);
  assert.equal(imported().map((entry) => entry.findings.map((finding) => [finding.Id, finding.RecordState, finding.Compliance?.Status])), [[[FINDING_ID, 'ARCHIVED', 'PASSED']]]);
  await r.run(RUN2);
  assert.is(imported().length, 1);
});

test('leaves the export of the accounts not started for the next run when the time runs out', async () => {
  const r = await rig();
  await putIssue(dynamo.doc, r.setup.issuesTable, disabledIssue(pythonIsoTimestamp(new Date(IDENTIFIED))));
  // The report of the one issue leaves 100 s, under the 120 s reserve: the first account's export still runs.
  const summary = await r.run(RUN1, { budget: { remainingMs: () => 100_000, reserveMs: 120_000 } });
  assert.equal([summary.securityhub?.accounts, summary.securityhub?.accounts_deferred], [1, 2]);
  const [warning] = log.at('warn').filter((entry) => entry.fields.error_code === 'TimeBudget');
  assert.is(warning?.fields.accounts_left, 2);
});

test.run();
