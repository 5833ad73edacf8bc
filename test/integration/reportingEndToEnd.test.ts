/**
 * Reporting end to end: the production wiring of create_cloudtrail_tickets
 * (productionReportingDeps: the issue store, the credentials table, the JIRA
 * REST client of reporting/jira, the Slack Web API notifier) against dynalite,
 * the loopback fake JIRA (Server and Cloud, OAuth/basic checked) and the
 * loopback fake Slack. Only the clock and the retry waits are test doubles.
 * Every test asserts the exact stored item and the requests each server saw.
 */
import { generateKeyPairSync } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pythonIsoTimestamp } from '../../library/runtime/clock.ts';
import type { CloudTrailIssueItem } from '../../library/issues/cloudTrailIssue.ts';
import { JiraCredentialsError } from '../../reporting/jira/jiraCredentials.ts';
import { ReportingSetupError } from '../../reporting/reportingRun.ts';
import { startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';
import { BOB, BOT, SECRETS, credentialsItem } from '../fakes/fakeJiraFixtures.ts';
import type { FakeJiraIssue } from '../fakes/fakeJiraServer.ts';
import type { RecordingLog } from '../helpers/recordingLog.ts';
import { S3_ERROR_TRAIL, SLAVE1, disabledIssue, putIssue, type TestClock } from '../helpers/reportingFixtures.ts';
import { ReportingWorlds, calls, lastRequest, pemBodyLine, slackCalls, toEveryOwner, type World, type WorldOptions } from '../helpers/reportingWorld.ts';

const test = suite('reportingEndToEnd');

const IDENTIFIED = '2026-11-26T14:15:03.250000+00:00';
const RUN1 = '2026-11-26T14:55:00.500Z';
const RUN2 = '2026-11-26T15:55:00.500Z';
const RUN3 = '2026-11-26T16:55:00.500Z';
/** When identification changes the issue between two runs. */
const IDENTIFICATION = '2026-11-26T15:15:04.000Z';
const iso = (date: string): string => pythonIsoTimestamp(new Date(date));

const API = '/rest/api/2';
const TICKET = 'AWSSEC-2';
/** The lifecycle label of the disabled issue identified at IDENTIFIED. */
const LABEL = 'hammer-cloudtrails-210987654321-eu-west-1-20261126T1415032500000000';
const SUMMARY = "Disabled CloudTrail in 'slave1 / 210987654321 / eu-west-1'";
const DESCRIPTION =
  'No enabled CloudTrails for region available.\n\n' +
  '*Risk*: High\n\n' +
  '*Account Name*: slave1\n' +
  '*Account ID*: 210987654321\n' +
  '*Region*: eu-west-1\n' +
  '*Status*: Disabled\n\n' +
  '*Trails*:\n' +
  '||Trail ARN||Enabled||Multi Region||Selectors||Errors||\n' +
  '|arn:aws:cloudtrail:eu-west-1:210987654321:trail/main|No|Yes|All|-|\n' +
  '\n\n*Recommendation*: Create CloudTrail for region. ' +
  'For any other exceptions, please follow the [whitelisting procedure|https://wiki.example.com/whitelisting] and provide a strong business reasoning. ';

let dynamo: LocalDynamo;
let worlds: ReportingWorlds;
let log: RecordingLog;
let clock: TestClock;
let sleeps: number[];
/** Secrets of the current test's credentials, none of which may reach a log line. */
let secrets: string[];

test.before(async () => {
  dynamo = await startDynalite();
  worlds = new ReportingWorlds(dynamo);
});

test.after(async () => {
  await dynamo.stop();
});

test.before.each(() => {
  worlds.reset(RUN1);
  ({ log, clock, sleeps, secrets } = worlds);
});

test.after.each(async () => {
  await worlds.stopAll();
});

function world(options: WorldOptions = {}): Promise<World> {
  return worlds.start(options);
}

/** The disabled issue as a run at `at` leaves it: reported, its ticket stored with its label, creation mark and assignee. */
function reportedIssue(assignee: string | null = BOB.name, at = RUN1): CloudTrailIssueItem {
  return disabledIssue(IDENTIFIED, {
    timestamps: { identified: IDENTIFIED, updated: IDENTIFIED, reported: iso(at), remediated: null, closed: null },
    jira_details: { ticket_label: LABEL, ticket_creation_started: iso(at), ticket: TICKET, ticket_assignee_id: assignee },
  });
}

/** The new ticket as the fake JIRA holds it after a complete report. */
function filedTicket(overrides: Partial<FakeJiraIssue> = {}): FakeJiraIssue {
  return {
    id: '10001',
    key: TICKET,
    project: 'AWSSEC',
    summary: SUMMARY,
    description: DESCRIPTION,
    issueType: 'Task',
    priority: 'Major',
    labels: ['cloudtrail-issue', LABEL],
    status: 'Open',
    statusCategory: 'new',
    assignee: BOB.name,
    reporter: BOT.name,
    watchers: [BOT.name, BOB.name],
    comments: [],
    links: [{ type: 'Relates', inward: TICKET, outward: 'AWSSEC-1' }],
    transitions: [],
    ...overrides,
  };
}

/** The disabled issue after a run at `at` whose creation JIRA refused or never answered: only the creation mark. */
function attemptedIssue(at = RUN1): CloudTrailIssueItem {
  return disabledIssue(IDENTIFIED, { jira_details: { ticket_label: LABEL, ticket_creation_started: iso(at) } });
}

/** A world whose disabled issue the first run has reported (ticket AWSSEC-2, messages sent). */
async function reportedWorld(options: WorldOptions = {}): Promise<World> {
  const w = await world(options);
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));
  assert.is((await w.run(RUN1)).outcomes.reported, 1);
  assert.equal(await w.item(), reportedIssue());
  w.slack.messages.length = 0;
  return w;
}

