/**
 * Reporting where real systems fail, end to end through the production
 * wiring (dynalite, the fake JIRA in both flavours, the fake Slack): tickets
 * for issues reported without one, creates whose key never reached the
 * table (a lost reply, a failed write), JIRA's refusals of follow-ups, a
 * close racing a reopen, and a run whose time runs out. Each test names the
 * promise it keeps: never two tickets, never an open issue without its
 * ticket, never a lifecycle stuck on a follow-up.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CloudTrailFinding, CloudTrailIssueItem } from '../../library/issues/cloudTrailIssue.ts';
import { IssueStore, type IssueChange } from '../../library/issues/issueStore.ts';
import { pythonIsoTimestamp } from '../../library/runtime/clock.ts';
import type { TicketTracker } from '../../reporting/ticketTracker.ts';
import { startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';
import { BOB, BOT } from '../fakes/fakeJiraFixtures.ts';
import type { RecordingLog } from '../helpers/recordingLog.ts';
import { S3_ERROR_TRAIL, SLAVE1, disabledIssue, putIssue, type TestClock } from '../helpers/reportingFixtures.ts';
import { ReportingWorlds, calls, lastRequest, toEveryOwner, type World, type WorldOptions } from '../helpers/reportingWorld.ts';

const test = suite('reportingRecovery');

const IDENTIFIED = '2026-11-26T14:15:03.250000+00:00';
const PYTHON_REPORTED = '2026-11-26T14:55:02.418273+00:00';
const RUN1 = '2026-11-26T15:55:00.500Z';
const RUN2 = '2026-11-26T16:55:00.500Z';
const RUN3 = '2026-11-26T17:55:00.500Z';
const iso = (date: string): string => pythonIsoTimestamp(new Date(date));
const API = '/rest/api/2';
const LABEL = 'hammer-cloudtrails-210987654321-eu-west-1-20261126T1415032500000000';
const SUMMARY = "Disabled CloudTrail in 'slave1 / 210987654321 / eu-west-1'";
const COMPARISON = { issueEndpoints: ['s3', 'cloudwatch'] } as const;

let dynamo: LocalDynamo;
let worlds: ReportingWorlds;
let log: RecordingLog;
let clock: TestClock;

test.before(async () => {
  dynamo = await startDynalite();
  worlds = new ReportingWorlds(dynamo);
});

test.after(async () => {
  await dynamo.stop();
});

test.before.each(() => {
  worlds.reset(RUN1);
  ({ log, clock } = worlds);
});

test.after.each(async () => {
  await worlds.stopAll();
});

function world(options: WorldOptions = {}): Promise<World> {
  return worlds.start(options);
}

/** The issue item of the world's table, as stored. */
async function stored(w: World): Promise<CloudTrailIssueItem> {
  return (await w.item()) as unknown as CloudTrailIssueItem;
}

/**
 * A disabled region exactly as the Python module leaves it after its
 * reporting ran: `trails` first, `delivery_errors` false, reported, and
 * jira_details empty (its ticket creation was commented out).
 */
function pythonReportedItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    account_id: SLAVE1,
    issue_id: 'eu-west-1',
    issue_details: {
      trails: [{ id: `arn:aws:cloudtrail:eu-west-1:${SLAVE1}:trail/main`, enabled: false, multi_region: true, selectors: 'All', errors: {} }],
      disabled: true,
      delivery_errors: false,
    },
    status: 'open',
    timestamps: { identified: IDENTIFIED, updated: IDENTIFIED, reported: PYTHON_REPORTED, remediated: null, closed: null },
    jira_details: {},
    ...overrides,
  };
}

const FOLLOW_UPS = (key: string) => [
  `GET ${API}/issueLinkType`,
  `POST ${API}/issueLink`,
  `GET ${API}/serverInfo`,
  `GET ${API}/user/assignable/search`,
  `PUT ${API}/issue/${key}/assignee`,
  `POST ${API}/issue/${key}/watchers`,
];

