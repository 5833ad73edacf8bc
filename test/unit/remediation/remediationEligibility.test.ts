import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CloudTrailIssueItem } from '../../../library/issues/cloudTrailIssue.ts';
import { decideEligibility, type EligibilityContext } from '../../../remediation/remediationEligibility.ts';
import { disabledIssue } from '../../helpers/reportingFixtures.ts';

const test = suite('remediationEligibility');

const NOW = new Date('2026-11-26T12:00:00.000Z');
const context = (overrides: Partial<EligibilityContext> = {}): EligibilityContext => ({ inWhitelist: false, inTempWhitelist: false, retentionDays: 30, now: NOW, ...overrides });

/** A disabled issue reported at `reported`, as the Python module writes timestamps. */
function reportedIssue(reported: string | null, remediated: string | null = null): CloudTrailIssueItem {
  const issue = disabledIssue('2026-01-01T08:00:00.123456+00:00');
  return { ...issue, timestamps: { ...issue.timestamps, reported, remediated } };
}

test('due when reported at least the retention period ago, counted in whole days as Python\'s timedelta.days', () => {
  assert.equal(decideEligibility(reportedIssue('2026-10-27T12:00:00.000001+00:00'), context()), { kind: 'skip', reason: 'retention', detail: '1 days before remediation', daysLeft: 1 });
  assert.equal(decideEligibility(reportedIssue('2026-10-27T12:00:00+00:00'), context()), { kind: 'due', daysSinceReported: 30 });
  assert.equal(decideEligibility(reportedIssue('2025-11-26T11:00:00.000000+00:00'), context({ retentionDays: 365 })), { kind: 'due', daysSinceReported: 365 });
});

test('a retention period of 0 makes a reported issue due at once', () => {
  assert.equal(decideEligibility(reportedIssue('2026-11-26T11:59:00+00:00'), context({ retentionDays: 0 })), { kind: 'due', daysSinceReported: 0 });
});

test('never remediates an issue that was not reported, or was remediated already', () => {
  assert.equal(decideEligibility(reportedIssue(null), context()), { kind: 'skip', reason: 'not-reported', detail: 'was not reported' });
  const again = decideEligibility(reportedIssue('2026-01-01T00:00:00+00:00', '2026-02-01T00:00:00+00:00'), context());
  assert.equal(again, { kind: 'skip', reason: 'already-remediated', detail: 'has been already remediated (2026-02-01T00:00:00+00:00)' });
});

test('the temporary whitelist comes first, then the whitelist, as in Hammer', () => {
  const due = reportedIssue('2026-01-01T00:00:00+00:00');
  assert.is((decideEligibility(due, context({ inWhitelist: true, inTempWhitelist: true })) as { reason: string }).reason, 'temp-whitelisted');
  assert.is((decideEligibility(due, context({ inWhitelist: true })) as { reason: string }).reason, 'whitelisted');
});

test('an item without a readable reported time is invalid, not due', () => {
  assert.equal(decideEligibility(reportedIssue('last tuesday'), context()), { kind: 'skip', reason: 'invalid', detail: 'timestamps.reported "last tuesday" is not a timestamp' });
  const broken = { ...reportedIssue('2026-01-01T00:00:00+00:00'), timestamps: 'none' } as unknown as CloudTrailIssueItem;
  assert.is((decideEligibility(broken, context()) as { reason: string }).reason, 'invalid');
});

test.run();
