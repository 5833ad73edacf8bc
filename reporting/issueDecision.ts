/**
 * What reporting does next with one issue that is not closed (contract
 * section 6), decided from the stored item alone. Reporting advances an
 * issue one step at a time, and every step leaves a mark in the item, so a
 * run that stopped anywhere (a crash, a timeout, a failed write) is finished
 * by the next one, and a step is never done twice with an effect outside the
 * table that matters (a second ticket). The marks, in `jira_details` unless
 * said otherwise:
 *
 * - `ticket_label` and `ticket_creation_started`: a ticket is about to be
 *   created (written before the create call) with the lifecycle label
 *   `ticket_label`. With no `ticket` beside them, the create may have
 *   happened without its key reaching the table (a killed run, a lost
 *   reply): the ticket is looked for by its label before any other create.
 * - `ticket` set: the ticket exists. Never create another for this lifecycle.
 * - `ticket_assignee_id` present (a user id, or null when nobody could be
 *   assigned): the follow-ups (links, assignee, watcher) are done.
 * - `timestamps.reported` set: the report (Slack "Discovered") is done.
 * - `timestamps.updated` > `timestamps.reported`: a change is not yet reported.
 * - `timestamps.temp_whitelisted` set: the temporary-whitelist note is done.
 * - `ticket_close_started`: closing the ticket has begun (written before the
 *   close call). Seen on an issue that is no longer resolved or whitelisted,
 *   it means identification reopened the issue while its ticket was being
 *   closed: the ticket's lifecycle is over if JIRA closed it.
 * - `previous_ticket`: the ticket of the lifecycle before this one, linked
 *   "relates to" from the new ticket.
 * - status `closed`: everything is done; such issues are not even read.
 */
import { isJsonObject } from '../config/jsonFields.ts';
import { hasDeliveryErrors, type CloudTrailIssueItem } from '../library/issues/cloudTrailIssue.ts';
import { parseTimestamp } from '../library/runtime/clock.ts';

/**
 * How long after a creation attempt reporting waits before searching JIRA
 * for its ticket. Jira Cloud's search is eventually consistent (Atlassian:
 * "from a few seconds to minutes"), and the ticket looked for is one whose id
 * never reached us, so `reconcileIssues` cannot help; searching too early
 * could miss it and file a second one. Scheduled runs are an hour apart, so
 * only a run started by hand soon after a failed one ever waits.
 */
export const CREATION_SETTLE_MS = 15 * 60_000;

/** A creation attempt an earlier run marked: the label of the ticket it may have created, and when. */
export interface CreationAttempt {
  label: string;
  startedAt: string;
}

export type IssueAction =
  /**
   * Not reported yet: with JIRA on, mark the creation, create the ticket
   * (project, texts, labels with the lifecycle label), store its key, then
   * finish the report; with JIRA off, only the Slack "Discovered" and `reported`.
   */
  | { kind: 'report'; label: string }
  /** A ticket was created by an earlier run that stopped before the report was done: finish it. */
  | { kind: 'finish-report'; ticket: string }
  /**
   * An earlier creation attempt left no ticket key: search JIRA for the
   * label; adopt the ticket found (store its key), else clear the attempt.
   */
  | { kind: 'find-ticket'; attempt: CreationAttempt }
  /** An earlier creation attempt is too recent for Jira Cloud's search index: wait for the next run. */
  | { kind: 'await-search-index'; attempt: CreationAttempt }
  /**
   * Open, reported, no ticket (reported while JIRA was off, or by the Python
   * module, whose ticket creation never ran): create its ticket like a new
   * one, without a second "Discovered".
   */
  | { kind: 'backfill-ticket'; label: string }
  /** A backfilled ticket whose follow-ups and owners' message are not done: finish them. */
  | { kind: 'finish-backfill'; ticket: string }
  /** Whitelisted before it was ever reported: closed without a ticket or a message. */
  | { kind: 'close-unreported' }
  /** Reported, resolved or whitelisted: mark, (label,) close the ticket, tell Slack, set `closed`. */
  | { kind: 'close'; status: 'resolved' | 'whitelisted' }
  /**
   * Its ticket was being closed when identification reopened the issue: if
   * JIRA closed the ticket (or it is gone), start a new lifecycle (new
   * `identified`, not reported, `previous_ticket` = the old one); else clear
   * the mark and go on with the same ticket.
   */
  | { kind: 'reopened-while-closing'; ticket: string }
  /** Reported and changed since: comment, tell Slack, set "updated reported". */
  | { kind: 'report-change' }
  /** Reported, now in the temporary whitelist: comment, tell Slack, set `timestamps.temp_whitelisted`. */
  | { kind: 'temp-whitelist' }
  /** Reported and unchanged. */
  | { kind: 'nothing' }
  /** The item cannot be reported as it is (logged, left unchanged). */
  | { kind: 'invalid'; reason: string };

