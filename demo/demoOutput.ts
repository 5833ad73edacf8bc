/**
 * What the demo prints for a person, from a scene's record: the findings
 * table (the same table `hammer-cloudtrails scan` prints), the JIRA tickets
 * and Slack messages that went out, the findings sent to Security Hub, what
 * remediation did, and how each issue's lifecycle moved.
 */
import { renderFindingsTable } from '../library/cli/findingsOutput.ts';
import type { CloudTrailFinding, CloudTrailIssueDetails } from '../library/issues/cloudTrailIssue.ts';
import type { RegionAssessment } from '../library/scan/identifyRegion.ts';
import type { RegionFinding } from '../library/scan/scanAccounts.ts';
import type { FakeJiraIssue } from '../test/fakes/fakeJiraServer.ts';
import type { Item, RegionOutcome, SceneRecord } from './demoPipeline.ts';
import { DEMO_ACCOUNTS, DEMO_REGIONS, DEMO_REMEDIATION_ACCOUNTS, DEMO_SLACK } from './demoWorld.ts';

const ISSUE_OUTCOMES = new Set(['created', 'unchanged', 'updated', 'reopened', 'kept-closed']);

function itemAt(items: readonly Item[], accountId: string, region: string): Item | undefined {
  return items.find((item) => item.account_id === accountId && item.issue_id === region);
}

function details(trails: Array<{ id: string }>, unknown: string[] = []): CloudTrailIssueDetails {
  return {
    disabled: false,
    delivery_errors: {},
    trails: trails.map((trail) => ({ id: trail.id, enabled: true, multi_region: false, selectors: '', errors: {} })),
    ...(unknown.length > 0 ? { unknown_trails: unknown.map((id) => ({ id, error: '' })) } : {}),
  };
}

/**
 * A region's assessment rebuilt from what the deployed pipeline left: the
 * outcome in describe_cloudtrails' log, and the item it wrote.
 */
function assessmentOf(outcome: RegionOutcome | undefined, item: Item | undefined): RegionAssessment {
  if (outcome === undefined) return { kind: 'failed', operation: 'describe_cloudtrails', errorCode: 'NotChecked', errorMessage: 'no log line about this region' };
  if (ISSUE_OUTCOMES.has(outcome.outcome)) {
    if (item === undefined) return { kind: 'failed', operation: 'dynamodb:MergeIssue', errorCode: 'NoItem', errorMessage: 'no item written' };
    const finding = { ...(item as unknown as CloudTrailFinding), status: (outcome.status ?? item.status) as CloudTrailFinding['status'] };
    return { kind: 'issue', finding };
  }
  switch (outcome.outcome) {
    case 'resolved':
    case 'no-issue':
      return { kind: 'ok', details: details((outcome.loggingTrails ?? []).map((id) => ({ id }))) };
    case 'status-unknown':
      return { kind: 'status-unknown', details: details([], outcome.unknownTrails ?? []) };
    case 'region-not-enabled':
      return { kind: 'region-not-enabled', errorCode: outcome.errorCode ?? 'UnrecognizedClientException' };
    default:
      return { kind: 'failed', operation: 'describe_cloudtrails', errorCode: outcome.errorCode ?? outcome.outcome, errorMessage: 'see the Lambda log' };
  }
}

/** The scan's findings, one per account and region of the demo world (a real-time rescan: the regions it checked). */
export function sceneFindings(record: SceneRecord): RegionFinding[] {
  const rescanOnly = !record.scene.steps.includes('scheduled-scan');
  return DEMO_ACCOUNTS.flatMap((account) => DEMO_REGIONS.filter((region) => !rescanOnly || record.outcomes.has(`${account.id}/${region}`)).map((region): RegionFinding => ({
    accountId: account.id,
    accountName: account.name,
    region,
    assessment: assessmentOf(record.outcomes.get(`${account.id}/${region}`), itemAt(record.itemsAfterScan, account.id, region)),
    result: undefined,
  })));
}

function slackTarget(channel: string): string {
  const user = DEMO_SLACK.users.find((candidate) => candidate.id === channel);
  return user === undefined ? channel : `@${user.name}`;
}

function isDone(ticket: FakeJiraIssue): boolean {
  return ticket.statusCategory === 'done';
}

function indent(lines: readonly string[], empty: string): string {
  return lines.length === 0 ? `  ${empty}` : lines.map((line) => `  ${line}`).join('\n');
}

function ticketsSection(record: SceneRecord): string {
  const before = new Map(record.ticketsBefore.map((ticket) => [ticket.key, ticket]));
  const filed = record.ticketsAfter.filter((ticket) => !before.has(ticket.key));
  const closed = record.ticketsAfter.filter((ticket) => {
    const earlier = before.get(ticket.key);
    return earlier !== undefined && !isDone(earlier) && isDone(ticket);
  });
  const filedLines = filed.map((ticket) => `${ticket.key}  ${ticket.status}  assignee ${ticket.assignee ?? '-'}  ${ticket.summary}`);
  const closedLines = closed.map((ticket) => `${ticket.key}  ${ticket.status}  "${ticket.comments.at(-1)?.body ?? ''}"`);
  return [
    'JIRA tickets filed:',
    indent(filedLines, '(none)'),
    'JIRA tickets closed:',
    indent(closedLines, '(none)'),
  ].join('\n');
}

function slackSection(record: SceneRecord): string {
  const lines = record.slackMessages.map((message) => `${slackTarget(message.channel).padEnd(10)} ${message.text}`);
  return ['Slack messages (as "hammer"):', indent(lines, '(none)')].join('\n');
}

function accountName(accountId: string): string {
  return DEMO_ACCOUNTS.find((account) => account.id === accountId)?.name ?? accountId;
}

