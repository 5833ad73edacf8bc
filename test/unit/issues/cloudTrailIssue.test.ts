import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { hasDeliveryErrors, issueComparisonKey, newIssueItem, sameIssue, type CloudTrailFinding, type CloudTrailIssueItem, type IssueComparison } from '../../../library/issues/cloudTrailIssue.ts';

const DEFAULT: IssueComparison = { issueEndpoints: ['s3', 'cloudwatch'] };

const test = suite('cloudTrailIssue');

const TRAIL_ARN = 'arn:aws:cloudtrail:eu-west-1:210987654321:trail/main';

function finding(overrides: Partial<CloudTrailFinding['issue_details']> = {}): CloudTrailFinding {
  return {
    account_id: '210987654321',
    issue_id: 'eu-west-1',
    status: 'open',
    issue_details: {
      disabled: false,
      delivery_errors: { [TRAIL_ARN]: { errors: { s3: { resource: 'trail-bucket', error: 'AccessDenied' } }, events: 'All', multi_region: true } },
      trails: [{ id: TRAIL_ARN, enabled: true, multi_region: true, selectors: 'All', errors: { s3: { resource: 'trail-bucket', error: 'AccessDenied' } } }],
      ...overrides,
    },
  };
}

/** The item Hammer's Python module writes for the same finding: delivery_errors is a boolean, keys in its order. */
function pythonItem(deliveryErrors: boolean): CloudTrailIssueItem {
  return {
    status: 'open',
    issue_id: 'eu-west-1',
    account_id: '210987654321',
    jira_details: { ticket: 'AWSSEC-7' },
    timestamps: { identified: '2026-01-01T00:00:00.000001+00:00', updated: '2026-01-01T00:00:00.000001+00:00', reported: null, remediated: null, closed: null },
    issue_details: {
      trails: [{ errors: { s3: { error: 'AccessDenied', resource: 'trail-bucket' } }, selectors: 'All', multi_region: true, id: TRAIL_ARN, enabled: true }],
      delivery_errors: deliveryErrors,
      disabled: false,
    },
  };
}

test('starts a new item with Hammer timestamps and empty jira details', () => {
  const item = newIssueItem(finding(), '2026-11-26T15:56:20.123000+00:00');
  assert.equal(item.timestamps, { identified: '2026-11-26T15:56:20.123000+00:00', updated: '2026-11-26T15:56:20.123000+00:00', reported: null, remediated: null, closed: null });
  assert.equal(item.jira_details, {});
  assert.is(item.status, 'open');
});

test('reads delivery_errors as Hammer writes it (boolean) and as documented (map)', () => {
  assert.is(hasDeliveryErrors({ delivery_errors: true }), true);
  assert.is(hasDeliveryErrors({ delivery_errors: false }), false);
  assert.is(hasDeliveryErrors({ delivery_errors: {} }), false);
  assert.is(hasDeliveryErrors(finding().issue_details), true);
});

test('finds an item written by the Python module equal to ours for the same trails', () => {
  assert.ok(sameIssue(pythonItem(true), finding(), DEFAULT));
});

test('ignores key order, timestamps and jira details when comparing', () => {
  const reordered = pythonItem(true);
  reordered.timestamps.updated = '2027-01-01T00:00:00+00:00';
  reordered.jira_details = {};
  assert.is(issueComparisonKey(reordered, DEFAULT), issueComparisonKey(finding(), DEFAULT));
});

test('sees a change of trail errors, status or disabled flag', () => {
  const withCloudWatch = finding();
  const [trail] = withCloudWatch.issue_details.trails;
  assert.ok(trail);
  trail.errors = { ...trail.errors, cloudwatch: { resource: 'arn:aws:logs:eu-west-1:210987654321:log-group:trail', error: 'AccessDenied' } };
  assert.not.ok(sameIssue(pythonItem(true), withCloudWatch, DEFAULT));
  assert.not.ok(sameIssue(pythonItem(true), { ...finding(), status: 'whitelisted' }, DEFAULT));
  assert.not.ok(sameIssue(finding(), finding({ disabled: true }), DEFAULT));
});

test('sees a change of a trail\'s id, enabled, multi_region or selectors, and of an issue-endpoint error\'s resource', () => {
  const changes: Array<(trail: CloudTrailFinding['issue_details']['trails'][number]) => void> = [
    (trail) => { trail.id = `${TRAIL_ARN}-2`; },
    (trail) => { trail.enabled = false; },
    (trail) => { trail.multi_region = false; },
    (trail) => { trail.selectors = 'WriteOnly'; },
    (trail) => { trail.errors = { s3: { resource: 'other-bucket', error: 'AccessDenied' } }; },
  ];
  for (const change of changes) {
    const changed = finding();
    const [trail] = changed.issue_details.trails;
    assert.ok(trail);
    change(trail);
    assert.not.ok(sameIssue(finding(), changed, DEFAULT), JSON.stringify(changed.issue_details.trails));
  }
});

test('compares only the listed fields: recorded-only errors, delivery_errors, unknown_trails and new keys are not compared', () => {
  const richer = finding({ unknown_trails: [{ id: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/org', error: 'AccessDeniedException' }] });
  const [trail] = richer.issue_details.trails;
  assert.ok(trail);
  trail.errors = { ...trail.errors, digest: { resource: 'trail-bucket', error: 'AccessDenied' }, sns: { resource: 'arn:aws:sns:eu-west-1:210987654321:t', error: 'NotFound' } };
  Object.assign(trail, { management_events: 'ReadWrite' });
  assert.ok(sameIssue(pythonItem(true), richer, DEFAULT));
  assert.ok(sameIssue(pythonItem(false), finding(), DEFAULT), 'delivery_errors is derived from the trails, not compared');
  assert.not.ok(sameIssue(pythonItem(true), richer, { issueEndpoints: ['s3', 'cloudwatch', 'digest'] }), 'digest compared once it is an issue endpoint');
});

test('compares the trails whatever their stored order', () => {
  const second = { id: `${TRAIL_ARN}-b`, enabled: false, multi_region: false, selectors: 'All', errors: {} };
  const ordered = finding();
  ordered.issue_details.trails = [...ordered.issue_details.trails, second];
  const reversed = finding();
  reversed.issue_details.trails = [second, ...reversed.issue_details.trails];
  assert.ok(sameIssue(ordered, reversed, DEFAULT));
});

test.run();
