/**
 * What reporting does with one issue that is not closed (contract section 6),
 * decided from the stored item alone. Every step of a report leaves a mark in
 * the item, so a run that stopped halfway is finished by the next one:
 *
 * - `jira_details.ticket` set, `timestamps.reported` null: the ticket exists,
 *   the rest of the report is not done. Never create another ticket.
 * - `jira_details.ticket_assignee_id` present (a user id, or null when nobody
 *   could be assigned): the follow-ups (link, assign, watch) are done.
 * - `timestamps.reported` set: the report (Slack "Discovered") is done.
 * - `timestamps.updated` > `timestamps.reported`: a change is not yet reported.
 * - `timestamps.temp_whitelisted` set: the temporary-whitelist note is done.
 * - status `closed`: everything is done; such issues are not even read.
 */
import { isJsonObject } from '../config/jsonFields.ts';
import { hasDeliveryErrors, type CloudTrailIssueItem } from '../library/issues/cloudTrailIssue.ts';
import { parseTimestamp } from '../library/runtime/clock.ts';

export type IssueAction =
  /** Not reported, no ticket yet: create the ticket, then finish the report. */
  | { kind: 'report' }
  /** A ticket was created by an earlier run that stopped before the report was done: finish it. */
  | { kind: 'finish-report'; ticket: string }
  /** Whitelisted before it was ever reported: closed without a ticket or a message. */
  | { kind: 'close-unreported' }
  /** Reported, resolved or whitelisted: (label) close the ticket, tell Slack, set `closed`. */
  | { kind: 'close'; status: 'resolved' | 'whitelisted' }
  /** Reported and changed since: comment, tell Slack, set "updated reported". */
  | { kind: 'report-change' }
  /** Reported, now in the temporary whitelist: comment, tell Slack, set `timestamps.temp_whitelisted`. */
  | { kind: 'temp-whitelist' }
  /** Reported and unchanged. */
  | { kind: 'nothing' }
  /** The item cannot be reported as it is (logged, left unchanged). */
  | { kind: 'invalid'; reason: string };

export function decideIssueAction(issue: CloudTrailIssueItem, context: { inTempWhitelist: boolean }): IssueAction {
  const timestamps = isJsonObject(issue.timestamps) ? issue.timestamps : undefined;
  if (timestamps === undefined) return { kind: 'invalid', reason: 'the item has no timestamps map' };
  const reported = stringOrNull(timestamps.reported);
  const ticket = stringOrNull(isJsonObject(issue.jira_details) ? issue.jira_details.ticket : undefined);

  if (reported === null) {
    if (ticket !== null) return { kind: 'finish-report', ticket };
    if (issue.status === 'whitelisted') return { kind: 'close-unreported' };
    if (issue.status === 'unknown') return { kind: 'invalid', reason: 'the item has no known status' };
    if (!issue.issue_details.disabled && !hasDeliveryErrors(issue.issue_details)) {
      return { kind: 'invalid', reason: 'the issue is neither disabled nor has delivery errors' };
    }
    return { kind: 'report' };
  }

  if ((context.inTempWhitelist || issue.status === 'tempwhitelist') && stringOrNull(timestamps.temp_whitelisted) === null) {
    return { kind: 'temp-whitelist' };
  }
  if (issue.status === 'resolved' || issue.status === 'whitelisted') return { kind: 'close', status: issue.status };
  const updated = stringOrNull(timestamps.updated);
  if (updated !== null && isLater(updated, reported)) return { kind: 'report-change' };
  return { kind: 'nothing' };
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