/** The reported disabled issue of a complete report at `at` (ticket AWSSEC-2). */
function reportedIssue(at: string, ticket = 'AWSSEC-2'): CloudTrailIssueItem {
  return disabledIssue(IDENTIFIED, {
    timestamps: { identified: IDENTIFIED, updated: IDENTIFIED, reported: iso(at), remediated: null, closed: null },
    jira_details: { ticket_label: LABEL, ticket_creation_started: iso(at), ticket, ticket_assignee_id: BOB.name },
  });
}

// ---- backfill ----

for (const flavour of ['server', 'cloud'] as const) {
  test(`${flavour}: an open issue the Python module reported without a ticket gets one, linked, assigned and watched, and "Ticket filed" instead of a second "Discovered"`, async () => {
    const w = await world({ flavour, ...(flavour === 'cloud' ? { jiraOwner: BOB.accountId, jiraConfig: { priority: 'High' } } : {}) });
    await putIssue(dynamo.doc, w.setup.issuesTable, pythonReportedItem());

    const summary = await w.run(RUN1);

    assert.equal([summary.outcomes['ticket-filed'], summary.outcomes.reported, summary.outcomes.failed], [1, 0, 0]);
    assert.equal(calls(w.jira), [`POST ${API}/issue`, ...FOLLOW_UPS('AWSSEC-2')]);
    const ticket = w.jira.issue('AWSSEC-2');
    assert.equal([ticket?.summary, ticket?.labels, ticket?.assignee, ticket?.watchers, ticket?.links], [
      SUMMARY,
      ['cloudtrail-issue', LABEL],
      BOB.name,
      [BOT.name, BOB.name],
      [{ type: 'Relates', inward: 'AWSSEC-2', outward: 'AWSSEC-1' }],
    ]);
    assert.equal(w.slack.messages, toEveryOwner(`Ticket filed for the already reported ${SUMMARY} (${w.jira.url}/browse/AWSSEC-2)`));
    const python = pythonReportedItem();
    assert.equal(await w.item(), {
      ...python,
      jira_details: { ticket_label: LABEL, ticket_creation_started: iso(RUN1), ticket: 'AWSSEC-2', ticket_assignee_id: flavour === 'cloud' ? BOB.accountId : BOB.name },
    }, 'reported, status and details as the Python module left them');

    const seen = w.jira.requests.length;
    const again = await w.run(RUN2);
    assert.is(again.outcomes.unchanged, 1);
    assert.equal(calls(w.jira, seen), []);
    assert.is(w.slack.messages.length, 3);
  });
}

test('a backfilled issue with a change not yet reported gets no "changed" comment after its ticket: the description shows the change', async () => {
  const w = await world();
  await putIssue(dynamo.doc, w.setup.issuesTable, pythonReportedItem({ timestamps: { identified: IDENTIFIED, updated: '2026-11-26T15:15:04.000000+00:00', reported: PYTHON_REPORTED, remediated: null, closed: null } }));

  assert.is((await w.run(RUN1)).outcomes['ticket-filed'], 1);
  const item = await stored(w);
  assert.is(item.timestamps.updated, PYTHON_REPORTED);
  const seen = w.jira.requests.length;
  assert.is((await w.run(RUN2)).outcomes.unchanged, 1);
  assert.equal(calls(w.jira, seen), []);
});

test('with JIRA off, an open issue reported without a ticket is left as it is', async () => {
  const w = await world({ setup: { jiraEnabled: false } });
  await putIssue(dynamo.doc, w.setup.issuesTable, pythonReportedItem());

  assert.is((await w.run(RUN1)).outcomes.unchanged, 1);
  assert.equal(w.jira.requests, []);
  assert.equal(await w.item(), pythonReportedItem());
});

// ---- no second ticket ----

