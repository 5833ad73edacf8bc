import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { hasDeliveryErrors, issueComparisonKey, newIssueItem, sameIssue, type CloudTrailFinding, type CloudTrailIssueItem } from '../../../library/issues/cloudTrailIssue.ts';

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
  assert.ok(sameIssue(pythonItem(true), finding()));
});

test('ignores key order, timestamps and jira details when comparing', () => {
  const reordered = pythonItem(true);
  reordered.timestamps.updated = '2027-01-01T00:00:00+00:00';
  reordered.jira_details = {};
  assert.is(issueComparisonKey(reordered), issueComparisonKey(finding()));
});

test('sees a change of trail errors, status or disabled flag', () => {
  const withCloudWatch = finding();
  const [trail] = withCloudWatch.issue_details.trails;
  assert.ok(trail);
  trail.errors = { ...trail.errors, cloudwatch: { resource: 'arn:aws:logs:eu-west-1:210987654321:log-group:trail', error: 'AccessDenied' } };
  assert.not.ok(sameIssue(pythonItem(true), withCloudWatch));
  assert.not.ok(sameIssue(pythonItem(true), { ...finding(), status: 'whitelisted' }));
  assert.not.ok(sameIssue(pythonItem(false), finding()));
  assert.not.ok(sameIssue(finding(), finding({ disabled: true })));
});

test.run();