const NEW_TICKET_CALLS = [
  `POST ${API}/issue`,
  `GET ${API}/issueLinkType`,
  `POST ${API}/issueLink`,
  `GET ${API}/serverInfo`,
  `GET ${API}/user/assignable/search`,
  `PUT ${API}/issue/${TICKET}/assignee`,
  `POST ${API}/issue/${TICKET}/watchers`,
];

test('a new disabled region gets one ticket with its texts, labels, priority, link, assignee and watcher, and one Slack message per owner', async () => {
  const w = await world();
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));

  const summary = await w.run(RUN1);

  assert.equal(summary.outcomes, { reported: 1, 'ticket-filed': 0, 'change-reported': 0, closed: 0, 'temp-whitelisted': 0, unchanged: 0, waiting: 0, 'changed-meanwhile': 0, failed: 0 });
  assert.equal(calls(w.jira), NEW_TICKET_CALLS);
  assert.equal(lastRequest(w.jira, 'POST', `${API}/issue`)?.body, {
    fields: { project: { key: 'AWSSEC' }, summary: SUMMARY, description: DESCRIPTION, issuetype: { name: 'Task' }, priority: { name: 'Major' }, labels: ['cloudtrail-issue', LABEL] },
  });
  assert.equal(lastRequest(w.jira, 'POST', `${API}/issueLink`)?.body, { type: { name: 'Relates' }, inwardIssue: { key: TICKET }, outwardIssue: { key: 'AWSSEC-1' } });
  assert.equal(lastRequest(w.jira, 'GET', `${API}/user/assignable/search`)?.query, { project: 'AWSSEC', username: 'bob', maxResults: '50' });
  assert.equal(lastRequest(w.jira, 'PUT', `${API}/issue/${TICKET}/assignee`)?.body, { name: 'bob' });
  assert.equal(lastRequest(w.jira, 'POST', `${API}/issue/${TICKET}/watchers`)?.body, 'bob');
  assert.ok(w.jira.requests.every((request) => request.auth === 'basic' && request.authenticated));
  assert.equal(w.jira.issues().map((issue) => issue.key), ['AWSSEC-1', TICKET]);
  assert.equal(w.jira.issue(TICKET), filedTicket());

  assert.equal(slackCalls(w.slack), ['chat.postMessage', 'users.list', 'chat.postMessage', 'chat.postMessage']);
  assert.equal(w.slack.messages, toEveryOwner(`Discovered ${SUMMARY} (${w.jira.url}/browse/${TICKET})`));
  assert.equal(await w.item(), reportedIssue());
});