export interface DecisionContext {
  /** The region is in temp_whitelist_issues.json. */
  inTempWhitelist: boolean;
  /** JIRA is on for this run (jira.enabled: a run with JIRA on and no usable JIRA does not start). */
  ticketing: boolean;
  /** Now, as the store writes timestamps. */
  now: string;
}

export function decideIssueAction(issue: CloudTrailIssueItem, context: DecisionContext): IssueAction {
  const timestamps = isJsonObject(issue.timestamps) ? issue.timestamps : undefined;
  if (timestamps === undefined) return { kind: 'invalid', reason: 'the item has no timestamps map' };
  const jira = isJsonObject(issue.jira_details) ? issue.jira_details : {};
  const reported = stringOrNull(timestamps.reported);
  const ticket = stringOrNull(jira.ticket);

  const creationStarted = stringOrNull(jira.ticket_creation_started);
  if (context.ticketing && ticket === null && creationStarted !== null) {
    const attempt: CreationAttempt = { label: stringOrNull(jira.ticket_label) ?? lifecycleLabel(issue), startedAt: creationStarted };
    const age = parseTimestamp(context.now) - parseTimestamp(creationStarted);
    // An unreadable time (NaN) never makes the issue wait.
    if (age < CREATION_SETTLE_MS) return { kind: 'await-search-index', attempt };
    return { kind: 'find-ticket', attempt };
  }

  if (reported === null) {
    if (ticket !== null) return { kind: 'finish-report', ticket };
    if (issue.status === 'whitelisted') return { kind: 'close-unreported' };
    if (issue.status === 'unknown') return { kind: 'invalid', reason: 'the item has no known status' };
    if (!issue.issue_details.disabled && !hasDeliveryErrors(issue.issue_details)) {
      return { kind: 'invalid', reason: 'the issue is neither disabled nor has delivery errors' };
    }
    return { kind: 'report', label: ticketLabel(issue) };
  }

  const closing = issue.status === 'resolved' || issue.status === 'whitelisted';
  if (context.ticketing && ticket !== null && !closing && stringOrNull(jira.ticket_close_started) !== null) {
    return { kind: 'reopened-while-closing', ticket };
  }
  if ((context.inTempWhitelist || issue.status === 'tempwhitelist') && stringOrNull(timestamps.temp_whitelisted) === null) {
    return { kind: 'temp-whitelist' };
  }
  if (issue.status === 'resolved' || issue.status === 'whitelisted') return { kind: 'close', status: issue.status };
  if (context.ticketing && issue.status === 'open') {
    if (ticket === null) return { kind: 'backfill-ticket', label: ticketLabel(issue) };
    // Only a ticket this project filed has a label mark: a ticket set by hand is left as it is.
    if (stringOrNull(jira.ticket_label) !== null && !Object.hasOwn(jira, 'ticket_assignee_id')) return { kind: 'finish-backfill', ticket };
  }
  const updated = stringOrNull(timestamps.updated);
  if (updated !== null && isLater(updated, reported)) return { kind: 'report-change' };
  return { kind: 'nothing' };
}

/** The label of the issue's ticket: the one marked, else the lifecycle label. */
function ticketLabel(issue: CloudTrailIssueItem): string {
  return stringOrNull(isJsonObject(issue.jira_details) ? issue.jira_details.ticket_label : undefined) ?? lifecycleLabel(issue);
}

/**
 * The JIRA label that names one lifecycle of one issue, written on its
 * ticket at creation so that the ticket can be found by a JQL search
 * (`labels = "<label>"`, on Jira Server/Data Center and Cloud alike) when its
 * key never reached the table: `hammer-cloudtrails-<account>-<region>-<identified>`,
 * the identified timestamp without punctuation: identified
 * `2026-11-26T14:15:03.250000+00:00` in 210987654321 / eu-west-1 gives
 * `hammer-cloudtrails-210987654321-eu-west-1-20261126T1415032500000000`.
 * A new lifecycle has a new `identified`, so a new label.
 */
export function lifecycleLabel(issue: Pick<CloudTrailIssueItem, 'account_id' | 'issue_id' | 'timestamps'>): string {
  const identified = isJsonObject(issue.timestamps) ? stringOrNull(issue.timestamps.identified) : null;
  const part = (text: string) => text.replace(/[^0-9A-Za-z-]/g, '');
  return `hammer-cloudtrails-${part(issue.account_id)}-${part(issue.issue_id)}-${identified === null ? 'unidentified' : identified.replace(/[^0-9A-Za-z]/g, '')}`;
}

/**
 * `a` > `b` for stored timestamps. Hammer compares the isoformat strings; this
 * compares instants, and the strings only when both parse to the same
 * millisecond (the microseconds decide) or one does not parse.
 */
export function isLater(a: string, b: string): boolean {
  const x = parseTimestamp(a);
  const y = parseTimestamp(b);
  if (Number.isNaN(x) || Number.isNaN(y) || x === y) return a > b;
  return x > y;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
