import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TrailRecord } from '../../../library/issues/cloudTrailIssue.ts';
import { ALL_MANAGEMENT_EVENTS, UNKNOWN_COVERAGE, managementCoverage, type ManagementCoverage } from '../../../library/scan/managementEventCoverage.ts';
import { judgeRegion, type CoverageRules } from '../../../library/scan/regionVerdict.ts';
import type { UnknownTrail } from '../../../library/scan/regionCheck.ts';

const test = suite('regionVerdict');
const HAMMER_ENDPOINTS = ['s3', 'cloudwatch'] as const;
const A = 'arn:aws:cloudtrail:eu-west-1:210987654321:trail/a';
const B = 'arn:aws:cloudtrail:us-east-1:210987654321:trail/b';
const ORG = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/org';

function record(id: string, enabled: boolean, errors: TrailRecord['errors'] = {}, selectors = 'All', multiRegion = false): TrailRecord {
  return { id, enabled, multi_region: multiRegion, selectors, errors };
}

/** Every trail records all management events unless `coverage` says otherwise. */
function rules(trails: readonly TrailRecord[], coverage: Record<string, ManagementCoverage> = {}, requireReadManagementEvents = false): CoverageRules {
  return { coverage: new Map(trails.map((trail) => [trail.id, coverage[trail.id] ?? ALL_MANAGEMENT_EVENTS])), requireReadManagementEvents };
}

function judge(trails: TrailRecord[], unknownTrails: UnknownTrail[], endpoints: readonly ('s3' | 'cloudwatch' | 'sns' | 'digest')[] = HAMMER_ENDPOINTS, coverage: Record<string, ManagementCoverage> = {}, requireRead = false) {
  return judgeRegion(trails, unknownTrails, endpoints, rules(trails, coverage, requireRead));
}

const READ_ONLY = managementCoverage({ EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] });
const WRITE_ONLY = managementCoverage({ EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] });
const DATA_ONLY = managementCoverage({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }] });
const NO_WRITES = 'logging, but records no write management events';

test('no trails at all is disabled', () => {
  assert.equal(judge([], []), { kind: 'issue', disabled: true, deliveryErrors: {}, notCovering: {} });
});

test('no trail logging is disabled, whatever errors they have', () => {
  assert.equal(judge([record(A, false, { s3: { resource: 'b', error: 'AccessDenied' } })], []), { kind: 'issue', disabled: true, deliveryErrors: {}, notCovering: {} });
});

test('a logging trail without errors is fine', () => {
  assert.equal(judge([record(A, true), record(B, false, { s3: { resource: 'b', error: 'x' } })], []), { kind: 'ok' });
});

test('delivery errors map the logging trails with an error on an issue endpoint', () => {
  const errors = { cloudwatch: { resource: 'lg', error: 'AccessDenied' }, sns: { resource: null, error: 'NotFound' } };
  assert.equal(judge([record(A, true, errors, 'ReadOnly', true), record(B, true)], [], HAMMER_ENDPOINTS, { [A]: READ_ONLY }), {
    kind: 'issue', disabled: false, deliveryErrors: { [A]: { errors, events: 'ReadOnly', multi_region: true } }, notCovering: {},
  });
});

test('errors on endpoints outside issue_endpoints open no issue', () => {
  const trails = [record(A, true, { sns: { resource: null, error: 'NotFound' }, digest: { resource: 'b', error: 'AccessDenied' } })];
  assert.equal(judge(trails, []), { kind: 'ok' });
  assert.equal(judge(trails, [], ['digest']).kind, 'issue');
});

test('a trail of unknown status keeps the region from being disabled, and proves nothing either', () => {
  assert.equal(judge([], [{ id: ORG, error: 'AccessDeniedException' }]), { kind: 'unknown' });
  assert.equal(judge([record(A, false)], [{ id: ORG, error: 'AccessDeniedException' }]), { kind: 'unknown' });
});

