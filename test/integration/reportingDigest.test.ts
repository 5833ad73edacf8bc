/**
 * The opt-in Slack digest (slack.digest_threshold), end to end through the
 * production wiring: an owner with that many new issues gets one message
 * listing them with their ticket addresses, the others one message per
 * issue; an issue's `reported` (or, for a backfill, `ticket_assignee_id`) is
 * written only after the digest holding it went out, and a run that stops
 * before its digest leaves the issues at their tickets for the next run,
 * which sends it without filing a second ticket.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CloudTrailIssueItem } from '../../library/issues/cloudTrailIssue.ts';
import { pythonIsoTimestamp } from '../../library/runtime/clock.ts';
import type { Notifier } from '../../reporting/slack/slackNotifier.ts';
import { startDynalite, type LocalDynamo } from '../fakes/dynalite.ts';
import { BOB } from '../fakes/fakeJiraFixtures.ts';
import { SLAVE1, SLAVE2, disabledIssue, putIssue } from '../helpers/reportingFixtures.ts';
import { ReportingWorlds, type World } from '../helpers/reportingWorld.ts';

const test = suite('reportingDigest');

const IDENTIFIED = '2026-11-26T14:15:03.250000+00:00';
const PYTHON_REPORTED = '2026-11-26T14:55:02.418273+00:00';
const RUN1 = '2026-11-26T15:55:00.500Z';
const RUN2 = '2026-11-26T16:55:00.500Z';
const API = '/rest/api/2';
const SLAVE1_REGIONS = ['eu-west-1', 'eu-west-2', 'eu-west-3', 'us-east-1', 'us-west-2'];
const SLAVE2_REGIONS = ['ap-south-1', 'eu-central-1'];
const DIGEST_HEADER = /^CloudTrail logging issues of this run: (\d+) \(digest, part (\d+) of (\d+)\)$/;

/** Every issue to #devops-channel (7 in all), SLAVE1's to alice (5), SLAVE2's to bob (2). */
const OWNERS = {
  account: { [SLAVE1]: { slack_owner: 'alice' }, [SLAVE2]: { slack_owner: 'bob' } },
  jira_project: 'AWSSEC',
  jira_owner: BOB.name,
  jira_parent_ticket: 'AWSSEC-1',
  slack_owner: '#devops-channel',
};

let dynamo: LocalDynamo;
let worlds: ReportingWorlds;

test.before(async () => {
  dynamo = await startDynalite();
  worlds = new ReportingWorlds(dynamo);
});

test.after(async () => {
  await dynamo.stop();
});

test.before.each(() => {
  worlds.reset(RUN1);
});

test.after.each(async () => {
  await worlds.stopAll();
});

async function world(threshold: number | undefined): Promise<World> {
  const w = await worlds.start({ setup: { ticketOwners: OWNERS, ...(threshold === undefined ? {} : { slack: { digest_threshold: threshold } }) } });
  for (const region of SLAVE1_REGIONS) await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED, { issue_id: region }));
  for (const region of SLAVE2_REGIONS) await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED, { account_id: SLAVE2, issue_id: region }));
  return w;
}

async function items(w: World): Promise<CloudTrailIssueItem[]> {
  return [...(await w.identification.listAccountIssues(SLAVE1)), ...(await w.identification.listAccountIssues(SLAVE2))];
}

function textsTo(w: World, channel: string): string[] {
  return w.slack.messages.filter((message) => message.channel === channel).map((message) => message.text);
}

/** The "Discovered" line of each issue, with its ticket address, as its single message would read. */
async function discoveredLines(w: World): Promise<string[]> {
  const name = (account: string) => (account === SLAVE1 ? 'slave1' : 'slave2');
  return (await items(w))
    .sort((a, b) => a.account_id.localeCompare(b.account_id) || a.issue_id.localeCompare(b.issue_id))
    .map((item) => `Discovered Disabled CloudTrail in '${name(item.account_id)} / ${item.account_id} / ${item.issue_id}' (${w.jira.url}/browse/${String(item.jira_details.ticket)})`);
}

test('an owner with slack.digest_threshold new issues gets one message listing them with their tickets; the others one message per issue', async () => {
  const w = await world(6);

  const summary = await w.run(RUN1);

  assert.equal([summary.outcomes.reported, summary.outcomes.failed], [7, 0]);
  const digest = textsTo(w, '#devops-channel');
  assert.is(digest.length, 1, 'one digest message');
  const [header, ...lines] = (digest[0] ?? '').split('\n');
  assert.is(header, 'CloudTrail logging issues of this run: 7 (digest, part 1 of 1)');
  assert.equal(lines, (await discoveredLines(w)).map((line) => `• ${line}`));
  // alice (5) and bob (2) are under the threshold: one message per issue, as Hammer sends them.
  assert.is(textsTo(w, 'U0ALICE').length, 5);
  assert.is(textsTo(w, 'U0BOB').length, 2);
  assert.ok(textsTo(w, 'U0ALICE').every((text) => text.startsWith("Discovered Disabled CloudTrail in 'slave1 / ")));
  assert.ok((await items(w)).every((item) => item.timestamps.reported === pythonIsoTimestamp(new Date(RUN1))));
  assert.is(w.jira.requestsTo('POST', `${API}/issue`).length, 7);

  const again = await w.run(RUN2);
  assert.is(again.outcomes.unchanged, 7);
  assert.is(w.slack.messages.length, 8, 'nothing sent twice');
});