test('a second run with nothing new sends no request to JIRA or Slack and writes nothing', async () => {
  const w = await reportedWorld();
  const jiraSeen = w.jira.requests.length;
  const slackSeen = w.slack.requests.length;

  const summary = await w.run(RUN2);

  assert.is(summary.outcomes.unchanged, 1);
  assert.equal(calls(w.jira, jiraSeen), []);
  assert.equal(slackCalls(w.slack, slackSeen), []);
  assert.equal(await w.item(), reportedIssue());
});

test('changed details get one comment on the ticket and one message per owner, and updated is set to reported', async () => {
  const w = await reportedWorld();
  clock.set(IDENTIFICATION);
  // Identification finds the trail logging again, but failing to deliver to S3.
  await w.identification.mergeFinding({
    account_id: SLAVE1,
    issue_id: 'eu-west-1',
    status: 'open',
    issue_details: { disabled: false, delivery_errors: { [S3_ERROR_TRAIL.id]: { errors: S3_ERROR_TRAIL.errors, events: 'All', multi_region: true } }, trails: [S3_ERROR_TRAIL] },
  }, { issueEndpoints: ['s3', 'cloudwatch'] });
  const jiraSeen = w.jira.requests.length;
  const slackSeen = w.slack.requests.length;

  const summary = await w.run(RUN2);

  assert.is(summary.outcomes['change-reported'], 1);
  const comment =
    'Issue details are changed, please check again.\n' +
    '*Status*: Enabled, with logging errors\n\n' +
    '*Trails*:\n' +
    '||Trail ARN||Enabled||Multi Region||Selectors||Errors||\n' +
    '|arn:aws:cloudtrail:eu-west-1:210987654321:trail/main|Yes|Yes|All|s3[trail-bucket, AccessDenied]|\n';
  assert.equal(calls(w.jira, jiraSeen), [`POST ${API}/issue/${TICKET}/comment`]);
  assert.equal(lastRequest(w.jira, 'POST', `${API}/issue/${TICKET}/comment`)?.body, { body: comment });
  assert.equal(w.jira.issue(TICKET)?.comments, [{ id: '20000', body: comment, author: BOT.name }]);
  assert.equal(slackCalls(w.slack, slackSeen), ['chat.postMessage', 'users.list', 'chat.postMessage', 'chat.postMessage']);
  assert.equal(w.slack.messages, toEveryOwner(`CloudTrail logging 'eu-west-1' issue is changed in 'slave1 / 210987654321' (${w.jira.url}/browse/${TICKET})`));
  assert.equal(await w.item(), {
    ...reportedIssue(),
    issue_details: { disabled: false, delivery_errors: { [S3_ERROR_TRAIL.id]: { errors: S3_ERROR_TRAIL.errors, events: 'All', multi_region: true } }, trails: [S3_ERROR_TRAIL] },
    timestamps: { identified: IDENTIFIED, updated: iso(RUN1), reported: iso(RUN1), remediated: null, closed: null },
  });

  const afterChange = w.jira.requests.length;
  assert.is((await w.run(RUN3)).outcomes.unchanged, 1);
  assert.equal(calls(w.jira, afterChange), []);
});

const closeCalls = (key: string) => [`GET ${API}/issue/${key}`, `GET ${API}/issue/${key}/transitions`, `POST ${API}/issue/${key}/transitions`];