for (const lost of [
  { name: 'a 504 after JIRA created it', failure: { status: 504 } },
  { name: 'a connection closed after JIRA created it', failure: { status: 0, reply: 'drop' as const } },
]) {
  test(`a create whose reply is lost (${lost.name}) leads to no second ticket: the next run finds it by its label and adopts it`, async () => {
    const w = await world();
    await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));
    w.jira.failOn({ method: 'POST', path: `${API}/issue`, afterEffect: true, ...lost.failure });

    const first = await w.run(RUN1);

    assert.is(first.outcomes.failed, 1);
    assert.equal(w.jira.issues().map((issue) => issue.key), ['AWSSEC-1', 'AWSSEC-2'], 'JIRA made the ticket');
    assert.equal(w.slack.requests, []);
    assert.equal(await w.item(), disabledIssue(IDENTIFIED, { jira_details: { ticket_label: LABEL, ticket_creation_started: iso(RUN1) } }));

    const seen = w.jira.requests.length;
    const second = await w.run(RUN2);

    assert.is(second.outcomes.reported, 1);
    assert.equal(calls(w.jira, seen), [`GET ${API}/serverInfo`, `GET ${API}/search`, ...FOLLOW_UPS('AWSSEC-2').filter((call) => !call.endsWith('serverInfo'))]);
    assert.equal(w.jira.requestsTo('POST', `${API}/issue`).length, 1, 'one create in all');
    assert.equal(w.jira.issues().map((issue) => issue.key), ['AWSSEC-1', 'AWSSEC-2']);
    assert.equal(w.slack.messages, toEveryOwner(`Discovered ${SUMMARY} (${w.jira.url}/browse/AWSSEC-2)`));
    assert.equal(await w.item(), { ...reportedIssue(RUN1), timestamps: { ...reportedIssue(RUN1).timestamps, reported: iso(RUN2) } });
    assert.ok(log.entries.some((entry) => entry.message.startsWith('adopted the ticket') && entry.fields.ticket === 'AWSSEC-2'));
  });
}

test('Jira Cloud: after a lost reply, a run within the settle time neither searches nor creates; the run after it finds the ticket on /search/jql', async () => {
  const w = await world({ flavour: 'cloud', jiraOwner: BOB.accountId, jiraConfig: { priority: 'High' }, fakeJira: { searchIndexLagMs: 5 * 60_000, clock: () => clock.now().getTime() } });
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));
  w.jira.failOn({ method: 'POST', path: `${API}/issue`, status: 504, afterEffect: true });
  await w.run(RUN1);
  const seen = w.jira.requests.length;

  // An operator runs reporting again four minutes later: Cloud's index may not hold the ticket yet.
  const soon = await w.run('2026-11-26T15:59:00.500Z');

  assert.is(soon.outcomes.waiting, 1);
  assert.equal(calls(w.jira, seen), []);
  assert.equal(w.slack.requests, []);

  const later = await w.run(RUN2);

  assert.is(later.outcomes.reported, 1);
  assert.equal(calls(w.jira, seen).slice(0, 2), [`GET ${API}/serverInfo`, `GET ${API}/search/jql`]);
  assert.equal(w.jira.requestsTo('GET', `${API}/search`), [], 'never the /search Cloud removed');
  assert.equal(w.jira.requestsTo('POST', `${API}/issue`).length, 1);
  assert.equal((await w.item())?.jira_details, { ticket_label: LABEL, ticket_creation_started: iso(RUN1), ticket: 'AWSSEC-2', ticket_assignee_id: BOB.accountId });
});

/** The production store, with the write of one attribute failing (as when the run is killed right before it). */
class StoreLosingWrites extends IssueStore {
  failing: (change: IssueChange) => boolean = () => false;
  override async tryUpdate(issue: Pick<CloudTrailIssueItem, 'account_id' | 'issue_id'>, change: IssueChange): Promise<boolean> {
    if (this.failing(change)) throw Object.assign(new Error('connection reset'), { name: 'TimeoutError' });
    return super.tryUpdate(issue, change);
  }
}