test('without slack.digest_threshold every owner gets one message per issue (Hammer\'s behaviour)', async () => {
  const w = await world(undefined);
  await w.run(RUN1);
  assert.is(textsTo(w, '#devops-channel').length, 7);
  assert.ok(textsTo(w, '#devops-channel').every((text) => !DIGEST_HEADER.test(text.split('\n')[0] ?? '')));
  assert.is(w.slack.messages.length, 14);
});

test('an issue is marked reported only after the digest holding it went out: while it is sent, the issues have their tickets and no reported', async () => {
  const w = await world(6);
  const seenAtDigest: Array<{ ticket: unknown; assignee: boolean; reported: unknown }> = [];
  const createNotifier = w.deps.createNotifier;
  w.deps.createNotifier = (input) => {
    const real = createNotifier(input);
    const notifier: Notifier = {
      notifyOwners: async (owners, text, fields) => {
        if (DIGEST_HEADER.test(text.split('\n')[0] ?? '')) {
          for (const item of await items(w)) seenAtDigest.push({ ticket: item.jira_details.ticket, assignee: Object.hasOwn(item.jira_details, 'ticket_assignee_id'), reported: item.timestamps.reported });
        }
        return real.notifyOwners(owners, text, fields);
      },
    };
    return notifier;
  };

  await w.run(RUN1);

  assert.is(seenAtDigest.length, 7);
  assert.ok(seenAtDigest.every((seen) => typeof seen.ticket === 'string' && seen.assignee && seen.reported === null), JSON.stringify(seenAtDigest));
  assert.ok((await items(w)).every((item) => typeof item.timestamps.reported === 'string'));
});

test('a run that stops before its digest leaves the issues at their tickets; the next run sends the digest and marks them, with no second ticket', async () => {
  const w = await world(6);
  const createNotifier = w.deps.createNotifier;
  w.deps.createNotifier = (input) => {
    const real = createNotifier(input);
    return {
      notifyOwners: async (owners, text, fields) => {
        // The Lambda is killed (its timeout) as the digest is about to go out.
        if (DIGEST_HEADER.test(text.split('\n')[0] ?? '')) throw new Error('Task timed out');
        return real.notifyOwners(owners, text, fields);
      },
    };
  };
  const stoppedRun = await w.run(RUN1).then(() => 'finished', (err: unknown) => String(err));
  assert.match(stoppedRun, 'Task timed out');
  const stopped = await items(w);
  assert.ok(stopped.every((item) => typeof item.jira_details.ticket === 'string' && item.timestamps.reported === null));
  assert.is(textsTo(w, '#devops-channel').length, 0);

  w.deps.createNotifier = createNotifier;
  worlds.clock.set(RUN2);
  const next = await w.run(RUN2);

  assert.equal([next.outcomes.reported, next.outcomes.failed], [7, 0]);
  assert.is(w.jira.requestsTo('POST', `${API}/issue`).length, 7, 'no second ticket');
  const digest = textsTo(w, '#devops-channel');
  assert.is(digest.length, 1);
  assert.equal((digest[0] ?? '').split('\n').slice(1), (await discoveredLines(w)).map((line) => `• ${line}`));
  // alice's and bob's messages went out in the stopped run and again now: a message can repeat, a ticket cannot.
  assert.is(textsTo(w, 'U0ALICE').length, 10);
});

test('tickets filed for issues the Python module reported go into the digest as "Ticket filed" lines; ticket_assignee_id follows the digest', async () => {
  const w = await worlds.start({ setup: { ticketOwners: OWNERS, slack: { digest_threshold: 3 } } });
  for (const region of SLAVE1_REGIONS.slice(0, 3)) {
    await putIssue(dynamo.doc, w.setup.issuesTable, disabledIssue(IDENTIFIED, { issue_id: region, timestamps: { identified: IDENTIFIED, updated: IDENTIFIED, reported: PYTHON_REPORTED, remediated: null, closed: null } }));
  }

  const summary = await w.run(RUN1);

  assert.is(summary.outcomes['ticket-filed'], 3);
  for (const channel of ['#devops-channel', 'U0ALICE']) {
    const [digest, ...others] = textsTo(w, channel);
    assert.equal(others, []);
    const lines = (digest ?? '').split('\n').slice(1);
    assert.is(lines.length, 3);
    assert.ok(lines.every((line) => /^• Ticket filed for the already reported Disabled CloudTrail in 'slave1 \/ 210987654321 \/ [a-z0-9-]+' \(http:\/\/127\.0\.0\.1:\d+\/browse\/AWSSEC-\d+\)$/.test(line)), lines.join('\n'));
  }
  assert.ok((await items(w)).every((item) => item.jira_details.ticket_assignee_id === BOB.name && item.timestamps.reported === PYTHON_REPORTED));
});

test.run();