test('a resolved issue is closed through "Close Issue" with the closing comment, told to every owner, and set closed', async () => {
  const w = await reportedWorld();
  clock.set(IDENTIFICATION);
  assert.ok(await w.identification.resolve({ account_id: SLAVE1, issue_id: 'eu-west-1' }));
  const jiraSeen = w.jira.requests.length;

  const summary = await w.run(RUN2);

  assert.is(summary.outcomes.closed, 1);
  const closing = "Closing resolved issue with 'eu-west-1' CloudTrail logging in 'slave1 / 210987654321'";
  assert.equal(calls(w.jira, jiraSeen), closeCalls(TICKET));
  assert.equal(lastRequest(w.jira, 'POST', `${API}/issue/${TICKET}/transitions`)?.body, { transition: { id: '2' }, update: { comment: [{ add: { body: closing } }] } });
  assert.equal(w.jira.issue(TICKET), filedTicket({ status: 'Closed', statusCategory: 'done', transitions: ['Close Issue'], comments: [{ id: '20000', body: closing, author: BOT.name }] }));
  assert.equal(w.slack.messages, toEveryOwner(`${closing} (${w.jira.url}/browse/${TICKET})`));
  assert.equal(await w.item(), {
    ...reportedIssue(),
    status: 'closed',
    timestamps: { identified: IDENTIFIED, updated: IDENTIFIED, reported: iso(RUN1), remediated: null, closed: iso(RUN2), resolved: iso(IDENTIFICATION) },
    jira_details: { ...reportedIssue().jira_details, ticket_close_started: iso(RUN2) },
  });

  const afterClose = w.jira.requests.length;
  assert.is((await w.run(RUN3)).issues, 0);
  assert.equal(calls(w.jira, afterClose), []);
});

test('a whitelisted issue gets the whitelisted label atomically, is closed, told to every owner and set closed', async () => {
  const w = await reportedWorld();
  clock.set(IDENTIFICATION);
  // The region was added to whitelist.json: identification stores the same finding as whitelisted.
  assert.is(await w.identification.mergeFinding({ account_id: SLAVE1, issue_id: 'eu-west-1', status: 'whitelisted', issue_details: disabledIssue(IDENTIFIED).issue_details }, { issueEndpoints: ['s3', 'cloudwatch'] }), 'updated');
  const jiraSeen = w.jira.requests.length;

  const summary = await w.run(RUN2);

  assert.is(summary.outcomes.closed, 1);
  const closing = "Closing whitelisted issue with 'eu-west-1' CloudTrail logging in 'slave1 / 210987654321'";
  assert.equal(calls(w.jira, jiraSeen), [`PUT ${API}/issue/${TICKET}`, ...closeCalls(TICKET)]);
  assert.equal(lastRequest(w.jira, 'PUT', `${API}/issue/${TICKET}`)?.body, { update: { labels: [{ add: 'whitelisted' }] } });
  assert.equal(w.jira.issue(TICKET), filedTicket({
    labels: ['cloudtrail-issue', LABEL, 'whitelisted'],
    status: 'Closed',
    statusCategory: 'done',
    transitions: ['Close Issue'],
    comments: [{ id: '20000', body: closing, author: BOT.name }],
  }));
  assert.equal(w.slack.messages, toEveryOwner(`${closing} (${w.jira.url}/browse/${TICKET})`));
  assert.equal(await w.item(), {
    ...reportedIssue(),
    status: 'closed',
    timestamps: { identified: IDENTIFIED, updated: iso(IDENTIFICATION), reported: iso(RUN1), remediated: null, closed: iso(RUN2) },
    jira_details: { ...reportedIssue().jira_details, ticket_close_started: iso(RUN2) },
  });
});

