import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_RETRY_POLICY, answerSummary, retryWaitMs } from '../../../reporting/jira/jiraHttp.ts';

const test = suite('jiraHttp');

const NOW = Date.parse('2026-11-26T15:00:00Z');

test('waits the seconds of Retry-After', () => {
  assert.is(retryWaitMs({ headers: { 'retry-after': '12' } }, 1, DEFAULT_RETRY_POLICY, NOW), 12_000);
  assert.is(retryWaitMs({ headers: { 'retry-after': '0' } }, 1, DEFAULT_RETRY_POLICY, NOW), 0);
});

test('waits until the date of Retry-After', () => {
  assert.is(retryWaitMs({ headers: { 'retry-after': 'Thu, 26 Nov 2026 15:00:30 GMT' } }, 1, DEFAULT_RETRY_POLICY, NOW), 30_000);
  assert.is(retryWaitMs({ headers: { 'retry-after': 'Thu, 26 Nov 2026 14:00:00 GMT' } }, 1, DEFAULT_RETRY_POLICY, NOW), 0);
});

test('backs off exponentially without Retry-After', () => {
  assert.equal([1, 2, 3].map((attempt) => retryWaitMs({ headers: {} }, attempt, DEFAULT_RETRY_POLICY, NOW)), [1000, 2000, 4000]);
  assert.is(retryWaitMs({ headers: { 'retry-after': 'soon' } }, 2, DEFAULT_RETRY_POLICY, NOW), 2000);
});

test('does not wait longer than the policy allows', () => {
  assert.is(retryWaitMs({ headers: { 'retry-after': '61' } }, 1, DEFAULT_RETRY_POLICY, NOW), undefined);
  assert.is(retryWaitMs({ headers: { 'retry-after': '60' } }, 1, DEFAULT_RETRY_POLICY, NOW), 60_000);
});

test("summarises JIRA's error body: messages and field errors", () => {
  assert.is(
    answerSummary({ status: 400, headers: {}, data: { errorMessages: ['Issue Does Not Exist'], errors: { summary: 'You must specify a summary of the issue.' } } }),
    'Issue Does Not Exist; summary: You must specify a summary of the issue.',
  );
  assert.is(answerSummary({ status: 502, headers: {}, data: '<html>Bad gateway</html>' }), 'no JIRA error message (the answer is not JSON)');
});

test('names the OAuth problem of a 401 and the target of a redirect', () => {
  assert.is(answerSummary({ status: 401, headers: { 'www-authenticate': 'OAuth realm="https://jira", oauth_problem="timestamp_refused"' }, data: '' }), 'not authenticated (oauth_problem timestamp_refused)');
  assert.is(answerSummary({ status: 401, headers: {}, data: '' }), 'not authenticated: check the JIRA credentials item');
  assert.is(answerSummary({ status: 302, headers: { location: 'https://jira.example.com/login.jsp' }, data: '' }), 'redirected to https://jira.example.com/login.jsp: check jira.server');
});

test.run();
