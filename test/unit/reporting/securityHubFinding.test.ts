import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CloudTrailIssueItem, TrailRecord } from '../../../library/issues/cloudTrailIssue.ts';
import {
  CIS_CLOUDTRAIL_ALL_REGIONS,
  CIS_CLOUDWATCH_LOGS,
  CIS_TYPE,
  BEST_PRACTICES_TYPE,
  REFRESH_AFTER_MS,
  buildFinding,
  closedFrom,
  exportDecision,
  findingHash,
  nextUpdatedAt,
  recordOf,
  sendReason,
  type FindingContext,
  type SecurityHubRecord,
} from '../../../reporting/securityhub/securityHubFinding.ts';

const test = suite('securityHubFinding');

const ACCOUNT = '210987654321';
const STOPPED: TrailRecord = { id: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/main`, enabled: false, multi_region: true, selectors: 'All', errors: {} };
const NOW = new Date('2026-11-27T10:00:00.000Z');

function issue(overrides: Partial<CloudTrailIssueItem> = {}): CloudTrailIssueItem {
  return {
    account_id: ACCOUNT,
    issue_id: 'eu-west-1',
    status: 'open',
    issue_details: { disabled: true, delivery_errors: {}, trails: [STOPPED] },
    timestamps: { identified: '2026-11-26T14:15:03.250000+00:00', updated: '2026-11-26T14:15:03.250000+00:00', reported: null, remediated: null, closed: null },
    jira_details: {},
    ...overrides,
  };
}

function context(overrides: Partial<FindingContext> = {}): FindingContext {
  return {
    account: { id: ACCOUNT, name: 'production' },
    importRegion: 'eu-west-1',
    status: 'open',
    issueEndpoints: ['s3', 'cloudwatch'],
    ticketUrl: undefined,
    updatedAt: NOW.toISOString(),
    ...overrides,
  };
}

test('makes a disabled region an active, failed, HIGH finding of the account default product, titled as its ticket', () => {
  const finding = buildFinding(issue({ jira_details: { ticket: 'AWSSEC-7' } }), context({ ticketUrl: 'https://jira.example.com/browse/AWSSEC-7' }));
  assert.equal(finding, {
    SchemaVersion: '2018-10-08',
    Id: `hammer-cloudtrails/${ACCOUNT}/eu-west-1/cloudtrail-logging`,
    ProductArn: `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`,
    GeneratorId: 'hammer-cloudtrails/cloudtrail-logging',
    AwsAccountId: ACCOUNT,
    CreatedAt: '2026-11-26T14:15:03.250Z',
    FirstObservedAt: '2026-11-26T14:15:03.250Z',
    UpdatedAt: '2026-11-27T10:00:00.000Z',
    Title: `Disabled CloudTrail in 'production / ${ACCOUNT} / eu-west-1'`,
    Description: [
      'No enabled CloudTrails for region available.',
      `Account: production / ${ACCOUNT}. Region: eu-west-1. Status: Disabled.`,
      `Trails: ${STOPPED.id} (logging: No, multi-region: Yes, selectors: All).`,
    ].join('\n'),
    Remediation: { Recommendation: { Text: 'Create CloudTrail for region.' } },
    SourceUrl: 'https://jira.example.com/browse/AWSSEC-7',
    ProductFields: { 'hammer/issue_status': 'open', 'hammer/account_name': 'production', 'hammer/ticket': 'AWSSEC-7' },
    Resources: [{ Type: 'AwsCloudTrailTrail', Id: STOPPED.id, Partition: 'aws', Region: 'eu-west-1' }],
    Compliance: { Status: 'FAILED', RelatedRequirements: CIS_CLOUDTRAIL_ALL_REGIONS },
    RecordState: 'ACTIVE',
    FindingProviderFields: { Severity: { Label: 'HIGH', Original: 'CloudTrail disabled' }, Types: [BEST_PRACTICES_TYPE, CIS_TYPE] },
  });
});

test('rates delivery errors MEDIUM, below a disabled region, and relates a CloudWatch Logs error to CIS 2.4 / 3.4 only', () => {
  const trail: TrailRecord = { ...STOPPED, enabled: true, errors: { cloudwatch: { resource: 'arn:aws:logs:eu-west-1:1:log-group:ct', error: 'AccessDenied' } } };
  const withCloudWatch = buildFinding(issue({ issue_details: { disabled: false, delivery_errors: true, trails: [trail] } }), context());
  assert.equal(withCloudWatch.FindingProviderFields?.Severity, { Label: 'MEDIUM', Original: 'CloudTrail logging errors' });
  assert.equal(withCloudWatch.Compliance?.RelatedRequirements, CIS_CLOUDWATCH_LOGS);
  assert.match(withCloudWatch.Title ?? '', /^CloudTrail logging issues in /);
  assert.match(withCloudWatch.Description ?? '', 'errors: cloudwatch[arn:aws:logs:eu-west-1:1:log-group:ct, AccessDenied]');

  const s3Only: TrailRecord = { ...trail, errors: { s3: { resource: 'bucket', error: 'NoSuchBucket' } } };
  const finding = buildFinding(issue({ issue_details: { disabled: false, delivery_errors: true, trails: [s3Only] } }), context());
  assert.equal(finding.Compliance, { Status: 'FAILED' }, 'no CIS recommendation audits S3 delivery errors');
  assert.equal(finding.FindingProviderFields?.Types, [BEST_PRACTICES_TYPE]);
});

test('names the account as the resource when the region has no trail, in the partition of its region', () => {
  const finding = buildFinding(issue({ issue_id: 'cn-north-1', issue_details: { disabled: true, delivery_errors: {}, trails: [] } }), context({ importRegion: 'cn-north-1' }));
  assert.equal(finding.Resources, [{ Type: 'AwsAccount', Id: `AWS::::Account:${ACCOUNT}`, Partition: 'aws-cn', Region: 'cn-north-1' }]);
  assert.is(finding.ProductArn, `arn:aws-cn:securityhub:cn-north-1:${ACCOUNT}:product/${ACCOUNT}/default`);
  assert.match(finding.Description ?? '', 'Trails: not detected.');
});

test('resolves as ARCHIVED, PASSED and INFORMATIONAL; whitelists as ARCHIVED and still FAILED; never sends a Workflow', () => {
  const resolved = buildFinding(issue({ status: 'resolved' }), context({ status: 'resolved' }));
  assert.equal([resolved.RecordState, resolved.Compliance?.Status, resolved.FindingProviderFields?.Severity?.Label], ['ARCHIVED', 'PASSED', 'INFORMATIONAL']);
  const whitelisted = buildFinding(issue({ status: 'whitelisted' }), context({ status: 'whitelisted' }));
  assert.equal([whitelisted.RecordState, whitelisted.Compliance?.Status, whitelisted.FindingProviderFields?.Severity?.Label], ['ARCHIVED', 'FAILED', 'HIGH']);
  assert.is(whitelisted.ProductFields?.['hammer/issue_status'], 'whitelisted');
  assert.is(whitelisted.Workflow, undefined);
  const temp = buildFinding(issue({ status: 'tempwhitelist' }), context({ status: 'tempwhitelist' }));
  assert.equal([temp.RecordState, temp.Compliance?.Status], ['ACTIVE', 'FAILED']);
});

test('imports into the aggregation region with the Id and resources of the issue region', () => {
  const finding = buildFinding(issue(), context({ importRegion: 'us-east-1' }));
  assert.is(finding.ProductArn, `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`);
  assert.is(finding.Id, `hammer-cloudtrails/${ACCOUNT}/eu-west-1/cloudtrail-logging`);
  assert.is(finding.Resources?.[0]?.Region, 'eu-west-1');
});

test('keeps within the ASFF limits: 1024 characters of description, 32 resources, trails with a problem first', () => {
  const healthy = Array.from({ length: 40 }, (_, index): TrailRecord => ({ id: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/a${String(index).padStart(2, '0')}`, enabled: true, multi_region: false, selectors: 'All', errors: {} }));
  const finding = buildFinding(issue({ issue_details: { disabled: true, delivery_errors: {}, trails: [...healthy, STOPPED] } }), context());
  assert.is(finding.Resources?.length, 32);
  assert.is(finding.Resources?.[0]?.Id, STOPPED.id);
  assert.is(finding.Description?.length, 1024);
  assert.ok(finding.Description?.endsWith('…'));
});