test('Jira Cloud: users by accountId (owner found by e-mail), priority from jira.priority, the accountId stored', async () => {
  const w = await world({ flavour: 'cloud', jiraOwner: BOB.emailAddress ?? '', jiraConfig: { priority: 'High' } });
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));

  const summary = await w.run(RUN1);

  assert.is(summary.outcomes.reported, 1);
  assert.equal(calls(w.jira), NEW_TICKET_CALLS);
  assert.equal((lastRequest(w.jira, 'POST', `${API}/issue`)?.body as { fields: { priority: unknown } }).fields.priority, { name: 'High' });
  assert.equal(lastRequest(w.jira, 'GET', `${API}/user/assignable/search`)?.query, { project: 'AWSSEC', query: 'bob@example.com', maxResults: '50' });
  assert.equal(lastRequest(w.jira, 'PUT', `${API}/issue/${TICKET}/assignee`)?.body, { accountId: BOB.accountId });
  assert.equal(lastRequest(w.jira, 'POST', `${API}/issue/${TICKET}/watchers`)?.body, BOB.accountId);
  assert.equal(w.jira.issue(TICKET), filedTicket({ priority: 'High' }));
  assert.equal(w.slack.messages, toEveryOwner(`Discovered ${SUMMARY} (${w.jira.url}/browse/${TICKET})`));
  assert.equal(await w.item(), reportedIssue(BOB.accountId));
});

test("Jira Cloud refuses the default priority Major: no ticket is stored, nothing sent, and the error names JIRA's answer", async () => {
  const w = await world({ flavour: 'cloud', jiraOwner: BOB.accountId });
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));

  const summary = await w.run(RUN1);

  assert.is(summary.outcomes.failed, 1);
  assert.equal(calls(w.jira), [`POST ${API}/issue`]);
  assert.equal(w.jira.issues().map((issue) => issue.key), ['AWSSEC-1']);
  assert.equal(w.slack.requests, []);
  assert.equal(await w.item(), attemptedIssue());
  const failure = log.at('error').find((entry) => entry.message.startsWith('could not report the issue'));
  assert.equal([failure?.fields.account_id, failure?.fields.region, failure?.fields.operation, failure?.fields.error_code], [SLAVE1, 'eu-west-1', 'createTicket', 'HTTP 400']);
  assert.match(String(failure?.fields.error_message), "priority: Specify a valid 'id' or 'name' for Priority");
});

test("OAuth 1.0a: every request is RSA-SHA1 signed with the credentials table's key and verified by JIRA", async () => {
  const w = await world({ auth: 'oauth' });
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));

  await w.run(RUN1);

  assert.equal(calls(w.jira), NEW_TICKET_CALLS);
  for (const request of w.jira.requests) {
    assert.equal([request.auth, request.authenticated, request.user, request.authProblem], ['oauth', true, BOT.name, undefined], `${request.method} ${request.path}`);
    assert.match(request.authorization ?? '', /^OAuth /);
    assert.match(request.authorization ?? '', 'oauth_signature_method="RSA-SHA1"');
    assert.match(request.authorization ?? '', `oauth_consumer_key="${SECRETS.consumerKey}"`);
  }
  // The signed query string of the assignable search is part of the base string the fake verified.
  assert.equal(lastRequest(w.jira, 'GET', `${API}/user/assignable/search`)?.query, { project: 'AWSSEC', username: 'bob', maxResults: '50' });
  assert.equal(w.jira.issue(TICKET), filedTicket());
  assert.equal(await w.item(), reportedIssue());
});

test('OAuth signed with a key JIRA does not know is refused (401 signature_invalid): no ticket stored, nothing sent', async () => {
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  secrets.push(pemBodyLine(stranger));
  const w = await world({ setup: { credentials: { jira: credentialsItem('oauth', stranger).credentials } } });
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));

  const summary = await w.run(RUN1);

  assert.is(summary.outcomes.failed, 1);
  assert.equal(w.jira.requests.map((request) => [request.path, request.authenticated, request.authProblem]), [[`${API}/issue`, false, 'signature_invalid']]);
  assert.equal(w.jira.issues().map((issue) => issue.key), ['AWSSEC-1']);
  assert.equal(w.slack.requests, []);
  assert.equal(await w.item(), attemptedIssue());
  assert.match(String(log.at('error').at(-1)?.fields.error_message), 'oauth_problem signature_invalid');
});