test('a run stopped between JIRA creating the ticket and its key reaching DynamoDB leads to no second ticket', async () => {
  const w = await world();
  const store = new StoreLosingWrites(dynamo.doc, w.setup.issuesTable, clock.now, log);
  w.deps.store = store;
  await putIssue(dynamo.doc, w.setup.issuesTable, pythonReportedItem());
  store.failing = (change) => change.set.some(([path]) => path.join('.') === 'jira_details.ticket');

  assert.is((await w.run(RUN1)).outcomes.failed, 1);
  assert.equal(w.jira.issues().map((issue) => issue.key), ['AWSSEC-1', 'AWSSEC-2']);
  assert.ok(log.at('error').some((entry) => entry.message.includes('the next run finds it by its label') && entry.fields.ticket === 'AWSSEC-2'));

  store.failing = () => false;
  assert.is((await w.run(RUN2)).outcomes['ticket-filed'], 1);
  assert.equal(w.jira.requestsTo('POST', `${API}/issue`).length, 1);
  assert.is(((await w.item())?.jira_details as Record<string, unknown>).ticket, 'AWSSEC-2');
  assert.equal(w.slack.messages, toEveryOwner(`Ticket filed for the already reported ${SUMMARY} (${w.jira.url}/browse/AWSSEC-2)`));
});

// ---- follow-ups never block the lifecycle ----

test('a whitelisted issue whose ticket a person already closed: the label JIRA refuses (400) is skipped and the issue is closed', async () => {
  const w = await world();
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));
  await w.run(RUN1);
  w.jira.setStatus('AWSSEC-2', 'Closed');
  clock.set('2026-11-26T16:15:00.000Z');
  await w.identification.mergeFinding({ account_id: SLAVE1, issue_id: 'eu-west-1', status: 'whitelisted', issue_details: disabledIssue(IDENTIFIED).issue_details }, COMPARISON);
  const seen = w.jira.requests.length;

  const summary = await w.run(RUN2);

  assert.equal([summary.outcomes.closed, summary.outcomes.failed], [1, 0]);
  assert.equal(calls(w.jira, seen), [`PUT ${API}/issue/AWSSEC-2`, `GET ${API}/issue/AWSSEC-2`]);
  assert.equal(lastRequest(w.jira, 'PUT', `${API}/issue/AWSSEC-2`)?.body, { update: { labels: [{ add: 'whitelisted' }] } });
  assert.equal(w.jira.issue('AWSSEC-2')?.labels, ['cloudtrail-issue', LABEL], 'JIRA kept the closed ticket as it was');
  const warning = log.at('warn').find((entry) => entry.message.startsWith('JIRA refused the label'));
  assert.equal([warning?.fields.ticket, warning?.fields.error_code], ['AWSSEC-2', 'HTTP 400']);
  assert.is((await w.item())?.status, 'closed');
  assert.equal(w.slack.messages.slice(3).map((message) => message.text), Array(3).fill(`Closing whitelisted issue with 'eu-west-1' CloudTrail logging in 'slave1 / 210987654321' (${w.jira.url}/browse/AWSSEC-2)`));
});

test('a resolved issue whose ticket was deleted (404) is closed: a missing ticket counts as closed', async () => {
  const w = await world();
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));
  await w.run(RUN1);
  w.jira.deleteIssue('AWSSEC-2');
  clock.set('2026-11-26T16:15:00.000Z');
  await w.identification.resolve({ account_id: SLAVE1, issue_id: 'eu-west-1' });

  const summary = await w.run(RUN2);

  assert.equal([summary.outcomes.closed, summary.outcomes.failed], [1, 0]);
  assert.is((await w.item())?.status, 'closed');
  assert.ok(log.entries.some((entry) => entry.message === 'the ticket no longer exists; counted as closed'));
});