test('says why a region with logging trails is disabled, without wiki markup', () => {
  const blind: TrailRecord = { ...STOPPED, enabled: true, selectors: 'WriteOnly', coverage_note: 'logging, but records no write management events' };
  const finding = buildFinding(issue({ issue_details: { disabled: true, delivery_errors: {}, trails: [blind] } }), context());
  assert.match(finding.Description ?? '', 'CloudTrail is logging in the region, but no trail records the management events it must (see Why disabled).');
  assert.match(finding.Description ?? '', `Why disabled: ${blind.id} (selectors: basic selectors, ReadWriteType WriteOnly): logging, but records no write management events.`);
  assert.is(finding.Remediation?.Recommendation?.Text, 'Set the event selectors of a trail of the region to record read and write management events.');
});

test('hashes the finding without UpdatedAt, so only a change of content makes a new hash', () => {
  const a = findingHash(buildFinding(issue(), context()));
  assert.is(findingHash(buildFinding(issue(), context({ updatedAt: '2027-01-01T00:00:00.000Z' }))), a);
  assert.is.not(findingHash(buildFinding(issue({ jira_details: { ticket: 'AWSSEC-9' } }), context())), a);
  assert.is.not(findingHash(buildFinding(issue(), context({ importRegion: 'us-east-1' }))), a);
});