test('JIRA answering 500 to the creation stores no ticket and sends nothing; the next run finds no ticket by the label and files exactly one', async () => {
  const w = await world();
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));
  w.jira.failOn({ method: 'POST', path: `${API}/issue`, status: 500 });

  const first = await w.run(RUN1);

  assert.is(first.outcomes.failed, 1);
  assert.equal(calls(w.jira), [`POST ${API}/issue`]);
  assert.is(w.jira.requests[0]?.injectedStatus, 500);
  assert.equal(w.jira.issues().map((issue) => issue.key), ['AWSSEC-1']);
  assert.equal(w.slack.requests, []);
  assert.equal(await w.item(), attemptedIssue());
  const failure = log.at('error').find((entry) => entry.message.startsWith('could not report the issue'));
  assert.equal([failure?.fields.account_id, failure?.fields.region, failure?.fields.operation, failure?.fields.error_code], [SLAVE1, 'eu-west-1', 'createTicket', 'HTTP 500']);

  const second = await w.run(RUN2);

  assert.is(second.outcomes.reported, 1);
  // A 500 may hide a ticket JIRA created: the label is searched first.
  assert.equal(calls(w.jira, 1), [`GET ${API}/serverInfo`, `GET ${API}/search`, ...NEW_TICKET_CALLS.filter((call) => call !== `GET ${API}/serverInfo`)]);
  assert.equal(lastRequest(w.jira, 'GET', `${API}/search`)?.query.jql, `labels = "${LABEL}" ORDER BY created ASC`);
  assert.equal(w.jira.issues().map((issue) => issue.key), ['AWSSEC-1', TICKET]);
  assert.equal(w.slack.messages, toEveryOwner(`Discovered ${SUMMARY} (${w.jira.url}/browse/${TICKET})`));
  assert.equal(await w.item(), reportedIssue(BOB.name, RUN2));
});

test('JIRA answering 500 to the assignment keeps the stored ticket key, and the next run files no second ticket', async () => {
  const w = await world();
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));
  w.jira.failOn({ method: 'PUT', path: `${API}/issue/${TICKET}/assignee`, status: 500 });

  const first = await w.run(RUN1);

  assert.is(first.outcomes.reported, 1);
  assert.equal(calls(w.jira), NEW_TICKET_CALLS);
  // The ticket exists, linked and watched, with nobody assigned; the report goes on.
  assert.equal(w.jira.issue(TICKET), filedTicket({ assignee: null }));
  assert.equal(w.slack.messages, toEveryOwner(`Discovered ${SUMMARY} (${w.jira.url}/browse/${TICKET})`));
  assert.equal(await w.item(), reportedIssue(null));
  const warning = log.at('error').find((entry) => entry.fields.operation === 'completeTicket.assign');
  assert.equal([warning?.fields.ticket_key, warning?.fields.http_status], [TICKET, 500]);

  const jiraSeen = w.jira.requests.length;
  const second = await w.run(RUN2);

  assert.is(second.outcomes.unchanged, 1);
  assert.equal(calls(w.jira, jiraSeen), []);
  assert.equal(w.jira.requestsTo('POST', `${API}/issue`).length, 1);
  assert.equal(w.jira.issues().map((issue) => issue.key), ['AWSSEC-1', TICKET]);
  assert.equal(await w.item(), reportedIssue(null));
});

