import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CloudTrailIssueItem, IssueStatus } from '../../../library/issues/cloudTrailIssue.ts';
import { CREATION_SETTLE_MS, decideIssueAction, isLater, lifecycleLabel, type DecisionContext } from '../../../reporting/issueDecision.ts';
import { pythonIsoTimestamp } from '../../../library/runtime/clock.ts';

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

const NOW = '2026-11-26T12:00:00.300000+00:00';
/** JIRA off: Hammer's rules only. */
const none: DecisionContext = { inTempWhitelist: false, ticketing: false, now: NOW };
/** JIRA on. */
const jira: DecisionContext = { inTempWhitelist: false, ticketing: true, now: NOW };
const LABEL = 'hammer-cloudtrails-210987654321-eu-west-1-20261126T1000001000000000';

test('a new open issue is reported', () => {
  assert.equal(decideIssueAction(issue('open'), none), { kind: 'report', label: LABEL });
  assert.equal(decideIssueAction(issue('open'), jira), { kind: 'report', label: LABEL });
});

test('an unreported issue that already has a ticket is finished, never filed again', () => {
  assert.equal(decideIssueAction(issue('open', {}, { ticket: 'AWSSEC-9' }), none), { kind: 'finish-report', ticket: 'AWSSEC-9' });
  assert.equal(decideIssueAction(issue('whitelisted', {}, { ticket: 'AWSSEC-9' }), none), { kind: 'finish-report', ticket: 'AWSSEC-9' });
});

test('a whitelisted issue never reported is closed without a report', () => {
  assert.equal(decideIssueAction(issue('whitelisted'), none), { kind: 'close-unreported' });
});

test('a resolved issue never reported is still reported, as Hammer does', () => {
  assert.equal(decideIssueAction(issue('resolved'), none), { kind: 'report', label: LABEL });
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
  assert.equal(decideIssueAction(issue('open', { reported: T1 }), { ...none, inTempWhitelist: true }), { kind: 'temp-whitelist' });
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

test('the lifecycle label names account, region and the identified time, one per lifecycle', () => {
  assert.is(lifecycleLabel(issue('open')), LABEL);
  assert.is(lifecycleLabel({ ...issue('open'), timestamps: { ...issue('open').timestamps, identified: T2 } }), 'hammer-cloudtrails-210987654321-eu-west-1-20261126T1100002000000000');
  assert.not.match(lifecycleLabel(issue('open')), /\s/);
});

test('with JIRA on, an open issue reported without a ticket gets one (backfill); with JIRA off it is left as it is', () => {
  const pythonReported = issue('open', { reported: T1 });
  assert.equal(decideIssueAction(pythonReported, jira), { kind: 'backfill-ticket', label: LABEL });
  assert.equal(decideIssueAction(pythonReported, none), { kind: 'nothing' });
  assert.equal(decideIssueAction(issue('tempwhitelist', { reported: T1, temp_whitelisted: T2 }), jira), { kind: 'nothing' }, 'only open issues are backfilled');
  assert.equal(decideIssueAction(issue('resolved', { reported: T1 }), jira), { kind: 'close', status: 'resolved' });
});

test('a backfilled ticket whose follow-ups are not marked is finished; a ticket set by hand is left alone', () => {
  assert.equal(decideIssueAction(issue('open', { reported: T1 }, { ticket: 'AWSSEC-5', ticket_label: LABEL }), jira), { kind: 'finish-backfill', ticket: 'AWSSEC-5' });
  assert.equal(decideIssueAction(issue('open', { reported: T1 }, { ticket: 'AWSSEC-5', ticket_label: LABEL, ticket_assignee_id: null }), jira), { kind: 'nothing' });
  assert.equal(decideIssueAction(issue('open', { reported: T1 }, { ticket: 'AWSSEC-5' }), jira), { kind: 'nothing' });
});

test('a creation attempt without a key: searched for once it is older than the settle time, waited for before', () => {
  const startedAt = pythonIsoTimestamp(new Date(Date.parse('2026-11-26T12:00:00.300Z') - CREATION_SETTLE_MS));
  const recent = pythonIsoTimestamp(new Date(Date.parse('2026-11-26T12:00:00.300Z') - CREATION_SETTLE_MS + 1000));
  const attempt = (at: string, reported: string | null = null) => issue('open', { reported }, { ticket_label: LABEL, ticket_creation_started: at });
  assert.equal(decideIssueAction(attempt(startedAt), jira), { kind: 'find-ticket', attempt: { label: LABEL, startedAt } });
  assert.equal(decideIssueAction(attempt(startedAt, T1), jira), { kind: 'find-ticket', attempt: { label: LABEL, startedAt } }, 'a backfill attempt too');
  assert.equal(decideIssueAction(attempt(recent), jira), { kind: 'await-search-index', attempt: { label: LABEL, startedAt: recent } });
  assert.equal(decideIssueAction(issue('whitelisted', {}, { ticket_label: LABEL, ticket_creation_started: startedAt }), jira).kind, 'find-ticket', 'before closing quietly');
  assert.equal(decideIssueAction(issue('open', {}, { ticket_label: LABEL, ticket_creation_started: null }), jira), { kind: 'report', label: LABEL }, 'a cleared attempt');
  assert.equal(decideIssueAction(attempt(startedAt), none), { kind: 'report', label: LABEL }, 'JIRA off: no search');
});

test('a ticket being closed when identification reopened the issue is looked at before anything else', () => {
  const reopened = issue('open', { reported: T1, updated: T2 }, { ticket: 'AWSSEC-3', ticket_assignee_id: 'bob', ticket_close_started: T2 });
  assert.equal(decideIssueAction(reopened, jira), { kind: 'reopened-while-closing', ticket: 'AWSSEC-3' });
  assert.equal(decideIssueAction(reopened, none), { kind: 'report-change' }, 'JIRA off: no ticket to look at');
  const stillResolved = issue('resolved', { reported: T1 }, { ticket: 'AWSSEC-3', ticket_close_started: T2 });
  assert.equal(decideIssueAction(stillResolved, jira), { kind: 'close', status: 'resolved' }, 'a close that stopped halfway is finished');
});

test.run();