test('sends a new or changed finding, an unchanged active one again after 30 days, an unchanged archived one never', () => {
  const record: SecurityHubRecord = { id: 'x', hash: 'h', region: 'eu-west-1', state: 'ACTIVE', updated: NOW.toISOString() };
  assert.is(sendReason(undefined, 'h', 'ACTIVE', NOW.getTime()), 'new');
  assert.is(sendReason(record, 'other', 'ACTIVE', NOW.getTime()), 'changed');
  assert.is(sendReason(record, 'h', 'ACTIVE', NOW.getTime() + REFRESH_AFTER_MS - 1), undefined);
  assert.is(sendReason(record, 'h', 'ACTIVE', NOW.getTime() + REFRESH_AFTER_MS), 'refresh');
  assert.is(sendReason({ ...record, state: 'ARCHIVED' }, 'h', 'ARCHIVED', NOW.getTime() + 10 * REFRESH_AFTER_MS), undefined);
});

test('gives UpdatedAt after the last one sent, even when the clock is behind it', () => {
  const record: SecurityHubRecord = { id: 'x', hash: 'h', region: 'eu-west-1', state: 'ACTIVE', updated: '2026-11-27T10:00:05.000Z' };
  assert.is(nextUpdatedAt(record, NOW), '2026-11-27T10:00:05.001Z');
  assert.is(nextUpdatedAt(undefined, NOW), NOW.toISOString());
  assert.is(nextUpdatedAt({ ...record, updated: '2026-11-27T09:00:00.000Z' }, NOW), NOW.toISOString());
});

test('reads a record only when it is whole', () => {
  const record = { id: 'x', hash: 'h', region: 'eu-west-1', state: 'ARCHIVED', updated: NOW.toISOString() };
  assert.equal(recordOf({ ...issue(), securityhub: record } as CloudTrailIssueItem), record);
  assert.is(recordOf({ ...issue(), securityhub: { ...record, state: 'DONE' } } as CloudTrailIssueItem), undefined);
  assert.is(recordOf(issue()), undefined);
});

test('tells the status a closed issue was closed from: resolved when resolving was its last change, else whitelisted', () => {
  const closed = (timestamps: Partial<CloudTrailIssueItem['timestamps']>) => issue({ status: 'closed', timestamps: { ...issue().timestamps, closed: '2026-11-27T09:00:00.000000+00:00', ...timestamps } });
  assert.is(closedFrom(closed({ resolved: '2026-11-27T08:00:00.000000+00:00' })), 'resolved');
  assert.is(closedFrom(closed({})), 'whitelisted');
  // Resolved, then found broken again and whitelisted before the report: identification moved `updated`.
  assert.is(closedFrom(closed({ resolved: '2026-11-27T08:00:00.000000+00:00', updated: '2026-11-27T08:30:00.000000+00:00' })), 'whitelisted');
});

test('exports a closed issue once more unless its last state was sent, or it closed over 90 days ago unrecorded', () => {
  const nowMs = NOW.getTime();
  const closed = issue({ status: 'closed', timestamps: { ...issue().timestamps, resolved: '2026-11-27T08:00:00.000000+00:00', closed: '2026-11-27T09:00:00.000000+00:00' } });
  assert.equal(exportDecision(closed, undefined, nowMs), { export: true, status: 'resolved' });
  const active: SecurityHubRecord = { id: 'x', hash: 'h', region: 'eu-west-1', state: 'ACTIVE', updated: '2026-11-26T00:00:00.000Z' };
  assert.equal(exportDecision(closed, active, nowMs), { export: true, status: 'resolved' });
  assert.is(exportDecision(closed, { ...active, state: 'ARCHIVED' }, nowMs).export, false);
  const old = issue({ status: 'closed', timestamps: { ...issue().timestamps, closed: '2026-08-01T00:00:00.000000+00:00' } });
  assert.is(exportDecision(old, undefined, nowMs).export, false);
  assert.equal(exportDecision(old, active, nowMs), { export: true, status: 'whitelisted' }, 'an active finding sent for it is closed whatever its age');
  assert.is(exportDecision(issue({ issue_details: { disabled: false, delivery_errors: false, trails: [] } }), undefined, nowMs).export, false);
  assert.is(exportDecision(issue({ status: 'unknown' }), undefined, nowMs).export, false);
});

test.run();