test('a change on a ticket JIRA no longer lets anyone comment on (Closed, 400; or 403) is logged and the change counts as reported', async () => {
  for (const refusal of ['closed', 403] as const) {
    worlds.reset(RUN1);
    ({ log, clock } = worlds);
    const w = await world();
    await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));
    await w.run(RUN1);
    if (refusal === 'closed') w.jira.setStatus('AWSSEC-2', 'Closed');
    else w.jira.failOn({ method: 'POST', path: `${API}/issue/AWSSEC-2/comment`, status: 403, body: { errorMessages: ['You do not have the permission to comment on this issue.'], errors: {} } });
    clock.set('2026-11-26T16:15:00.000Z');
    await w.identification.mergeFinding({ account_id: SLAVE1, issue_id: 'eu-west-1', status: 'open', issue_details: { disabled: false, delivery_errors: { [S3_ERROR_TRAIL.id]: { errors: S3_ERROR_TRAIL.errors, events: 'All', multi_region: true } }, trails: [S3_ERROR_TRAIL] } }, COMPARISON);

    const summary = await w.run(RUN2);

    assert.equal([summary.outcomes['change-reported'], summary.outcomes.failed], [1, 0], String(refusal));
    const item = await stored(w);
    assert.is(item.timestamps.updated, iso(RUN1), String(refusal));
    assert.ok(log.at('warn').some((entry) => entry.message.startsWith('JIRA refused the comment')), String(refusal));
    assert.is((await w.run(RUN3)).outcomes.unchanged, 1, String(refusal));
    await worlds.stopAll();
  }
});

// ---- a close that races a reopen ----

/** The finding identification stores when the region breaks again (an S3 delivery error). */
function s3Finding(): CloudTrailFinding {
  return { account_id: SLAVE1, issue_id: 'eu-west-1', status: 'open', issue_details: { disabled: false, delivery_errors: { [S3_ERROR_TRAIL.id]: { errors: S3_ERROR_TRAIL.errors, events: 'All', multi_region: true } }, trails: [S3_ERROR_TRAIL] } };
}

test('identification reopening the issue while reporting closes its ticket: the next run starts a new lifecycle with a new ticket related to the old one', async () => {
  const w = await world();
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));
  await w.run(RUN1);
  clock.set('2026-11-26T16:15:00.000Z');
  await w.identification.resolve({ account_id: SLAVE1, issue_id: 'eu-west-1' });
  // Identification finds the region broken again right after JIRA closed the ticket, before reporting's `closed` write.
  const original = w.deps.createTracker;
  w.deps.createTracker = async (input) => {
    const real = await original(input);
    return Object.create(real, {
      closeTicket: {
        value: async (key: string, comment: string) => {
          const outcome = await real.closeTicket(key, comment);
          assert.is(await w.identification.mergeFinding(s3Finding(), COMPARISON), 'updated');
          return outcome;
        },
      },
    }) as TicketTracker;
  };

  const racing = await w.run(RUN2);

  assert.is(racing.outcomes['changed-meanwhile'], 1);
  assert.is(w.jira.issue('AWSSEC-2')?.status, 'Closed');
  let item = await stored(w);
  assert.equal([item.status, item.jira_details.ticket, item.jira_details.ticket_close_started], ['open', 'AWSSEC-2', iso(RUN2)]);

  w.deps.createTracker = original;
  const seen = w.jira.requests.length;
  const next = await w.run(RUN3);

  assert.is(next.outcomes.reported, 1);
  assert.equal(calls(w.jira, seen).slice(0, 2), [`GET ${API}/issue/AWSSEC-2`, `POST ${API}/issue`]);
  const label3 = `hammer-cloudtrails-210987654321-eu-west-1-${iso(RUN3).replace(/[^0-9A-Za-z]/g, '')}`;
  const ticket = w.jira.issue('AWSSEC-3');
  assert.equal([ticket?.summary, ticket?.labels, ticket?.links], [
    "CloudTrail logging issues in 'slave1 / 210987654321 / eu-west-1'",
    ['cloudtrail-issue', label3],
    [{ type: 'Relates', inward: 'AWSSEC-3', outward: 'AWSSEC-1' }, { type: 'Relates', inward: 'AWSSEC-3', outward: 'AWSSEC-2' }],
  ]);
  assert.equal(w.slack.messages.at(-1)?.text, `Discovered CloudTrail logging issues in 'slave1 / 210987654321 / eu-west-1' (${w.jira.url}/browse/AWSSEC-3)`);
  item = await stored(w);
  assert.equal(item, {
    ...disabledIssue(IDENTIFIED),
    issue_details: s3Finding().issue_details,
    timestamps: { identified: iso(RUN3), updated: iso(RUN3), reported: iso(RUN3), remediated: null, closed: null },
    jira_details: { previous_ticket: 'AWSSEC-2', ticket_label: label3, ticket_creation_started: iso(RUN3), ticket: 'AWSSEC-3', ticket_assignee_id: BOB.name },
  });

  const afterNew = w.jira.requests.length;
  assert.is((await w.run('2026-11-26T18:55:00.500Z')).outcomes.unchanged, 1);
  assert.equal(calls(w.jira, afterNew), []);
});