test('a known logging trail still decides when another trail\'s status is unknown', () => {
  assert.equal(judge([record(A, true)], [{ id: ORG, error: 'AccessDeniedException' }]), { kind: 'ok' });
  const errors = { s3: { resource: 'b', error: 'AccessDenied' } };
  assert.equal(judge([record(A, true, errors)], [{ id: ORG, error: 'AccessDeniedException' }]), {
    kind: 'issue', disabled: false, deliveryErrors: { [A]: { errors, events: 'All', multi_region: false } }, notCovering: {},
  });
});

test('a logging trail that records no write management events leaves the region disabled, and says why', () => {
  assert.equal(judge([record(A, true, {}, 'ReadOnly', true)], [], HAMMER_ENDPOINTS, { [A]: READ_ONLY }), {
    kind: 'issue', disabled: true, deliveryErrors: {}, notCovering: { [A]: NO_WRITES },
  });
  assert.equal(judge([record(A, true, {}, 'Advanced: Data(AWS::S3::Object)'), record(B, false)], [], HAMMER_ENDPOINTS, { [A]: DATA_ONLY }), {
    kind: 'issue', disabled: true, deliveryErrors: {}, notCovering: { [A]: NO_WRITES },
  }, 'a stopped trail gets no sentence: "Enabled: No" says it');
});

test('delivery errors of a trail that does not cover are still delivery errors, beside disabled', () => {
  const errors = { s3: { resource: 'b', error: 'AccessDenied' } };
  assert.equal(judge([record(A, true, errors, 'ReadOnly')], [], HAMMER_ENDPOINTS, { [A]: READ_ONLY }), {
    kind: 'issue', disabled: true, deliveryErrors: { [A]: { errors, events: 'ReadOnly', multi_region: false } }, notCovering: { [A]: NO_WRITES },
  });
});

test('one covering trail is enough, whatever the other trails record', () => {
  assert.equal(judge([record(A, true, {}, 'ReadOnly'), record(B, true)], [], HAMMER_ENDPOINTS, { [A]: READ_ONLY }), { kind: 'ok' });
});

test('unreadable selectors of a logging trail are unknown: never disabled, never a fix', () => {
  assert.equal(judge([record(A, true, {}, 'Unknown')], [], HAMMER_ENDPOINTS, { [A]: UNKNOWN_COVERAGE }), { kind: 'unknown' });
  assert.equal(judge([record(A, true, {}, 'Unknown'), record(B, true, {}, 'ReadOnly')], [], HAMMER_ENDPOINTS, { [A]: UNKNOWN_COVERAGE, [B]: READ_ONLY }), { kind: 'unknown' });
  assert.equal(judgeRegion([record(A, true)], [], HAMMER_ENDPOINTS, { coverage: new Map(), requireReadManagementEvents: false }), { kind: 'unknown' }, 'a trail nobody judged counts as unknown');
});

test('a trail of unknown status keeps a region whose logging trails record no writes from being disabled', () => {
  assert.equal(judge([record(A, true, {}, 'ReadOnly')], [{ id: ORG, error: 'AccessDeniedException' }], HAMMER_ENDPOINTS, { [A]: READ_ONLY }), { kind: 'unknown' });
});

test('with require_read_management_events a write-only trail does not cover; without, it does', () => {
  const trails = [record(A, true, {}, 'WriteOnly')];
  assert.equal(judge(trails, [], HAMMER_ENDPOINTS, { [A]: WRITE_ONLY }), { kind: 'ok' });
  assert.equal(judge(trails, [], HAMMER_ENDPOINTS, { [A]: WRITE_ONLY }, true), {
    kind: 'issue', disabled: true, deliveryErrors: {}, notCovering: { [A]: 'logging, but records no read management events' },
  });
  assert.equal(judge(trails, [], HAMMER_ENDPOINTS, { [A]: ALL_MANAGEMENT_EVENTS }, true), { kind: 'ok' });
});

test('coverage is per trail: a read-only and a write-only trail do not add up to one that records both', () => {
  assert.equal(judge([record(A, true, {}, 'ReadOnly'), record(B, true, {}, 'WriteOnly')], [], HAMMER_ENDPOINTS, { [A]: READ_ONLY, [B]: WRITE_ONLY }, true), {
    kind: 'issue', disabled: true, deliveryErrors: {}, notCovering: { [A]: NO_WRITES, [B]: 'logging, but records no read management events' },
  });
});

test.run();