/** The findings the scene's reporting imported into Security Hub: which, in what state. */
function securityHubSection(record: SceneRecord): string | undefined {
  if (!record.scene.steps.includes('reporting')) return undefined;
  const lines = record.findingsSent.map((finding) => [
    `${accountName(finding.accountId)} / ${finding.region}`.padEnd(24),
    finding.id.padEnd(62),
    finding.recordState.padEnd(9),
    finding.compliance.padEnd(7),
    finding.severity.padEnd(14),
    `${finding.outcome} (issue ${finding.issueStatus})`,
  ].join(' '));
  return ['Security Hub findings sent (BatchImportFindings in each account and region: record state, compliance, severity):', indent(lines, '(none: no finding changed)')].join('\n');
}

const REMEDIATION_OUTCOME_WORDS: Record<string, string> = {
  'fixed-meanwhile': 'its first rescan found the region covered again: resolved there, nothing to start',
};

/** What clean_cloudtrails did: the StartLogging calls AWS answered, then each issue it acted on. */
function remediationSection(record: SceneRecord): string | undefined {
  const remediation = record.remediation;
  if (remediation === undefined) return undefined;
  const calls = remediation.startLogging.map((call) =>
    `StartLogging ${call.trail} in ${call.region}, as ${accountName(call.accountId)}: ${call.httpStatus === 200 ? 'logging started' : `refused (${call.errorCode ?? call.httpStatus})`}`);
  const issues = remediation.issues.map((issue) => {
    const what = issue.comment === undefined ? (REMEDIATION_OUTCOME_WORDS[issue.outcome] ?? '') : `${issue.ticket === undefined ? 'told' : `commented ${issue.ticket}`}: "${issue.comment}"`;
    return `${`${accountName(issue.accountId)} / ${issue.region}`.padEnd(24)} ${issue.outcome.padEnd(16)} ${what}`.trimEnd();
  });
  const counts = Object.entries(remediation.outcomes).filter(([, count]) => count > 0).map(([outcome, count]) => `${count} ${outcome}`).join(', ');
  const accounts = DEMO_REMEDIATION_ACCOUNTS.map(accountName).join(', ');
  return [
    `Remediation (clean_cloudtrails; remediation accounts: ${accounts}): ${counts === '' ? 'nothing due' : counts}`,
    indent([...calls, ...issues], '(nothing done)'),
  ].join('\n');
}

function statusOf(item: Item | undefined): string {
  return item === undefined ? 'new' : String(item.status);
}

function ticketOf(item: Item | undefined): string | undefined {
  const ticket = (item?.jira_details as { ticket?: unknown } | undefined)?.ticket;
  return typeof ticket === 'string' ? ticket : undefined;
}

/** Each issue whose item changed in the scene: its status before, after the scan, after reporting; its ticket. */
function lifecycleSection(record: SceneRecord): string {
  const keys = new Set([...record.itemsBefore, ...record.itemsAfter].map((item) => `${String(item.account_id)}/${String(item.issue_id)}`));
  const tickets = new Map(record.ticketsAfter.map((ticket) => [ticket.key, ticket]));
  const lines: string[] = [];
  for (const key of [...keys].sort()) {
    const [accountId = '', region = ''] = key.split('/');
    const before = itemAt(record.itemsBefore, accountId, region);
    const afterScan = itemAt(record.itemsAfterScan, accountId, region);
    const after = itemAt(record.itemsAfter, accountId, region);
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    const path = [statusOf(before), statusOf(afterScan), statusOf(after)].filter((status, index, all) => index === 0 || status !== all[index - 1]);
    const ticketKey = ticketOf(after) ?? ticketOf(before);
    let ticket = '';
    if (ticketKey !== undefined) {
      const state = tickets.get(ticketKey);
      const wasFiled = ticketOf(before) === undefined;
      ticket = `${wasFiled ? 'ticket filed' : 'ticket'} ${ticketKey}${state !== undefined && isDone(state) ? ' (closed in JIRA)' : ''}`;
    } else if (after?.status === 'closed') {
      ticket = 'no ticket (whitelisted before it was reported)';
    }
    const name = accountName(accountId);
    lines.push(`${`${name} / ${region}`.padEnd(24)} ${path.join(' -> ').padEnd(32)} ${ticket}`.trimEnd());
  }
  return ['Issues table (hammer-cloudtrails), items that changed:', indent(lines, '(none)')].join('\n');
}

export function renderScene(record: SceneRecord, index: number): string {
  const title = `Scene ${index + 1}: ${record.scene.title}`;
  return [
    `${'='.repeat(title.length)}\n${title}\n${'='.repeat(title.length)}`,
    record.scene.narration.join('\n'),
    remediationSection(record),
    `Findings of the scan (describe_cloudtrails, one row per account and region):\n\n${renderFindingsTable(sceneFindings(record))}`,
    ticketsSection(record),
    slackSection(record),
    securityHubSection(record),
    lifecycleSection(record),
  ].filter((section): section is string => section !== undefined).join('\n\n');
}

export function renderIntroduction(): string {
  const accounts = DEMO_ACCOUNTS.map((account) => `  ${account.name.padEnd(10)} ${account.id}  ${account.story}`);
  return [
    'Hammer CloudTrail logging issues: the demo',
    '',
    `A simulated organisation of ${DEMO_ACCOUNTS.length} accounts in ${DEMO_REGIONS.join(', ')}, served on this machine`,
    '(AWS, Security Hub included, DynamoDB, JIRA and Slack are local fakes: no network, no credentials).',
    'The five Lambda zips are built with build.mjs from the demo\'s config (Security Hub export and',
    'remediation on) and each step runs through the built handlers, as deployed.',
    '',
    ...accounts,
  ].join('\n');
}
