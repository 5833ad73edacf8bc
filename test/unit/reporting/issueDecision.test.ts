import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CloudTrailIssueItem, IssueStatus } from '../../../library/issues/cloudTrailIssue.ts';
import { decideIssueAction, isLater } from '../../../reporting/issueDecision.ts';

const test = suite('issueDecision');

const T1 = '2026-11-26T10:00:00.100000+00:00';
const T2 = '2026-11-26T11:00:00.200000+00:00';

function issue(status: IssueStatus, timestamps: Partial<CloudTrailIssueItem['timestamps']> = {}, jira: CloudTrailIssueItem['jira_details'] = {}, disabled = true): CloudTrailIssueItem {
  return {
    account_id: '210987654321',
    issue_id: 'eu-west-1',
    status,
    issue_details: { disabled, delivery_errors: {}, trails: [] },
    timestamps: { identified: T1, updated: T1, reported: null, remediated: null, closed: null, ...timestamps },
    jira_details: jira,
  };
}

const none = { inTempWhitelist: false };

test('a new open issue is reported', () => {
  assert.equal(decideIssueAction(issue('open'), none), { kind: 'report' });
});

test('an unreported issue that already has a ticket is finished, never filed again', () => {
  assert.equal(decideIssueAction(issue('open', {}, { ticket: 'AWSSEC-9' }), none), { kind: 'finish-report', ticket: 'AWSSEC-9' });
  assert.equal(decideIssueAction(issue('whitelisted', {}, { ticket: 'AWSSEC-9' }), none), { kind: 'finish-report', ticket: 'AWSSEC-9' });
});

test('a whitelisted issue never reported is closed without a report', () => {
  assert.equal(decideIssueAction(issue('whitelisted'), none), { kind: 'close-unreported' });
});

test('a resolved issue never reported is still reported, as Hammer does', () => {
  assert.equal(decideIssueAction(issue('resolved'), none), { kind: 'report' });
});

test('reported resolved and whitelisted issues are closed', () => {
  assert.equal(decideIssueAction(issue('resolved', { reported: T1 }, { ticket: 'AWSSEC-1' }), none), { kind: 'close', status: 'resolved' });
  assert.equal(decideIssueAction(issue('whitelisted', { reported: T1 }), none), { kind: 'close', status: 'whitelisted' });
});

test('a reported issue updated after its report gets the change reported; otherwise nothing', () => {
  assert.equal(decideIssueAction(issue('open', { reported: T1, updated: T2 }), none), { kind: 'report-change' });
  assert.equal(decideIssueAction(issue('open', { reported: T2, updated: T1 }), none), { kind: 'nothing' });
  assert.equal(decideIssueAction(issue('open', { reported: T1, updated: T1 }), none), { kind: 'nothing' });
});

test('a reported issue in the temporary whitelist is noted once', () => {
  assert.equal(decideIssueAction(issue('open', { reported: T1 }), { inTempWhitelist: true }), { kind: 'temp-whitelist' });
  assert.equal(decideIssueAction(issue('tempwhitelist', { reported: T1 }), none), { kind: 'temp-whitelist' });
  assert.equal(decideIssueAction(issue('tempwhitelist', { reported: T1, temp_whitelisted: T2 }), none), { kind: 'nothing' });
});

test('an unreported issue with neither disabled logging nor delivery errors is refused, not reported', () => {
  const action = decideIssueAction(issue('open', {}, {}, false), none);
  assert.is(action.kind, 'invalid');
});

test('compares timestamps as instants, down to the microsecond', () => {
  assert.ok(isLater('2026-11-26T10:00:00.000002+00:00', '2026-11-26T10:00:00.000001+00:00'));
  assert.ok(isLater('2026-11-26T10:00:01+00:00', '2026-11-26T10:00:00.999000+00:00'));
  assert.not.ok(isLater('2026-11-26T10:00:00+00:00', '2026-11-26T10:00:00+00:00'));
  assert.ok(isLater('2026-11-26T11:00:00+01:00', '2026-11-26T09:59:59+00:00'));
});

test.run();