test('a Slack 429 with Retry-After is waited out and the message delivered once', async () => {
  const w = await world();
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));
  w.slack.rateLimit('chat.postMessage', 3, 1);

  await w.run(RUN1);

  assert.equal(sleeps, [3000]);
  assert.equal(slackCalls(w.slack), ['chat.postMessage', 'chat.postMessage', 'users.list', 'chat.postMessage', 'chat.postMessage']);
  assert.equal(w.slack.messages, toEveryOwner(`Discovered ${SUMMARY} (${w.jira.url}/browse/${TICKET})`));
  assert.equal(await w.item(), reportedIssue());
});

test('a Slack owner on the second users.list page is found and messaged by user id', async () => {
  const w = await world({
    slackPageSize: 2,
    slackUsers: [
      { id: 'U0CAROL', name: 'carol' },
      { id: 'U0BOB', name: 'bob', email: 'bob@example.com' },
      { id: 'U0DAVE', name: 'dave' },
      { id: 'U0ALICE', name: 'alice', email: 'alice@example.com' },
    ],
  });
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));

  await w.run(RUN1);

  const pages = w.slack.requestsOf('users.list').map((request) => request.params.cursor);
  assert.equal(pages, [undefined, Buffer.from('user:2').toString('base64')]);
  assert.equal(w.slack.messages, toEveryOwner(`Discovered ${SUMMARY} (${w.jira.url}/browse/${TICKET})`));
  assert.equal(log.at('warn'), []);
  assert.equal(await w.item(), reportedIssue());
});

test('reporting off sends no request to JIRA or Slack and leaves the issue as it was', async () => {
  const w = await world({ setup: { reporting: false } });
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));

  const summary = await w.run(RUN1);

  assert.is(summary.reporting, false);
  assert.equal(w.jira.requests, []);
  assert.equal(w.slack.requests, []);
  assert.equal(await w.item(), disabledIssue(IDENTIFIED));
  assert.equal(log.entries.map((entry) => entry.message), ['reporting of CloudTrail issues is off (cloudtrails.reporting is false); nothing to do']);
});

test('JIRA on without its credentials item: the run does not start (nothing marked, no Slack), and the next run after storing them files the ticket', async () => {
  const w = await world({ setup: { credentials: { jira: null } } });
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));

  try {
    await w.run(RUN1);
    assert.unreachable('the run should fail');
  } catch (err: unknown) {
    assert.instance(err, ReportingSetupError);
    assert.is((err as ReportingSetupError).code, 'CredentialsMissing');
    assert.match((err as Error).message, `table ${w.setup.credentialsTable} has no JIRA credentials (item service = "jira")`);
    assert.match((err as Error).message, 'npm run credentials -- --config <config dir> --jira-token');
  }
  assert.equal(w.jira.requests, []);
  assert.equal(w.slack.requests, []);
  assert.equal(await w.item(), disabledIssue(IDENTIFIED));
  assert.equal(log.at('warn'), []);

  await putIssue(dynamo.doc, w.setup.credentialsTable, credentialsItem('basic'));
  const summary = await w.run(RUN2);

  assert.equal([summary.jira, summary.outcomes.reported], [true, 1]);
  assert.equal(w.jira.issue(TICKET), filedTicket());
  assert.equal(w.slack.messages, toEveryOwner(`Discovered ${SUMMARY} (${w.jira.url}/browse/${TICKET})`));
  assert.equal(await w.item(), reportedIssue(BOB.name, RUN2));
});

test('JIRA credentials that cannot be used stop the run before any issue is touched, naming the field', async () => {
  const w = await world({ setup: { credentials: { jira: { basic: { username: BOT.emailAddress, password: '' } } } } });
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));

  try {
    await w.run(RUN1);
    assert.unreachable('the run should fail');
  } catch (err: unknown) {
    assert.instance(err, ReportingSetupError);
    assert.instance((err as Error).cause, JiraCredentialsError);
    assert.match((err as Error).message, 'credentials.basic.password: expected a non-empty string, found an empty string');
  }
  assert.equal(w.jira.requests, []);
  assert.equal(w.slack.requests, []);
  assert.equal(await w.item(), disabledIssue(IDENTIFIED));
});

test.run();
