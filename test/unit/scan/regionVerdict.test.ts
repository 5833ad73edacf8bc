import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TrailRecord } from '../../../library/issues/cloudTrailIssue.ts';
import { judgeRegion } from '../../../library/scan/regionVerdict.ts';

const test = suite('regionVerdict');
const HAMMER_ENDPOINTS = ['s3', 'cloudwatch'] as const;
const A = 'arn:aws:cloudtrail:eu-west-1:210987654321:trail/a';
const B = 'arn:aws:cloudtrail:us-east-1:210987654321:trail/b';
const ORG = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/org';

function record(id: string, enabled: boolean, errors: TrailRecord['errors'] = {}, selectors = 'All', multiRegion = false): TrailRecord {
  return { id, enabled, multi_region: multiRegion, selectors, errors };
}

test('no trails at all is disabled', () => {
  assert.equal(judgeRegion([], [], HAMMER_ENDPOINTS), { kind: 'issue', disabled: true, deliveryErrors: {} });
});

test('no trail logging is disabled, whatever errors they have', () => {
  assert.equal(judgeRegion([record(A, false, { s3: { resource: 'b', error: 'AccessDenied' } })], [], HAMMER_ENDPOINTS), { kind: 'issue', disabled: true, deliveryErrors: {} });
});

test('a logging trail without errors is fine', () => {
  assert.equal(judgeRegion([record(A, true), record(B, false, { s3: { resource: 'b', error: 'x' } })], [], HAMMER_ENDPOINTS), { kind: 'ok' });
});

test('delivery errors map the logging trails with an error on an issue endpoint', () => {
  const errors = { cloudwatch: { resource: 'lg', error: 'AccessDenied' }, sns: { resource: null, error: 'NotFound' } };
  assert.equal(judgeRegion([record(A, true, errors, 'ReadOnly', true), record(B, true)], [], HAMMER_ENDPOINTS), {
    kind: 'issue', disabled: false, deliveryErrors: { [A]: { errors, events: 'ReadOnly', multi_region: true } },
  });
});

test('errors on endpoints outside issue_endpoints open no issue', () => {
  const trails = [record(A, true, { sns: { resource: null, error: 'NotFound' }, digest: { resource: 'b', error: 'AccessDenied' } })];
  assert.equal(judgeRegion(trails, [], HAMMER_ENDPOINTS), { kind: 'ok' });
  assert.equal(judgeRegion(trails, [], ['digest']).kind, 'issue');
});

test('a trail of unknown status keeps the region from being disabled, and proves nothing either', () => {
  assert.equal(judgeRegion([], [{ id: ORG, error: 'AccessDeniedException' }], HAMMER_ENDPOINTS), { kind: 'unknown' });
  assert.equal(judgeRegion([record(A, false)], [{ id: ORG, error: 'AccessDeniedException' }], HAMMER_ENDPOINTS), { kind: 'unknown' });
});

test('a known logging trail still decides when another trail\'s status is unknown', () => {
  assert.equal(judgeRegion([record(A, true)], [{ id: ORG, error: 'AccessDeniedException' }], HAMMER_ENDPOINTS), { kind: 'ok' });
  const errors = { s3: { resource: 'b', error: 'AccessDenied' } };
  assert.equal(judgeRegion([record(A, true, errors)], [{ id: ORG, error: 'AccessDeniedException' }], HAMMER_ENDPOINTS), {
    kind: 'issue', disabled: false, deliveryErrors: { [A]: { errors, events: 'All', multi_region: false } },
  });
});

test.run();