test('a close that stopped after its mark (JIRA failing) when identification reopens goes on with the same, still open ticket', async () => {
  const w = await world();
  await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED));
  await w.run(RUN1);
  clock.set('2026-11-26T16:15:00.000Z');
  await w.identification.resolve({ account_id: SLAVE1, issue_id: 'eu-west-1' });
  w.jira.failOn({ method: 'GET', path: `${API}/issue/AWSSEC-2/transitions`, status: 503, times: 'always' });

  assert.is((await w.run(RUN2)).outcomes.failed, 1);
  assert.is((await stored(w)).jira_details.ticket_close_started, iso(RUN2));
  w.jira.clearFailures();
  clock.set('2026-11-26T17:15:00.000Z');
  assert.is(await w.identification.mergeFinding(s3Finding(), COMPARISON), 'updated');
  const seen = w.jira.requests.length;

  const next = await w.run(RUN3);

  assert.is(next.outcomes['change-reported'], 1);
  assert.equal(calls(w.jira, seen), [`GET ${API}/issue/AWSSEC-2`, `POST ${API}/issue/AWSSEC-2/comment`]);
  assert.equal(w.jira.issues().map((issue) => issue.key), ['AWSSEC-1', 'AWSSEC-2'], 'no new ticket');
  const item = await stored(w);
  assert.equal([item.status, item.jira_details.ticket, item.jira_details.ticket_close_started, item.timestamps.updated], ['open', 'AWSSEC-2', null, iso(RUN1)]);
});

// ---- time budget ----

test('a run whose time runs out starts no new issue, logs how many are left, and the next run reports them', async () => {
  // One issue at a time, so each start sees the time the one before took (the budget under concurrency: reportingConcurrency.test.ts).
  const w = await world({ setup: { cloudtrails: { reporting_concurrency: 1 } } });
  for (const region of ['eu-west-1', 'eu-west-2', 'eu-west-3']) await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED, { issue_id: region }));
  let remaining = 180_000;
  const budget = { remainingMs: () => remaining, reserveMs: 120_000 };
  const tracker = w.deps.createTracker;
  w.deps.createTracker = async (input) => {
    const real = await tracker(input);
    // Each ticket takes 70 s of the run's time.
    return Object.create(real, { createTicket: { value: async (request: Parameters<TicketTracker['createTicket']>[0]) => { remaining -= 70_000; return real.createTicket(request); } } }) as TicketTracker;
  };

  const first = await w.run(RUN1, { budget });

  assert.equal([first.issues, first.outcomes.reported, first.deferred], [1, 1, 2]);
  const warning = log.at('warn').find((entry) => entry.fields.error_code === 'TimeBudget');
  assert.equal([warning?.fields.issues_left, warning?.fields.reserve_ms], [2, 120_000]);
  assert.match(String(warning?.message), '2 issues with something to do are left for the next run');

  remaining = 900_000;
  const second = await w.run(RUN2, { budget });
  assert.equal([second.issues, second.outcomes.reported, second.outcomes.unchanged, second.deferred], [3, 2, 1, 0]);
  assert.equal(w.jira.requestsTo('POST', `${API}/issue`).length, 3);
});

test.run();
